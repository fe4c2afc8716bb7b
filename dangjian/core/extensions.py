"""Extension points between apps, without apps importing each other: the one module discovery.

An app offers something by writing a module of an agreed name (`urls.py`, `api.py`, `demo.py`, `indicators.py`,
`hours.py`, `linkable.py`, `mine.py`, `periodic.py`, `eligibility.py`, `todo.py` (a person's open items, core.todo),
`public_notices.py` (notices shown on the public site)); `modules(name)` imports that module from
every domain app that has it, in the order of settings.DOMAIN_APPS. Core is the kernel, not a domain app, so its
registries of the same names never find themselves.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType

from django.conf import settings


def label(module: ModuleType) -> str:
    """The app label of a module found by `modules` ("dangjian.orgs.demo" -> "orgs")."""
    return module.__name__.split(".")[1]


def modules(name: str) -> list[ModuleType]:
    return list(_modules(name, tuple(settings.DOMAIN_APPS)))


@functools.cache
def _modules(name: str, domain_apps: tuple[str, ...]) -> tuple[ModuleType, ...]:
    # Looked up once per process: a module that is not there costs a search of the app's folder on every import
    # attempt, and pages such as 我的 ask several times per request.
    found = []
    for app in domain_apps:
        try:
            found.append(importlib.import_module(f"{app}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
    return tuple(found)
