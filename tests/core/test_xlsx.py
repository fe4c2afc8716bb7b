import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangjian.core.xlsx import cell_text, read_rows
from tests.factories import xlsx_bytes

COLUMNS = [("name", "姓名"), ("note", "备注")]


def book(*rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("x.xlsx", xlsx_bytes(*rows))


def test_blank_rows_are_skipped_and_row_numbers_stay_true_to_the_sheet():
    rows = list(
        read_rows(
            book(["姓名", "备注"], ["甲", 1.0], [None, None], ["乙", "x"]),
            columns=COLUMNS,
            required={"name"},
            max_rows=10,
        )
    )
    assert rows == [(2, {"name": "甲", "note": 1.0}), (4, {"name": "乙", "note": "x"})]
    assert cell_text(1.0) == "1" and cell_text(" 甲 ") == "甲" and cell_text(None) == ""


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((["备注"],), "缺少必填列：姓名"),
        ((["姓名", "年龄"],), "无法识别的列：年龄"),
        ((["姓名"], ["甲"], ["乙"], ["丙"]), "一次最多导入2行"),
    ],
)
def test_header_and_size_problems_are_named(rows, message):
    with pytest.raises(ValidationError, match=message):
        list(read_rows(book(*rows), columns=COLUMNS, required={"name"}, max_rows=2))


def test_a_file_that_is_not_excel_is_refused():
    with pytest.raises(ValidationError, match="无法读取"):
        list(read_rows(SimpleUploadedFile("x.xlsx", b"not a zip"), columns=COLUMNS, required=set(), max_rows=2))


def bomb(uncompressed_mb: int) -> SimpleUploadedFile:
    """A real workbook whose sheet XML is padded with megabytes of blanks: tiny compressed, huge unpacked."""
    wb = Workbook()
    wb.active.append(["姓名", "备注"])
    buffer = io.BytesIO()
    wb.save(buffer)
    padded = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (uncompressed_mb * 1048576))
            target.writestr(item.filename, data)
    return SimpleUploadedFile("bomb.xlsx", padded.getvalue())


def test_a_decompression_bomb_is_refused_before_parsing(settings, monkeypatch):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 2 * 1048576
    upload = bomb(5)
    assert upload.size < 100_000  # a small file...
    parsed = []
    monkeypatch.setattr("dangjian.core.xlsx.load_workbook", lambda *a, **k: parsed.append(1))
    with pytest.raises(ValidationError, match="解压后过大"):
        read_rows(upload, columns=COLUMNS, required={"name"}, max_rows=10)
    assert parsed == []  # ...refused before openpyxl ever saw it


def test_a_workbook_of_too_many_parts_is_refused(settings):
    settings.XLSX_MAX_PARTS = 5
    with pytest.raises(ValidationError, match="结构异常"):
        read_rows(book(["姓名", "备注"], ["甲", "x"]), columns=COLUMNS, required={"name"}, max_rows=10)


def test_a_workbook_under_the_limit_still_reads(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 2 * 1048576
    rows = list(read_rows(bomb(1), columns=COLUMNS, required={"name"}, max_rows=10))
    assert rows == []
