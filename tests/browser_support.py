"""Browser fixtures for every app's tests: Playwright drives Debian's chromium (never a downloaded browser).

    def test_x(live_server, phone):          # a 375 px page
    def test_y(live_server, page_at):        # page_at(1440, 900) for other sizes

Registered for the whole suite in tests/conftest.py. Mark browser tests `@pytest.mark.browser`.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an asyncio loop in the test thread; Django's async-safety check would then refuse
# the test's own database work. The server under test runs in its own thread and is unaffected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser():
    """One chromium per test: the event loop Playwright runs must not outlive the test (it changes how
    Django hands out database connections in this thread)."""

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: run `make setup` (scripts/system-deps.sh installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        # Database work done while the loop ran used a context-local connection: close it, or PostgreSQL
        # refuses to drop the test database at the end of the run.
        connections.close_all()
        browser.close()


@pytest.fixture
def page_at(browser):
    """page_at(width, height=812) -> a new page of that viewport, zh-CN, closed after the test."""
    contexts = []

    def make(width: int, height: int = 812, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(page_at):
    """A page 375 px wide, like a common phone."""
    return page_at(375, 812, device_scale_factor=2)


def screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot under test-output/ (git-ignored) to look at."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def fits(page, width: int = 375) -> bool:
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def signed_in(context, user, base: str) -> None:
    """Put a signed-in session for `user` into a Playwright context (no login form: for tests of other pages)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base}])
