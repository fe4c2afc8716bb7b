"""The 公示 of an identification round. It prints only what §8.1 allows: a masked name, the grade and the
tier. Never an ID number, address, phone, income figure, priority group or disability (a test checks this).

Built from an explicit allow-list of fields, not by hiding fields from a full record: a field added to the
model later cannot leak into the notice."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from dangjian.care.models import Decision, Round, mask_name
from dangjian.care.selectors import tiers


@dataclass(frozen=True)
class NoticeRow:
    name: str
    grade: str
    tier: str


@dataclass(frozen=True)
class Notice:
    school: str
    title: str
    start: object
    end: object
    rows: list[NoticeRow]


def build(round_: Round) -> Notice:
    labels = tiers(on=round_.notice_on, org_path=round_.school.org.path)
    approved = (
        round_.applications.filter(decision=Decision.APPROVED)
        .select_related("student")
        .order_by("student__grade", "id")
    )
    rows = [NoticeRow(mask_name(a.student.name), a.student.grade, labels.get(a.tier, a.tier)) for a in approved]
    return Notice(
        school=round_.school.name,
        title=f"{round_.school.name}{round_.period}{round_.get_kind_display()}家庭经济困难学生认定结果公示",
        start=round_.publicity_start,
        end=round_.publicity_end,
        rows=rows,
    )


def html(round_: Round) -> str:
    return render_to_string("care/notice_print.html", {"notice": build(round_)})


def pdf(round_: Round) -> bytes:
    from weasyprint import HTML  # loads Pango and fontconfig: only processes that make a PDF pay for it

    return HTML(string=html(round_)).write_pdf()
