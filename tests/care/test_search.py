"""Issue 14 item 2: a search must not recover a masked name character by character."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from tests.care.conftest import make_student


def _names(client, q: str) -> list[str]:
    return [s["name"] for s in client.get("/api/v1/care/students", {"q": q}).json()["items"]]


def test_one_character_searches_recover_nothing_for_those_who_may_not_reveal(world, care, api_client, login):
    member = api_client(world.member)  # paired with 李雨萱, sees her masked as 李**
    assert _names(member, "") == ["李**"]
    for character in "李雨萱":
        assert _names(member, character) == [], character
    assert _names(member, "雨萱") == []
    assert _names(member, "李雨萱") == ["李**"]  # the full name: nothing hidden is learnt
    page = login(world.member).get(reverse("care:students"), {"q": "雨"}).content.decode()
    assert "李*" not in page


def test_searching_by_part_of_a_name_is_for_revealers_and_audited(world, care, api_client):
    officer = api_client(care["officer_a"])
    assert _names(officer, "雨") == ["李**"]
    entry = AuditEntry.objects.get(action="search", model="care.Student")
    assert entry.actor == care["officer_a"] and entry.object_repr == "雨"
    # Someone who may not reveal matches full names only: nothing to audit.
    _names(api_client(world.member), "雨")
    assert not AuditEntry.objects.filter(action="search", actor=world.member).exists()


def test_export_search_follows_the_same_rule(world, care, login):
    make_student(world, name="李雨桐")
    response = login(care["officer_a"]).get(reverse("care:export"), {"q": "雨"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3  # header and both 李雨…, found by a care officer, who may reveal


def test_reveals_are_never_cached(world, care, login, api_client):
    officer = care["officer_a"]
    page = login(officer).post(reverse("care:reveal", args=[care["paired"].pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    api = api_client(officer).post(f"/api/v1/care/students/{care['paired'].pk}/reveal")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    person = login(world.secretary).post(reverse("orgs:person_reveal", args=[world.people["teacher"].pk]))
    assert person.status_code == 200 and "no-store" in person["Cache-Control"]
