"""The "我的" page: a person's own records, gathered from every app (each app's `mine.py`).

An app adds a section in its `mine.py`:

    def sections(request) -> list[Section]: ...

Each section renders its own template with its own context; it shows the signed-in user's own records only.
`page(request)` is the whole page's context: the person is read once with what every section and the header use
(org, school, membership), and the sections share one answer per hour source (core.hours.shared).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from dangjian.core import extensions, hours
from dangjian.core.scoping import unscoped_queryset


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


def page(request) -> dict[str, Any]:
    user = request.user
    # The person model reached through the user's own relation: the kernel imports no domain app.
    Person = user._meta.get_field("person").related_model
    person = (
        unscoped_queryset(Person, "我的: the signed-in user's own person record")
        .select_related("org", "school", "membership")
        .filter(user=user)
        .first()
    )
    if person is not None:
        user.person = person  # the sections read request.user.person: this one, with its relations loaded
    with hours.shared():
        return {"person": person, "sections": sections(request)}
