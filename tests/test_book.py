"""The workbook reader (python-calamine, issue 29) gives the values openpyxl's read-only mode gives.

openpyxl is the oracle: every sheet of every example workbook, a workbook saved
by LibreOffice (shared strings, its own styles) and a workbook with every kind
of value are read both ways and compared cell by cell. The same workbook saved
by LibreOffice as .ods and .xls (tests/data) reads to the same values and group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from docgen.main import check_workbook
from docgen.workbook.book import Book, BookError, TooLarge, split_ref

ROOT = Path(__file__).resolve().parent.parent
LIBREOFFICE = ROOT / "tests" / "data" / "libreoffice-amursk.xlsx"  # data/amursk… resaved
BOOKS = [*sorted((ROOT / "data").glob("*.xlsx")), LIBREOFFICE]


def trimmed(rows: Any) -> list[tuple[Any, ...]]:
    """Rows without trailing empty cells and trailing empty rows, for comparison."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(tuple(row))
    while out and not out[-1]:
        out.pop()
    return out


def openpyxl_rows(path: Path | io.BytesIO) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: trimmed(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def our_rows(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = Book(data)
    return {title: trimmed(book.sheet(title).rows) for title in book.titles}


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_every_sheet_reads_as_openpyxl_reads_it(path: Path) -> None:
    assert our_rows(path.read_bytes()) == openpyxl_rows(path)


def test_every_kind_of_value(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Значения"
    ws.append(["текст", 12, 1.5, True, False, dt.date(2025, 9, 18),
               dt.datetime(2026, 1, 2, 15, 30)])
    ws.append([None, None, "после пропуска", -3, 1e20, "=1+1", "#N/A"])
    ws["B5"] = "строка 5 после пустых"
    ws["C5"] = dt.time(15, 0)
    ws["D5"].value = 45000
    ws["D5"].number_format = "DD.MM.YYYY"
    ws["E5"].value = 1.25
    ws["E5"].number_format = "[h]:mm"
    wb.create_sheet("Пустой")
    path = tmp_path / "values.xlsx"
    wb.save(path)
    assert our_rows(path.read_bytes()) == openpyxl_rows(path)


def test_an_error_value_is_told_from_the_same_text_typed_in(tmp_path: Path) -> None:
    from docgen.workbook.book import CellError

    wb = openpyxl.Workbook()
    wb.active["A1"] = "#NULL!"  # openpyxl, like Excel, takes it for the error value
    wb.active["A2"] = "#NULL!"
    wb.active["A2"].data_type = "s"  # typed as text ('#NULL! in Excel)
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    error, text = (row[0] for row in our_rows(path.read_bytes())["Sheet"])
    assert error == text == "#NULL!"
    assert isinstance(error, CellError)
    assert not isinstance(text, CellError)


def test_cells_without_references_are_placed_as_openpyxl_places_them(tmp_path: Path) -> None:
    """Excel writes «r» on every cell; other programs may not, and a formatted-only cell
    (whose reference docgen reads only when a later cell needs it) still counts."""
    rows = ('<row r="1"><c r="B1" s="0"/><c t="inlineStr"><is><t>C</t></is></c>'
            '<c/><c><v>5</v></c></row>'
            '<row><c><v>1</v></c><c s="0"/><c><v>3</v></c><c r="F2"><v>6</v></c></row>'
            '<row r="4"><c r="D4" s="0"/><c r="E4"/><c><v>7</v></c></row>')
    book = replaced_sheet(tmp_path, rows)
    assert our_rows(book) == openpyxl_rows(io.BytesIO(book)) == {"Sheet": [
        (None, None, "C", None, 5), (1, None, 3, None, None, 6), (), (None, None, None, None,
                                                                       None, 7)]}


def test_dates_of_the_1904_calendar(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active["A1"] = dt.date(2025, 9, 18)
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    book = Book(path.read_bytes())
    assert book.sheet(book.titles[0]).rows[0][0] == dt.datetime(2025, 9, 18)


def test_escaped_characters_in_strings_are_decoded(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "строка_x000D_вторая и _x005F_x0041_"
    path = tmp_path / "escaped.xlsx"
    wb.save(path)
    book = Book(path.read_bytes())
    assert book.sheet(book.titles[0]).rows[0][0] == "строка\rвторая и _x0041_"


def test_merged_cells_and_formulas_without_a_saved_value(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=SUM(B1:B3)"  # openpyxl saves no result, as a program that never opened it
    ws["A3"] = "объединено"
    ws.merge_cells("A3:B4")
    path = tmp_path / "extras.xlsx"
    wb.save(path)
    sheet = Book(path.read_bytes()).sheet(ws.title)
    assert sheet.extras.uncached == {(1, 1)}
    # kept up to the last row with a value: the reader asks only about cells of such rows
    assert sheet.extras.merged == {(3, 2): "A3:B4"}
    assert sheet.rows[0] == ()  # read as empty, and reported by the reader


def test_a_libreoffice_workbook_gives_the_same_group() -> None:
    original = check_workbook(ROOT / "data" / "amursk-tvorcheskaya.xlsx")
    resaved = check_workbook(LIBREOFFICE)
    assert original.ok and resaved.ok
    def where(problems: list) -> list:  # the same problems, whichever file they are in
        return [dataclasses.replace(p, location=dataclasses.replace(p.location, file=""))
                for p in problems]

    # the copies in tests/data are LibreOffice's of the example as it is now
    assert where(original.problems) == where(resaved.problems)
    assert dataclasses.replace(original.group, source=None) == dataclasses.replace(
        resaved.group, source=None)


@pytest.mark.parametrize("damage", ["no-workbook-part", "bad-xml", "not-a-zip"])
def test_a_damaged_package_is_an_xlsx_error(damage: str, tmp_path: Path) -> None:
    data = (ROOT / "data" / "klin-masterskaya.xlsx").read_bytes()
    if damage == "not-a-zip":
        data = b"PK\x03\x04" + b"\0" * 100
    else:
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "xl/workbook.xml":
                    if damage == "no-workbook-part":
                        continue
                    content = content[: len(content) // 2]
                out.writestr(item, content)
        data = buffer.getvalue()
    with pytest.raises(BookError):
        Book(data)


@pytest.mark.parametrize(("ref", "expected"), [("A1", (1, 1)), ("Z9", (9, 26)),
                                               ("AA10", (10, 27)), ("$B$7", (7, 2)),
                                               ("XFD1048576", (1048576, 16384))])
def test_split_ref(ref: str, expected: tuple[int, int]) -> None:
    assert split_ref(ref) == expected


def test_column_letters_are_excels() -> None:
    from openpyxl.utils import get_column_letter

    from docgen.errors import column_letter

    assert all(column_letter(i) == get_column_letter(i) for i in range(1, 16385))
    assert all(split_ref(f"{column_letter(i)}1") == (1, i) for i in range(1, 16385, 97))


FORMATS = ROOT / "tests" / "data"


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_libreoffice_s_ods_and_xls_read_as_its_xlsx(suffix: str) -> None:
    """The same workbook saved by LibreOffice Calc 7.4 as .xlsx, .ods and .xls (``soffice
    --convert-to``): the same values on every sheet, the same group and problems."""
    assert our_rows((FORMATS / f"libreoffice-amursk.{suffix}").read_bytes()) == our_rows(
        LIBREOFFICE.read_bytes())
    original = check_workbook(LIBREOFFICE)
    other = check_workbook(FORMATS / f"libreoffice-amursk.{suffix}")
    assert other.ok and other.error is None
    assert [(p.message, p.location.sheet, p.location.cell) for p in other.problems] == [
        (p.message, p.location.sheet, p.location.cell) for p in original.problems]
    assert dataclasses.replace(other.group, source=None) == dataclasses.replace(
        original.group, source=None)


def test_an_ods_renamed_to_xlsx_is_read_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "группа.xlsx"
    path.write_bytes((FORMATS / "libreoffice-amursk.ods").read_bytes())
    assert check_workbook(path).ok


def replaced_sheet(tmp_path: Path, rows: str) -> bytes:
    """A workbook whose first sheet is ``rows`` (the XML of its sheetData)."""
    path = tmp_path / "base.xlsx"
    openpyxl.Workbook().save(path)
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{rows}</sheetData></worksheet>")
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def test_a_cell_with_an_empty_style_attribute_reads(tmp_path: Path) -> None:
    """Some programs write ``s=""``: the old reader called such a file damaged."""
    data = replaced_sheet(tmp_path, '<row r="1"><c r="A1" s=""><v>3</v></c>'
                                    '<c r="B1" s="" t="inlineStr"><is><t>x</t></is></c></row>')
    assert our_rows(data) == {"Sheet": [(3, "x")]}


def test_a_value_far_from_the_table_is_refused_not_a_crash(tmp_path: Path) -> None:
    """calamine holds a sheet as one rectangle from A1 and aborts the process when it does
    not fit in memory: such a sheet is refused before calamine reads it."""
    data = replaced_sheet(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>'
                                    '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')
    with pytest.raises(TooLarge) as caught:
        Book(data).sheet("Sheet")
    assert caught.value.what == "area" and caught.value.cell == "XFD1048576"


def test_cells_without_references_count_their_rows(tmp_path: Path) -> None:
    """Cells placed by their order are counted in a second pass over the rows (made only
    for such a sheet): 3,200 rows of them make a rectangle past MAX_CELLS as the scan
    reckons it (rows × (named columns + unnamed cells)), and the sheet is refused."""
    data = replaced_sheet(tmp_path, '<row><c t="n"><v>1</v></c></row>' * 3200)
    with pytest.raises(TooLarge) as caught:
        Book(data).sheet("Sheet")
    assert caught.value.what == "area" and caught.value.size == 3200 * 3200


def test_serial_dates_are_openpyxl_s() -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    from docgen.workbook.book import MAC_EPOCH, WINDOWS_EPOCH, serial_date

    for ours, theirs in ((WINDOWS_EPOCH, CALENDAR_WINDOWS_1900), (MAC_EPOCH, CALENDAR_MAC_1904)):
        for value in [1, 59, 60, 61, 1.5, 45000, 45000.999999, *range(2, 80000, 997)]:
            assert serial_date(value, ours) == from_excel(value, theirs), value
