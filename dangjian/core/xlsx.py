"""The Excel files users exchange with the platform: templates with Chinese headers, and all-or-nothing imports
with a per-row report in Chinese. The roster import (orgs) and the question-bank import (learning) share these.

Every export is saved through `workbook_bytes` (or writes its rows with `text_safe_row` in write-only mode), so no
cell text a user typed can become a formula in Excel or WPS (formula injection, issue 14).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException


@dataclass
class RowError:
    row: int  # the spreadsheet's own row number (the header is row 1)
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_text(value) -> str:
    """A cell as trimmed text; whole numbers typed into Excel come back without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Text beginning with these is read as a formula by Excel, WPS or LibreOffice (also when the file is later saved as
# CSV and opened again): "=", "+", "-", "@", and a tab or carriage return before any of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell) -> None:
    # Stored as a string cell with the "quote prefix" style: Excel and WPS show the text exactly as typed (no
    # visible apostrophe, unlike a "'" put into the text) and keep it text when someone edits the cell, and a
    # re-import reads back the same text. openpyxl alone would store "=..." as a live formula.
    cell.data_type = "s"
    cell.quotePrefix = True


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of a workbook, every formula-like text cell written as text. A write-only workbook cannot be
    walked: its rows are appended through text_safe_row."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if formula_like(cell.value):
                        _as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_safe_row(sheet, values: Iterable) -> list:
    """A row for a write-only sheet's append(), with formula-like texts as text cells (see workbook_bytes)."""
    row = []
    for value in values:
        if formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            _as_text(cell)
            row.append(cell)
        else:
            row.append(value)
    return row


def style_header(sheet, widths: Sequence[int] = ()) -> None:
    """Bold white-on-red header row, frozen, with column widths (a normal, not write-only, sheet)."""
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B22222")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def check_archive(upload) -> None:
    """Refuse a decompression bomb before openpyxl opens it: an .xlsx is a zip, and a few hundred KB can unpack to
    gigabytes of sheet XML. The sizes checked are those the archive declares, which are also all that Python's zip
    reader will hand out for each part (it stops at the declared size), so a lying header gains nothing."""
    limit, max_parts = settings.XLSX_MAX_UNCOMPRESSED_BYTES, settings.XLSX_MAX_PARTS
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取该 Excel 文件，请使用 .xlsx 格式（可先下载模板）。")) from exc
    finally:
        upload.seek(0)
    if len(parts) > max_parts or sum(part.file_size for part in parts) > limit:
        raise ValidationError(
            _("该 Excel 文件解压后过大（上限 %(mb)d MB）或结构异常，已拒绝。请删去多余的工作表和格式，或分批导入。")
            % {"mb": limit // 1048576}
        )


def count_rows(upload) -> int:
    """About how many rows the file holds (its sheets' row elements, streamed; no parsing), to decide whether an
    import runs in the request or as a background job. Call after check_archive."""
    count = 0
    with zipfile.ZipFile(upload) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tail = b""
                with archive.open(name) as part:
                    while chunk := part.read(1 << 20):
                        count += (tail + chunk).count(b"<row ")  # tail: a tag split between chunks
                        tail = chunk[-4:]
    upload.seek(0)
    return count


def throttle_imports(actor) -> None:
    """At most IMPORTS_PER_HOUR imports per user and clock hour: an import that fails tells whether an ID number is
    registered somewhere, so imports must not be a fast probe (issue 14)."""
    limit = settings.IMPORTS_PER_HOUR
    key = f"imports:{actor.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, 3600)
    if cache.incr(key) > limit:
        raise ValidationError(_("导入过于频繁：每人每小时最多导入%(n)d次，请稍后再试。") % {"n": limit})


def read_rows(
    upload, *, columns: Sequence[tuple[str, str]], required: set[str], max_rows: int
) -> Iterator[tuple[int, dict]]:
    """Check the header, then yield (sheet row number, {key: value}) for every non-blank row.

    Raises ValidationError (Chinese) for an unreadable file, missing or unknown columns, or too many rows."""
    check_archive(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取该 Excel 文件，请使用 .xlsx 格式（可先下载模板）。")) from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [cell_text(h) for h in next(rows, ())]
    known = {label for _key, label in columns}
    missing = [label for key, label in columns if key in required and label not in header]
    unknown = [h for h in header if h and h not in known]
    if missing:
        raise ValidationError(_("缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
    if unknown:
        raise ValidationError(_("无法识别的列：%(cols)s。请使用导入模板。") % {"cols": "、".join(unknown)})
    index = {key: header.index(label) for key, label in columns if label in header}
    found = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue  # blank rows are skipped; the numbers of the others stay true to the sheet
        found.append((number, {key: (values[i] if i < len(values) else None) for key, i in index.items()}))
        if len(found) > max_rows:
            raise ValidationError(_("一次最多导入%(n)d行，请分批导入。") % {"n": max_rows})
    return iter(found)
