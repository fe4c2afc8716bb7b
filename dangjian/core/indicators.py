"""The registry of derived-indicator formulas: how a school's assessment reads its own records.

An app that owns records registers formulas in its `indicators.py` (imported at start-up), e.g. meetings
registers "meetings.compliance_rate". The assessment app names formulas in its indicator templates (rule
data) and calls them for a set of schools and a period; every figure comes back with how it was computed
and where its evidence is, so a score can always be traced to records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dangjian.core import extensions, scoping


@dataclass(frozen=True)
class Measure:
    value: float  # the measured figure: a rate in [0, 1], a count, hours…
    detail: str  # how it was computed, in Chinese: "应开12次，实开10次"
    evidence_url: str = ""  # a page listing the records that were counted


Formula = Callable[..., dict[int, Measure]]  # formula(*, schools, start, end) -> {school_id: Measure}


@dataclass(frozen=True)
class Registered:
    name: str
    label: str
    unit: str  # "rate" (0–1), "count", "hours"
    func: Formula
    # Metric kinds the platform refuses to assess on (domain-rules.md §9): clicks, minutes online, photos…
    kind: str = "substance"
    # The capability the evidence page asks of its visitor, over the school's organization. A page that shows a
    # figure shows its link only to those who may follow it (may_follow); None: whoever sees the figure may.
    evidence_capability: str | None = None
    # The figure of a whole set of schools, where the mean of the schools' figures would misstate it (a rate over
    # cases pools the cases: 3 of 4 and 0 of 1 is 60 %, not 37.5 %). None: the mean of the schools' figures.
    pooled: Callable[..., float | None] | None = None


def summary(name: str, *, schools, start: dt.date, end: dt.date) -> tuple[float | None, int]:
    """(the figure of all `schools` together, how many schools were measured): the one county-wide number a
    page shows for formula `name`."""
    found = get(name)
    measures = compute(name, schools=schools, start=start, end=end)
    if not measures:
        return None, 0
    if found.pooled is not None:
        return found.pooled(schools=schools, start=start, end=end), len(measures)
    return sum(m.value for m in measures.values()) / len(measures), len(measures)


_registry: dict[str, Registered] = {}
FORBIDDEN_KINDS = frozenset({"clicks", "online_minutes", "photos", "check_ins", "likes", "shares", "study_minutes"})


def formula(
    name: str,
    *,
    label: str,
    unit: str = "rate",
    kind: str = "substance",
    evidence_capability: str | None = None,
    pooled: Callable[..., float | None] | None = None,
) -> Callable[[Formula], Formula]:
    if kind in FORBIDDEN_KINDS:
        raise ValueError(f"{name}: {kind} is not a measure of substance (domain-rules.md §9)")

    def register(func: Formula) -> Formula:
        _registry[name] = Registered(name, label, unit, func, kind, evidence_capability, pooled)
        return func

    return register


def discover() -> None:
    extensions.modules("indicators")  # importing registers the formulas


def get(name: str) -> Registered:
    discover()
    return _registry[name]


def registered() -> dict[str, Registered]:
    discover()
    return dict(_registry)


def may_follow(user, name: str, org_path: str) -> bool:
    """Whether `user` may open the evidence page behind formula `name`'s figure for the school whose organization
    is at `org_path`. A formula no longer registered cannot say what its page asks: no link."""
    discover()
    found = _registry.get(name)
    if found is None:
        return False
    needed = found.evidence_capability
    return needed is None or scoping.has_capability(user, needed, org_path)


def compute(name: str, *, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    return get(name).func(schools=schools, start=start, end=end)
