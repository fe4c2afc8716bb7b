"""Accessibility of every page, in normal and in 大字模式, with axe-core and at 200 % text on a phone.

Every GET page of the route walker (tests/<app>/routes.py, the samples tests/test_routes.py walks; API operations
left out) is opened in one chromium, one context per persona, at 375 px:

- the personas are the route walker's world (tests/conftest.py), the same roles as the demo logins: county_admin
  (county), secretary (secretary1), member (member1), teacher (teacher1), assessor (assessor1), and a visitor
  without an account for the public pages. The samples name the world's objects, so the demo county would answer
  404 to them.
- axe-core (the npm dev dependency, node_modules/axe-core) is injected into each page; any violation of impact
  serious or critical fails the test, with the rule, the page and the elements.
- the same page at 200 % text (the browser's font-size preference doubled, as a person with low vision sets it)
  must not scroll sideways: document.documentElement.scrollWidth <= clientWidth.
- then the same page in 大字模式: the class the header's switch puts on <html> (the server renders the same
  markup with it, tests/core/test_display.py), axe again (contrast, target sizes, scrolling regions: what the
  mode changes) and no sideways scrolling at 200 % text either. The switch itself is tapped once per persona
  (it must be kept on the login, or in the visitor's cookie) and switched off again.

A page a persona may not open (403, 404, a redirect to the login) is checked once per kind of answer. A new page
needs nothing here: its route sample puts it on the walk. While fixing, A11Y_PATHS=/meetings/,/care/ limits the
walk to paths starting so (never in CI).
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.test_every_page_on_a_phone import NOT_A_PAGE_NAME, NOT_A_PAGE_PATH, url_name
from tests.browser_support import signed_in
from tests.routes import Route, collect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTH = 375
PERSONAS = ["county_admin", "secretary", "member", "teacher", "assessor", None]
FAILING_IMPACTS = {"serious", "critical"}
# What 大字模式 changes is the stylesheet, not the markup: the second walk runs the rules that depend on it.
LARGE_TEXT_RULES = ["color-contrast", "link-in-text-block", "target-size", "scrollable-region-focusable"]
# Routes that are not pages to read: the display switch itself would switch the mode off.
NOT_WALKED = {"core:display"}

AXE_RUN = """async (rules) => {
    const options = {resultTypes: ['violations']};
    if (rules) options.runOnly = {type: 'rule', values: rules};
    const result = await axe.run(document, options);
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
OVERFLOW = """() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > root.clientWidth + 1);
    const outer = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 4);
    return {width: root.scrollWidth, elements: outer.map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))};
}"""


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    pages: int = 0


def pages_to_walk(routes: list[Route]) -> tuple[list[str], set[str]]:
    """The GET pages of the route walker, as paths (one per sample: a URL name may have several), and those of
    them that are public."""
    paths: list[str] = []
    public: set[str] = set()
    for route in routes:
        if route.api or route.method != "GET" or route.name in NOT_WALKED or NOT_A_PAGE_NAME.search(route.name):
            continue
        path = reverse(route.name, kwargs=route.kwargs)
        if NOT_A_PAGE_PATH.search(path):
            continue  # a file (PDF, spreadsheet, calendar, image): not a page
        if path not in paths:
            paths.append(path)
        if route.public:
            public.add(path)
    return paths, public


LARGE_ON = "(on) => document.documentElement.classList.toggle('large-text', on)"


def check(page, cdp, label: str, path: str, rules: list[str] | None, found: Findings) -> None:
    for violation in page.evaluate(AXE_RUN, rules):
        if violation["impact"] in FAILING_IMPACTS:
            found.problems.append(
                f"{label} {path}: {violation['impact']} {violation['id']} ({violation['help']}) at {violation['nodes']}"
            )
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # 200 % text
    try:
        overflow = page.evaluate(OVERFLOW)
    finally:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    if overflow:
        found.problems.append(f"{label} {path}: {overflow['width']} px wide at 200 % text: {overflow['elements']}")


def walk(page, cdp, base: str, label: str, paths: list[str], found: Findings) -> None:
    answers_seen: set[tuple[int, str]] = set()  # refusals look alike: one of each kind is enough
    for path in paths:
        try:
            response = page.goto(base + path, wait_until="load")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue  # a file after all (Content-Disposition: attachment): not a page
            raise
        if response is None or response.headers.get("content-type", "").split(";")[0] != "text/html":
            continue
        if not response.text().lstrip()[:15].lower().startswith("<!doctype"):
            continue  # an htmx fragment: checked inside the page that loads it
        status = response.status
        final = url_name(urlsplit(page.url).path)
        if status != 200 or final in ("core:login", "core:password"):
            kind = (status, final)
            if kind in answers_seen:
                continue
            answers_seen.add(kind)
        found.pages += 1
        page.add_script_tag(path=str(AXE))
        check(page, cdp, f"{label} normal", path, None, found)
        page.evaluate(LARGE_ON, True)
        check(page, cdp, f"{label} 大字模式", path, LARGE_TEXT_RULES, found)


def tap_the_switch(page, base: str, label: str, found: Findings) -> None:
    """The header's 大字 switch, as a person taps it: the page changes at once, the next page keeps it, and a
    second tap switches it off again."""
    page.goto(base + reverse("publishing:home"))
    for expected in ("large-text", ""):
        with page.expect_response(lambda r: "/display/" in r.url):
            page.click(".display-toggle")
        if page.evaluate("document.documentElement.className") != expected:
            found.problems.append(f"{label}: the switch did not change the page at once to {expected!r}")
        page.reload()
        if page.evaluate("document.documentElement.className") != expected:
            found.problems.append(f"{label}: 大字模式 {expected!r} was not kept after the switch")


def test_every_page_passes_axe_and_fits_200_percent_text_in_both_modes(world, live_server, browser):
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci installs the dev dependencies)"
    base = live_server.url
    paths, public = pages_to_walk(collect(world))  # samples create their objects: collect once
    only = [prefix for prefix in os.environ.get("A11Y_PATHS", "").split(",") if prefix]
    if only:
        paths = [path for path in paths if path.startswith(tuple(only))]
    found = Findings()
    for persona in PERSONAS:
        label = persona or "visitor"
        # bypass_csp: axe is injected as an inline script, which the site's CSP (rightly) refuses.
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 812}, device_scale_factor=1, locale="zh-CN", bypass_csp=True
        )
        context.set_default_timeout(20_000)
        if persona:
            signed_in(context, world.users[persona], base)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        try:
            tap_the_switch(page, base, label, found)
            walk(page, cdp, base, label, paths if persona else [p for p in paths if p in public], found)
        finally:
            context.close()
    assert not found.problems, f"{len(found.problems)} problems on {found.pages} pages:\n" + "\n".join(found.problems)
    assert only or found.pages > 300, found.pages
