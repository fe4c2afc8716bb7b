"""Notices on the home page, from every app (each app's `home.py`).

An app adds notices in its `home.py`:

    def notices(request) -> list[Notice]: ...

A notice with `start=True` names the page the user must begin with: the home page sends them there instead of
showing itself (a freshly bootstrapped county's administrator lands on the set-up checklist).
"""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.core import extensions


@dataclass(frozen=True)
class Notice:
    text: str
    url: str
    start: bool = False


def notices(request) -> list[Notice]:
    return [
        notice
        for module in extensions.modules("home")
        if hasattr(module, "notices")
        for notice in module.notices(request)
    ]
