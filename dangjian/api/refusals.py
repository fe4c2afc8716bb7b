"""The API's one way to answer a service's refusal on a route that promises 422: the service's Chinese reasons.

Without it a `ValidationError` reaches the API's own handler (400, one joined message); routes that create or
change things under rules (the tree, membership, the leadership system) declare 422 with the list of reasons."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Status


def refusals_are_422(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps a route (ninja reads the wrapped view's signature, so parameters and schema are the view's own)."""

    @functools.wraps(view)
    def wrapper(request, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            return Status(422, {"detail": exc.messages})

    return wrapper
