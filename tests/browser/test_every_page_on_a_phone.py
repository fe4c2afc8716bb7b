"""Every page works on a phone, for every demo persona.

On the demo county, each persona starts from the menu and the home tiles and follows same-origin links
breadth-first (one page per URL name, at most PAGES_PER_PERSONA pages); logged out, it starts from the
public pages. Each page must answer below 500, raise no uncaught JavaScript error and be no wider than the
phone (375 px). A screenshot of each distinct page (by URL name, the first persona to reach it; every persona's
home and 我的 page) is saved under test-output/phone/ for a person to look at.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser_support import OUTPUT

pytestmark = pytest.mark.browser

WIDTH = 375
PAGES_PER_PERSONA = 80
PASSWORD = "dangjian-demo"
PERSONAS = [
    "county",
    "secretary1",
    "member1",
    "teacher1",
    "assessor1",
    "publicity1",
    "care1",
    "care",
    "ethics1",
    "discipline",
]
PUBLIC_START = ["/publishing/", "/voice/public/", "/voice/public/follow/", "/voice/public/stats/", "/meetings/live/"]
PHONE_DIR = OUTPUT / "phone"
EVERY_PERSONA_SHOT = {"core:home", "core:me"}  # pages that differ most from persona to persona

# Links that are not pages: files, feeds, images, the API, the language switch. Their URL names end so.
NOT_A_PAGE_NAME = re.compile(r"(file|attachment|export|download|template|pdf|ics|invitation|qr|card|cover|feed_\w+)$")
NOT_A_PAGE_PATH = re.compile(r"^/(api|i18n|static|media|admin)/|\.(xlsx|pdf|ics|png|jpe?g|xml|csv|zip)$")


@dataclass
class Visit:
    url: str
    name: str
    status: int
    width: int
    errors: list[str]
    seconds: float


@dataclass
class Walk:
    persona: str
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def url_name(path: str) -> str:
    """The URL's name (`meetings:detail`), or the path itself when nothing answers to it."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name or path


def page_link(base: str, href: str) -> str | None:
    """The same-origin path (with query) a link leads to, or None for what the walk does not follow."""
    url, _ = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if NOT_A_PAGE_PATH.search(parts.path) or NOT_A_PAGE_NAME.search(url_name(parts.path)):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


MENU_COLOURS_JS = """() => ({
    label: getComputedStyle(document.querySelector('header .menu summary')).color,
    bar: getComputedStyle(document.querySelector('header.topbar')).backgroundColor,
})"""
LINKS_JS = "(sel) => Array.from(document.querySelectorAll(sel)).map(a => a.href)"
# Only what a person can follow: not a download, not a link that opens another window.
FOLLOW = "a[href]:not([download]):not([target=_blank])"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Each person lands where their work is (core.homepage.landing); the walk starts from the home page.
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{base}/")


