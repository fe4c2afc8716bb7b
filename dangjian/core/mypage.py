"""The "我的" page: a person's own records, gathered from every app (each app's `mine.py`).

An app adds a section in its `mine.py`:

    def sections(request) -> list[Section]: ...

Each section renders its own template with its own context; it shows the signed-in user's own records only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from dangjian.core import extensions


@dataclass
class Section:
    title: str | Promise  # usually gettext_lazy
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def sections(request) -> list[Section]:
    found: list[Section] = []
    for module in extensions.modules("mine"):
        if hasattr(module, "sections"):
            found.extend(module.sections(request))
    return sorted(found, key=lambda s: s.order)
