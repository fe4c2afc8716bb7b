"""大字模式: switchable on every page, remembered on the login for a signed-in person and in a cookie for a
visitor; the page says so with one class on <html>."""

from django.urls import reverse

from dangjian.core.models import AuditEntry


def test_a_signed_in_person_keeps_large_text_on_their_login(world, login, client):
    member = login(world.member)
    page = member.get(reverse("core:me")).content.decode()
    assert 'class="large-text"' not in page and 'aria-pressed="false"' in page
    response = member.post(reverse("core:display"), {"large_text": "1", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    world.member.refresh_from_db()
    assert world.member.large_text
    assert AuditEntry.objects.filter(action="update", changes__large_text=[False, True]).exists()
    # On another device (a fresh session) the choice follows the person.
    again = login(world.member).get(reverse("core:me")).content.decode()
    assert '<html lang="zh-hans" class="large-text">' in again and 'aria-pressed="true"' in again


def test_a_visitor_keeps_it_in_a_cookie_and_a_foreign_next_is_ignored(world, client):
    response = client.get(reverse("core:display"), {"large_text": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["large_text"].value == "1"
    assert 'class="large-text"' in client.get(reverse("publishing:home")).content.decode()
    client.get(reverse("core:display"), {"large_text": "0"}, headers={"X-Display-Switch": "1"})
    assert 'class="large-text"' not in client.get(reverse("publishing:home")).content.decode()


def test_every_page_has_a_skip_link_and_the_switch(world, login):
    page = login(world.secretary).get(reverse("core:home"), follow=True).content.decode()
    assert 'class="skip-link" href="#main"' in page and 'id="main"' in page
    assert 'class="display-switch" method="post"' in page