def walk(browser, base: str, persona: str | None, shot: set[str], limit: int = PAGES_PER_PERSONA) -> Walk:
    """Walk what `persona` (None: logged out) can reach from the menu and the home tiles; `shot` holds the URL
    names already photographed (one screenshot per page keeps the run short)."""
    label = persona or "public"
    result = Walk(label)
    context = browser.new_context(viewport={"width": WIDTH, "height": 812}, device_scale_factor=1, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        if persona:
            log_in(page, base, persona)
            # The menu's label must be readable on the red bar (it once was red on red, invisible).
            colours = page.evaluate(MENU_COLOURS_JS)
            if colours["label"] == colours["bar"]:
                result.problems.append(f"{label}: the menu label is {colours['label']} on {colours['bar']}")
            start = page.evaluate(LINKS_JS, "header nav a[href], .tiles a[href]")
            assert start, f"{persona} sees no menu and no tiles"
            start = ["/", *start]
        else:
            start = PUBLIC_START
        queue: deque[str] = deque()
        seen: set[str] = set()  # URL names already queued: one page per URL name

        def follow(href: str) -> None:
            link = page_link(base, href)
            if link is not None and (key := url_name(urlsplit(link).path)) not in seen:
                seen.add(key)
                queue.append(link)

        for href in start:
            follow(base + href if href.startswith("/") else href)
        while queue and len(result.visits) < limit:
            path = queue.popleft()
            errors.clear()
            started = time.monotonic()
            response = page.goto(base + path, wait_until="load")
            status = response.status if response else 0
            content_type = (response.headers.get("content-type", "") if response else "").split(";")[0]
            if content_type != "text/html":
                continue  # a file after all: not a page
            width = page.evaluate("document.documentElement.scrollWidth")
            final = urlsplit(page.url).path
            name = url_name(final)
            visit = Visit(path, name, status, width, list(errors), time.monotonic() - started)
            result.visits.append(visit)
            if status >= 500:
                result.problems.append(f"{label} {path}: HTTP {status}")
            if visit.errors:
                result.problems.append(f"{label} {path}: JavaScript error {visit.errors}")
            if width > WIDTH:
                result.problems.append(f"{label} {path}: {width} px wide")
            if name not in shot or name in EVERY_PERSONA_SHOT:
                shot.add(name)
                page.screenshot(path=PHONE_DIR / f"{label}--{name.replace(':', '-').strip('/')}.png", full_page=True)
            for href in page.evaluate(LINKS_JS, f"main {FOLLOW}, header {FOLLOW}"):
                follow(href)
    finally:
        context.close()
    return result


# Links a persona is shown that answer 403/404: each one is a page promising something it cannot give. None is
# known now (docs/qa.md); any refusal fails the test.
KNOWN_REFUSALS: set[tuple[str, str]] = set()

DESKTOP = ["/", "/insights/", "/meetings/county/", "/orgs/county/", "/assessment/", "/orgs/grants/", "/audit/"]
DESKTOP_DIR = OUTPUT / "desktop"


def desktop(browser, base: str) -> list[str]:
    """The county's main pages at 1280 px: nothing wider than the window, no script errors."""
    problems: list[str] = []
    DESKTOP_DIR.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(page, base, "county")
        for path in DESKTOP:
            errors.clear()
            response = page.goto(base + path, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if response is None or response.status != 200 or errors or width > 1280:
                problems.append(f"desktop {path}: {response and response.status} {errors} {width} px")
            name = url_name(path).replace(":", "-")
            page.screenshot(path=DESKTOP_DIR / f"county--{name}.png", full_page=True)
    finally:
        context.close()
    return problems


def test_every_page_fits_a_phone_for_every_persona(transactional_db, live_server, browser):
    call_command("generate", "--profile", "county", "--seed", "1", "--today", "2026-11-25")
    PHONE_DIR.mkdir(parents=True, exist_ok=True)
    for old in PHONE_DIR.glob("*.png"):
        old.unlink()
    shot: set[str] = set()
    walks = [walk(browser, live_server.url, persona, shot) for persona in [*PERSONAS, None]]

    report = "\n".join(
        f"{w.persona}: {len(w.visits)} pages, {', '.join(sorted({v.name for v in w.visits}))}" for w in walks
    )
    problems = [p for w in walks for p in w.problems] + desktop(browser, live_server.url)
    refusals = {(w.persona, v.name): v.url for w in walks for v in w.visits if v.status in (403, 404)}
    problems += [
        f"{who} is shown a link to {url}, which refuses them"
        for (who, name), url in refusals.items()
        if (who, name) not in KNOWN_REFUSALS and who != "public"
    ]
    assert not problems, "\n".join(problems) + "\n\n" + report
    # The walk really walked: every persona reached pages beyond the home page.
    for w in walks:
        names = [v.name for v in w.visits]
        assert len(names) >= 3, report
    county = {v.name for w in walks if w.persona == "county" for v in w.visits}
    assert {"core:home", "meetings:index", "insights:dashboard", "orgs:county"} <= county, report
    public = {v.name for w in walks if w.persona == "public" for v in w.visits}
    assert {"publishing:home", "voice:public_submit", "meetings:public"} <= public, report
    assert {p.name.split("--", 1)[1] for p in PHONE_DIR.glob("*.png")} == {
        f"{name.replace(':', '-').strip('/')}.png" for w in walks for name in {v.name for v in w.visits}
    }
