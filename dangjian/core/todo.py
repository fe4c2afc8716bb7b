"""待办: what a person is asked for, gathered from every app (each app's `todo.py`).

An app that holds open items for people writes

    def items(user, today: dt.date) -> list[Item]: ...

returning the signed-in user's own open items only (what they may act on: meetings to record, leave to decide,
concerns to answer, targets to report, essays to judge, official documents to 签收), each with its due date.
The messages app shows them on 我的 and in `GET /api/v1/me/todo`. Nothing here ranks or counts people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangjian.core import extensions


@dataclass(frozen=True)
class Item:
    kind: str  # what is asked, short ("记录会议", "答复诉求")
    title: str
    url: str
    due: dt.date | None  # None: no fixed date

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def items(user, today: dt.date) -> list[Item]:
    found: list[Item] = []
    for module in extensions.modules("todo"):
        found.extend(module.items(user, today))
    return sorted(found, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))
