"""Records that fulfil work, so that a county assignment completes itself from the record the branch keeps anyway
("record once"): nobody reports the same thing twice.

An app that keeps such records offers them in its `fulfils.py`:

    @fulfilment.source("meetings.org_life_meeting")
    def org_life_meetings(*, org_ids, since) -> dict[int, Evidence]: ...

(the earliest qualifying record of each org dated on or after `since`). Which kinds a county may name, with their
labels, is rule data of the app that completes work (assignments/rules/assignments.yaml). When its records of some orgs change,
the app calls `fulfilment.changed(org_path=...)` inside its write; every app that completes work from records
answers in its own `fulfilled.py` with `records_changed(*, org_ids)`. Neither side imports the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dangjian.core import extensions


@dataclass(frozen=True)
class Evidence:
    day: dt.date
    title: str
    url: str  # the record itself


Find = Callable[..., dict[int, Evidence]]


_sources: dict[str, Find] = {}


def source(key: str) -> Callable[[Find], Find]:
    def register(func: Find) -> Find:
        _sources[key] = func
        return func

    return register


def sources() -> dict[str, Find]:
    extensions.modules("fulfils")
    return dict(_sources)


def evidence(key: str, *, org_ids: Iterable[int], since: dt.date) -> dict[int, Evidence]:
    """The earliest record of kind `key` of each org on or after `since`; nothing for a kind no app offers."""
    find = sources().get(key)
    return find(org_ids=list(org_ids), since=since) if find else {}


def changed(*, org_path: str) -> None:
    """Records of the org at `org_path` were written: let every app that completes work from records look again at
    that org and the orgs above it (a school's 党委 may be asked to see a record kept in each of its branches)."""
    ids = [int(pk) for pk in org_path.split(".") if pk]
    for module in extensions.modules("fulfilled"):
        module.records_changed(org_ids=ids)
