"""大字模式 (适老化): larger text, stronger contrast and bigger targets on every page.

A signed-in person's choice is kept on their login (User.large_text), so it follows them to any device; a visitor
without an account keeps it in a cookie. The mode is one class on <html> (`large-text`); the stylesheet does the
rest, so every page and every form has it without a change of its own.
"""

from __future__ import annotations

from django.db import transaction

from dangjian.core import audit

COOKIE = "large_text"
COOKIE_AGE = 400 * 24 * 3600  # about as long as a browser keeps a cookie


def is_large(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.large_text)
    return request.COOKIES.get(COOKIE) == "1"


@transaction.atomic
def set_large_text(*, actor, on: bool) -> None:
    """Remember a signed-in person's choice (audited like any other change to their login)."""
    if actor.large_text == on:
        return
    actor.large_text = on
    actor.save(update_fields=["large_text"])
    audit.record(actor=actor, action="update", obj=actor, changes={"large_text": [not on, on]})
