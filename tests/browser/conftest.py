"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against live_server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django's async-safety check would then refuse
# the test's own database access. The server under test runs in its own thread and is unaffected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
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


# Module scope, not session: a live Playwright keeps its event loop running, and browser tests of other
# modules in the same xdist worker start their own `sync_playwright()`, which refuses to run inside it.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: run `make setup` (scripts/system-deps.sh installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page 375 px wide, like a common phone."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
