"""The dashboard in headless Chromium at 375 px and 1440 px, on the generated demo county. Screenshots are
kept in test-output/ (git-ignored)."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

OUTPUT = Path(settings.BASE_DIR) / "test-output"


@pytest.mark.browser
def test_dashboard_renders_at_phone_and_desktop_width(transactional_db, live_server, browser):

    call_command("generate", profile="county", seed=1, stdout=StringIO())
    client = Client()
    client.force_login(
        get_user_model().objects.get(username="county"), backend="django.contrib.auth.backends.ModelBackend"
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    OUTPUT.mkdir(exist_ok=True)
    errors = []
    for width, height in ((375, 812), (1440, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                if msg.type == "error" and "favicon" not in msg.location.get("url", "")
                else None
            ),
        )
        page.goto(f"{live_server.url}/insights/")
        page.wait_for_selector("body[data-charts-ready]", timeout=15000)
        assert (
            int(page.get_attribute("body", "data-charts-ready")) >= 5
        )  # heat map, ranking, grades, monthly trend, rounds trend
        assert page.locator('[data-chart="heat"] canvas').count() >= 1
        # Nothing wider than the screen: the page works on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(OUTPUT / f"insights-dashboard-{width}.png"), full_page=True)
        context.close()
    assert errors == []
    assert (OUTPUT / "insights-dashboard-375.png").stat().st_size > 10_000
