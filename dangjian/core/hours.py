"""Sources of training hours, so that a record kept in one app counts in the learning ledger without being
typed twice (a party lecture attended counts toward a member's yearly Party training hours).

An app registers a source in its `hours.py`:

    @hours.source("meetings", ledger="party_training", label=_("党课、主题党日"))
    def meeting_hours(*, person_ids, start, end) -> dict[int, list[HourItem]]: ...

The learning app sums its own records with every registered source for the same ledger.

Inside `shared()` (one request's page, e.g. 我的, whose meetings and learning sections both read a member's hours)
each source answers a given (people, period) once; outside it every call asks again. Never kept across requests.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from dangjian.core import extensions

LEDGERS = ("party_training", "teacher_ce")  # 党员教育培训学时; 教师继续教育学时 (domain-rules.md §7)


@dataclass(frozen=True)
class HourItem:
    day: dt.date
    hours: Decimal
    category: str  # e.g. "党课", "主题党日", "专题培训"
    title: str
    url: str = ""  # the record it came from


Source = Callable[..., dict[int, list[HourItem]]]


@dataclass(frozen=True)
class Registered:
    name: str
    ledger: str
    label: str
    func: Source


_sources: dict[str, Registered] = {}
_answers: ContextVar[dict | None] = ContextVar("hours_answers", default=None)


@contextmanager
def shared() -> Iterator[None]:
    """Within: each source's answer for the same people and period is computed once (callers only read it).
    Inside another shared() block, the outer block's answers serve."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def source(name: str, *, ledger: str, label: str) -> Callable[[Source], Source]:
    if ledger not in LEDGERS:
        raise ValueError(f"unknown ledger {ledger!r}")

    def register(func: Source) -> Source:
        @functools.wraps(func)
        def answer(*, person_ids, start: dt.date, end: dt.date) -> dict[int, list[HourItem]]:
            answers = _answers.get()
            if answers is None:
                return func(person_ids=person_ids, start=start, end=end)
            key = (name, tuple(sorted(person_ids)), start, end)
            if key not in answers:
                answers[key] = func(person_ids=person_ids, start=start, end=end)
            return answers[key]

        _sources[name] = Registered(name, ledger, label, answer)
        return answer

    return register


def prime(name: str, *, person_ids, start: dt.date, end: dt.date, answer: dict[int, list[HourItem]]) -> None:
    """Inside shared(): give source `name` its answer for these people and period, read by the caller together
    with other sources' (one query for several); outside it, nothing happens."""
    answers = _answers.get()
    if answers is not None:
        answers[(name, tuple(sorted(person_ids)), start, end)] = answer


def sources(ledger: str) -> list[Registered]:
    extensions.modules("hours")
    return [s for s in _sources.values() if s.ledger == ledger]


def collect(ledger: str, *, person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[HourItem]]:
    """Hour items from every registered source for the ledger, by person."""
    found: dict[int, list[HourItem]] = {}
    for registered in sources(ledger):
        for person_id, items in registered.func(person_ids=person_ids, start=start, end=end).items():
            found.setdefault(person_id, []).extend(items)
    return found
