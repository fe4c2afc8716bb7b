"""Question bank import from Excel (.xlsx) with Chinese column headers, and its template.

All-or-nothing, as the roster import: every row is checked first, and if any row is wrong nothing is written
and the user gets each bad row's number, column and reason. A clean file is written with one bulk insert.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core import audit
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
from dangjian.learning import papers
from dangjian.learning.models import Question, QuestionBank

OPTION_LETTERS = "ABCDEF"
COLUMNS = [
    ("kind", "题型"),
    ("topic", "专题"),
    ("stem", "题干"),
    *[(f"option_{letter}", f"选项{letter}") for letter in OPTION_LETTERS],
    ("answer", "答案"),
    ("explanation", "解析"),
]
REQUIRED = {"kind", "stem", "answer"}
KIND_BY_LABEL = {
    "单选": "single",
    "单选题": "single",
    "多选": "multiple",
    "多选题": "multiple",
    "判断": "true_false",
    "判断题": "true_false",
    "填空": "fill",
    "填空题": "fill",
}
DEFAULT_TOPIC = "综合"
MAX_ROWS = 5000
EXAMPLES = [
    [
        "单选题",
        "党章",
        "党的最高领导机关是？",
        "党的全国代表大会和它所产生的中央委员会",
        "中央政治局",
        "中央书记处",
        "中央纪律检查委员会",
        "",
        "",
        "A",
        "见党章第十条。",
    ],
    [
        "多选题",
        "支部工作条例",
        "党支部的基本任务包括？",
        "宣传和执行党的路线方针政策",
        "组织党员认真学习",
        "对党员进行教育管理监督",
        "发展党员",
        "",
        "",
        "ABCD",
        "",
    ],
    ["判断题", "党章", "预备党员有表决权。", "", "", "", "", "", "", "错", "预备党员没有表决权（党章第七条）。"],
    [
        "填空题",
        "党章",
        "党的根本宗旨是全心全意为人民____。",
        "",
        "",
        "",
        "",
        "",
        "",
        "服务",
        "填空题多个可接受答案用“|”分隔。",
    ],
]


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("题库")
    sheet.append([header for _key, header in COLUMNS])
    style_header(sheet, (10, 12, 40))
    for row in EXAMPLES:
        sheet.append(row)
    return workbook_bytes(book)


def _text(value) -> str:
    if isinstance(value, bool):  # a TRUE/FALSE cell in a true/false question
        return "对" if value else "错"
    return cell_text(value)


def check_row(cell: dict, row: int) -> tuple[dict | None, list[RowError]]:
    """One row: a question's fields, or the reasons it is wrong."""
    errors: list[RowError] = []
    kind_text = _text(cell.get("kind"))
    kind = KIND_BY_LABEL.get(kind_text)
    if kind is None:
        errors.append(
            RowError(row, "题型", _("题型应为单选题、多选题、判断题或填空题，实际为“%(v)s”") % {"v": kind_text})
        )
    stem = _text(cell.get("stem"))
    if not stem:
        errors.append(RowError(row, "题干", _("题干不能为空")))
    options = [_text(cell.get(f"option_{letter}")) for letter in OPTION_LETTERS]
    while options and not options[-1]:
        options.pop()
    answer = _text(cell.get("answer")).upper().replace(" ", "").replace(",", "").replace("，", "").replace("、", "")
    if kind in ("single", "multiple"):
        if len(options) < 2 or any(not o for o in options):
            errors.append(RowError(row, "选项", _("选择题至少需要两个选项，且选项之间不能留空")))
        letters = OPTION_LETTERS[: len(options)]
        if not answer or any(ch not in letters for ch in answer):
            errors.append(
                RowError(
                    row,
                    "答案",
                    _("答案应为已填选项的字母（%(l)s），实际为“%(v)s”") % {"l": letters or "-", "v": answer},
                )
            )
        elif kind == "single" and len(set(answer)) != 1:
            errors.append(RowError(row, "答案", _("单选题只能有一个答案")))
        elif kind == "multiple" and len(set(answer)) < 2:
            errors.append(RowError(row, "答案", _("多选题至少有两个正确答案")))
        answer = "".join(sorted(set(answer)))
    elif kind == "true_false":
        answer = papers.normalize_true_false(answer)
        if not answer:
            errors.append(RowError(row, "答案", _("判断题答案应为“对”或“错”")))
        options = []
    elif kind == "fill":
        answer = _text(cell.get("answer"))
        if not answer:
            errors.append(RowError(row, "答案", _("填空题答案不能为空")))
        options = []
    if errors:
        return None, errors
    return {
        "kind": kind,
        "topic": _text(cell.get("topic"))[:50] or DEFAULT_TOPIC,
        "stem": stem,
        "options": options,
        "answer": answer[:200],
        "explanation": _text(cell.get("explanation")),
    }, []


def import_xlsx(*, actor, bank: QuestionBank, upload) -> ImportResult:
    throttle_imports(actor)
    data = list(read_rows(upload, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS))
    result = ImportResult(rows=len(data))
    existing = set(bank.questions.values_list("stem", flat=True))
    first_row_of: dict[str, int] = {}
    parsed = []
    for row, cell in data:
        fields, errors = check_row(cell, row)
        stem = _text(cell.get("stem"))
        if stem and stem in first_row_of:
            errors.append(RowError(row, "题干", _("与第%(r)d行题干重复") % {"r": first_row_of[stem]}))
        elif stem in existing:
            errors.append(RowError(row, "题干", _("题库中已有相同题干的试题")))
        elif stem:
            first_row_of[stem] = row
        result.errors.extend(errors)
        if fields and not errors:
            parsed.append(fields)
    if result.ok:
        _write(actor=actor, bank=bank, rows=parsed, result=result)
    return result


@transaction.atomic
def _write(*, actor, bank: QuestionBank, rows: list[dict], result: ImportResult) -> None:
    with unscoped("question import: bulk write after every row was checked"):
        Question.objects.bulk_create([Question(bank=bank, **r) for r in rows], batch_size=1000)
    result.created = len(rows)
    audit.record(actor=actor, action="import", obj=bank, changes={"questions": len(rows)})
