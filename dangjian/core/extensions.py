"""Extension points between apps, without apps importing each other.

An app offers something to others by writing a module of an agreed name (`indicators.py`, `hours.py`,
`linkable.py`, `mine.py`); `modules(name)` imports that module from every domain app that has it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.conf import settings


def modules(name: str) -> list[ModuleType]:
    found = []
    for app in settings.DOMAIN_APPS:
        try:
            found.append(importlib.import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
    return found
