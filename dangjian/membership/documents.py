"""The documents a dossier and a transfer need, generated as A4 PDFs from the recorded dates (WeasyPrint)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from dangjian.membership import development
from dangjian.membership.models import Dossier, Step, Transfer

DOSSIER_DOCUMENTS = {
    "record": "membership/pdf/record.html",  # 入党积极分子培养考察登记
    "notice": "membership/pdf/notice.html",  # 发展对象公示
    "review": "membership/pdf/review.html",  # 政治审查情况汇总
    "conversion": "membership/pdf/conversion.html",  # 转正申请情况汇总
}


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # loaded on first use: only processes that make a PDF pay for Pango

    return HTML(string=render_to_string(template, context)).write_pdf()


def dossier_context(dossier: Dossier, steps: list[Step]) -> dict:
    dates = development.dates_of(steps)
    values = development.development_rules(steps[-1].done_on if steps else timezone.localdate())
    by_code: dict[str, list[Step]] = {}
    for s in steps:
        by_code.setdefault(s.code, []).append(s)
    labelled = [(development.step_label(s.code, s.done_on), s) for s in steps]
    return {
        "d": dossier,
        "person": dossier.person,
        "steps": labelled,
        "first": {code: rows[0] for code, rows in by_code.items()},
        "all": by_code,
        "probation_end": development.probation_end(dates, values, dossier.probation_extended_months),
        "generated": timezone.localdate(),
    }


def dossier_pdf(kind: str, dossier: Dossier, steps: list[Step]) -> bytes:
    return _pdf(DOSSIER_DOCUMENTS[kind], dossier_context(dossier, steps))


def letter_pdf(transfer: Transfer, today: dt.date | None = None) -> bytes:
    """介绍信 in its three parts: 存根, 介绍信, 回执."""
    return _pdf("membership/pdf/letter.html", {"t": transfer, "generated": today or timezone.localdate()})
