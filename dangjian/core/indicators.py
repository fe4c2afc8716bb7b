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

from dangjian.core import extensions


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


_registry: dict[str, Registered] = {}
FORBIDDEN_KINDS = frozenset({"clicks", "online_minutes", "photos", "check_ins", "likes", "shares", "study_minutes"})


def formula(name: str, *, label: str, unit: str = "rate", kind: str = "substance") -> Callable[[Formula], Formula]:
    if kind in FORBIDDEN_KINDS:
        raise ValueError(f"{name}: {kind} is not a measure of substance (domain-rules.md §9)")

    def register(func: Formula) -> Formula:
        _registry[name] = Registered(name, label, unit, func, kind)
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


def compute(name: str, *, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    return get(name).func(schools=schools, start=start, end=end)
