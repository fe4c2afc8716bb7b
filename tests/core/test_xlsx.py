import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangjian.core.xlsx import cell_text, read_rows

COLUMNS = [("name", "姓名"), ("note", "备注")]


def book(*rows) -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("x.xlsx", buffer.getvalue())


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
