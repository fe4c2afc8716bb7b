"""Screenshots of the public home and a post page at 375 px in Debian's chromium, kept in test-output/."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dangjian.publishing import selectors

OUT = Path(settings.BASE_DIR) / "test-output"


@pytest.mark.browser
def test_public_home_and_post_page_at_375px(live_server, transactional_db, browser):
    call_command("generate", profile="county", seed=1, stdout=io.StringIO())
    post = selectors.public_posts().filter(school__isnull=False).first()
    OUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    for name, path in (("home", "/publishing/"), ("post", f"/publishing/posts/{post.pk}/")):
        response = page.goto(live_server.url + path)
        assert response.status == 200
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        target = OUT / f"publishing-{name}-375.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 5000
    assert page.locator("h1").inner_text() == post.title
    assert page.locator('meta[property="og:image"]').get_attribute("content").endswith("/card.png")
    # the QR code image loads (naturalWidth > 0)
    assert page.evaluate("document.querySelector('.pub-share img').naturalWidth") > 0
