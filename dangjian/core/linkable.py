"""Records a work update (工作动态) may link to, and the public fields each shows.

An app offers its records in `linkable.py`:

    LINKABLES = [Linkable("meetings.Meeting", _("组织生活"), public_fields=..., candidates=...)]

`public_fields(obj)` returns only what may be published ({Chinese label: text}); private fields (attendance,
minutes, personal data) are never returned. `candidates(user)` is the scoped queryset of records the user
may link. The publishing app fills a post from `public_fields`, never from the record itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangjian.core import extensions


@dataclass(frozen=True)
class Linkable:
    model_label: str  # "meetings.Meeting"
    label: str
    public_fields: Callable[[Any], dict[str, str]]
    candidates: Callable[[Any], Any]  # user -> scoped queryset


def linkables() -> dict[str, Linkable]:
    found = {}
    for module in extensions.modules("linkable"):
        for item in getattr(module, "LINKABLES", []):
            found[item.model_label] = item
    return found
