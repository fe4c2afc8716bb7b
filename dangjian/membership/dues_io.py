"""党费 bases in and out of Excel. The import is all-or-nothing with a per-row Chinese report (core.xlsx); the
exports are the branch's monthly ledger and the 上缴 summary."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core import audit, scoping
from dangjian.core.scoping import unscoped
from dangjian.core.xlsx import (
    ImportResult,
    RowError,
    cell_text,
    read_rows,
    style_header,
    throttle_imports,
    workbook_bytes,
)
from dangjian.membership import services
from dangjian.membership.models import DuesCategory
from dangjian.orgs.models import Person

COLUMNS = [("name", "姓名"), ("id_tail", "身份证号后6位"), ("category", "类别"), ("base", "月计算基数（元）")]
REQUIRED = {"name", "category", "base"}
CATEGORY_BY_LABEL = {str(label): value for value, label in DuesCategory.choices}
MAX_ROWS = 2000


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("党费基数")
    sheet.append([header for _key, header in COLUMNS])
    style_header(sheet, (12, 16, 12, 18))
    sheet.append(["张三", "123456", "在职", "6800.00"])
    sheet.append(["李四", "", "离退休", "4200"])
    return workbook_bytes(book)


def _find(people: list[Person], name: str, tail: str) -> tuple[Person | None, str]:
    matches = [p for p in people if p.name == name and (not tail or p.id_number.upper().endswith(tail.upper()))]
    if not matches:
        return None, _("本支部没有党员“%(n)s”") % {"n": name}
    if len(matches) > 1:
        return None, _("本支部有多名党员叫“%(n)s”，请填写身份证号后6位") % {"n": name}
    return matches[0], ""


def _check_row(cells: dict, row: int, people: list[Person], year: int, seen: set[int]) -> tuple[tuple | None, list]:
    errors = []
    name, tail = cell_text(cells.get("name")), cell_text(cells.get("id_tail"))
    person, problem = _find(people, name, tail)
    if problem:
        errors.append(RowError(row, "姓名", problem))
    elif person.pk in seen:
        errors.append(RowError(row, "姓名", _("“%(n)s”在表中出现了两次") % {"n": name}))
    category = CATEGORY_BY_LABEL.get(cell_text(cells.get("category")))
    if category is None:
        errors.append(RowError(row, "类别", _("类别应为：%(c)s") % {"c": "、".join(CATEGORY_BY_LABEL)}))
    try:
        base = services.money(cell_text(cells.get("base")) or "0")
    except ValidationError as exc:
        errors.append(RowError(row, "月计算基数（元）", exc.messages[0]))
        base = None
    if person is not None and category is not None and base is not None and not errors:
        try:
            services.check_base(person=person, year=year, category=category, base=base)
        except ValidationError as exc:
            errors.append(RowError(row, "姓名", exc.messages[0]))
    if errors:
        return None, errors
    seen.add(person.pk)
    return (person, category, base), []


def import_bases(*, actor, org, year: int, upload, people: list[Person]) -> ImportResult:
    """核定 the year's bases from a sheet: every row is checked first; one bad row and nothing is written."""
    scoping.require(actor, services.MANAGE, org.path)
    throttle_imports(actor)
    result = ImportResult()
    good, seen = [], set()
    for number, cells in read_rows(upload, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS):
        result.rows += 1
        parsed, errors = _check_row(cells, number, people, year, seen)
        result.errors.extend(errors)
        if parsed:
            good.append(parsed)
    if result.errors or not good:
        if not result.errors:
            result.errors.append(RowError(1, "", _("表中没有数据行。")))
        return result
    with transaction.atomic(), unscoped("membership.import_bases"):
        for person, category, base in good:
            services.set_base(actor=actor, person=person, year=year, category=category, base=base)
            result.updated += 1
    audit.record(actor=actor, action="dues_import", obj=org, changes={"rows": [None, len(good)], "year": [None, year]})
    return result


def ledger_xlsx(org, month: dt.date, rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("党费收缴")
    sheet.append(
        [
            _("姓名"),
            _("类别"),
            _("月计算基数（元）"),
            _("月交纳额（元）"),
            _("本月已交"),
            _("交纳日期"),
            _("未交月数（近12个月）"),
        ]
    )
    style_header(sheet, (12, 10, 16, 14, 10, 12, 20))
    for r in rows:
        sheet.append(
            [
                r.person.name,
                r.base.get_category_display() if r.base else _("未核定"),
                r.base.base if r.base else None,
                r.base.monthly if r.base else None,
                _("是") if r.paid else _("否"),
                r.paid.paid_on.isoformat() if r.paid else "",
                len(r.standing.unpaid),
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "0.00"
    sheet.append([])
    sheet.append([f"{org.name} {month:%Y-%m}"])
    return workbook_bytes(book)


def summary_xlsx(year: int, rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("党费上缴汇总")
    sheet.append([_("党支部"), *[_("%(m)d月") % {"m": m} for m in range(1, 13)], _("合计")])
    style_header(sheet, (20,))
    for r in rows:
        sheet.append([r["org"].name, *r["months"], r["total"]])
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "0.00"
    sheet.append([])
    sheet.append([_("%(y)d年度") % {"y": year}])
    return workbook_bytes(book)
