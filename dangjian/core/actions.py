"""The one way a page runs a service for a POST: call it, show its message or its refusal, redirect.

A view fetches and authorizes its object (scoping), then hands the service call to `post_action`:

    return post_action(request, lambda: services.acknowledge(actor=request.user, concern=c),
                       success=_("已受理。"), to="voice:detail", pk=c.pk)

A form page that re-renders its bound form on errors keeps that form (form.add_error(None, exc)); this helper is
for the button-style actions that come back to the page they were pressed on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect


def error_text(exc: Exception) -> str:
    """A service's refusal as one line for a page message: a ValidationError's Chinese reasons joined, or the text
    of another refusal a view catches alongside it (a number that does not parse)."""
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def post_action(
    request: HttpRequest, action: Callable[[], Any], *, success: str = "", to: str, **url_kwargs: Any
) -> HttpResponseRedirect:
    """Run `action`; on a ValidationError show its reasons and change nothing else, otherwise show `success`
    (if any); then redirect to `to` (a URL name with `url_kwargs`, or a path)."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect(to, **url_kwargs)
