"""Issue 14 items 1 and 10: no exported cell becomes a formula; downloads carry Chinese names and no-store."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.core.downloads import attachment_response, content_disposition
from dangjian.core.xlsx import formula_like, text_safe_row, workbook_bytes
from dangjian.orgs import roster
from tests.factories import PersonFactory

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]
APPS = Path(__file__).resolve().parents[2] / "dangjian"


def assert_no_formula(content: bytes, *texts: str) -> None:
    """No cell of the file is a formula, and each text is there as a text cell styled "quote prefix"."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<f[ >]", xml) for xml in sheets)
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[cell.value] = cell
    for text in texts:
        cell = found[text]
        assert cell.data_type == "s" and cell.quotePrefix, text


def test_formula_like_text_is_written_as_text_in_normal_and_write_only_workbooks():
    assert formula_like("\r=1") and not formula_like("甲=1") and not formula_like(-1)
    book = Workbook()
    book.active.append([*HOSTILE, "普通文字", -5])
    assert_no_formula(workbook_bytes(book), *HOSTILE)
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet("名册")
    sheet.append(text_safe_row(sheet, [*HOSTILE, "普通文字", -5]))
    content = workbook_bytes(streamed)
    assert_no_formula(content, *HOSTILE)
    values = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    assert values == [*HOSTILE, "普通文字", -5]  # the text itself is unchanged: a re-import reads the same


def test_the_roster_export_writes_a_hostile_name_as_text(world):
    PersonFactory(name='=HYPERLINK("http://x","y")', job="+1+1", school=world.school_a, org=world.branch_a)
    assert_no_formula(
        roster.export_xlsx(actor=world.secretary, org=world.branch_a), '=HYPERLINK("http://x","y")', "+1+1"
    )


def test_every_export_saves_through_the_one_helper():
    """Any module that builds a workbook saves it through core.xlsx.workbook_bytes, which neutralises formulas."""
    offenders = []
    for path in APPS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "xlsx.py" and path.parent.name == "core":
            continue
        if "Workbook(" in text and ("workbook_bytes" not in text or re.search(r"\b(wb|book)\.save\(", text)):
            offenders.append(str(path.relative_to(APPS)))
        if "write_only=True" in text and "text_safe_row" not in text:
            offenders.append(str(path.relative_to(APPS)))
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("甲校党支部-2026年台账.pdf", "-2026.pdf"),
        ("名册.xlsx", "download.xlsx"),
        ("roster-3.xlsx", "roster-3.xlsx"),
        ('a";b.txt', "ab.txt"),
    ],
)
def test_download_names_use_rfc_5987_with_an_ascii_fallback(name, fallback):
    header = content_disposition(name)
    assert header.startswith("attachment; ") and f'filename="{fallback}"' in header
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert encoded.isascii() and " " not in encoded and '"' not in encoded
    assert unquote(encoded) == name


def test_personal_downloads_are_not_cached():
    assert "no-store" in attachment_response(b"x", "名册.xlsx", personal=True)["Cache-Control"]
    assert "Cache-Control" not in attachment_response(b"x", "模板.xlsx")


def test_the_roster_export_is_named_in_chinese_and_not_cached(world, login):
    response = login(world.secretary).get(reverse("orgs:roster_export", args=[world.branch_a.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''%E7%94%B2" in response["Content-Disposition"]  # 甲校党支部-名册-…
    assert "no-store" in response["Cache-Control"]


def test_no_view_builds_a_content_disposition_by_hand():
    hand_built = [
        str(p.relative_to(APPS))
        for p in APPS.rglob("*.py")
        if "Content-Disposition" in p.read_text(encoding="utf-8") and p.name != "downloads.py"
    ]
    assert not hand_built, hand_built
