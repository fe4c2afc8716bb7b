"""Derived indicators from concerns, for assessment (core.indicators)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangjian.core.indicators import Measure, formula
from dangjian.voice import selectors


def _ids(schools) -> list[int]:
    return [s if isinstance(s, int) else s.pk for s in schools]


def pooled_on_time_rate(*, schools, start: dt.date, end: dt.date) -> float | None:
    return selectors.totals(selectors.stats_for_schools(_ids(schools), start, end).values()).on_time_rate


@formula(
    "voice.reply_on_time_rate",
    label="诉求按时答复率",
    unit="rate",
    evidence_capability="voice.view_stats",
    pooled=pooled_on_time_rate,
)
def reply_on_time_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    stats = selectors.stats_for_schools(_ids(schools), start, end)
    url = reverse("voice:stats")
    return {
        sid: Measure(
            s.on_time_rate if s.on_time_rate is not None else 1.0,
            f"应答复{s.due}件，按时答复{s.on_time}件" if s.due else "期内无到期诉求",
            url,
        )
        for sid, s in stats.items()
    }


@formula("voice.satisfaction_rate", label="诉求答复满意率", unit="rate", evidence_capability="voice.view_stats")
def satisfaction_rate(*, schools, start: dt.date, end: dt.date) -> dict[int, Measure]:
    stats = selectors.stats_for_schools(_ids(schools), start, end)
    url = reverse("voice:stats")
    return {
        sid: Measure(
            s.satisfaction_rate if s.satisfaction_rate is not None else 1.0,
            f"评价{s.rated}件，满意或基本满意{s.satisfied}件" if s.rated else "期内无评价",
            url,
        )
        for sid, s in stats.items()
    }
