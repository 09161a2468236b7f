"""«Реестр документов.xlsx»: every document of a school year, for the centre to filter.

The registry is made from the manifests (``.docgen.json``) of the group folders
in a year folder, not from one run's results: building one group after another,
or the whole centre at once, gives the same complete list.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.output.folders import DERIVED, MANIFEST, GroupFolder, Manifest

REGISTRY = "Реестр документов.xlsx"
HEADERS = ("№", "Группа", "Вид объединения", "Документ", "Наименование", "Номер", "Дата",
           "Файл", "Примечание")
# narrow enough to print legibly on a landscape A4 (fitted to its width: about 73 %), the
# texts wrapped in them (WRAPPED) and each row as high as its longest
WIDTHS = (6, 26, 24, 24, 40, 9, 11, 34, 16)
EDITED = "изменён вручную"
MISSING = "файла нет в папке"


@dataclass(frozen=True)
class Entry:
    """One document of the registry."""

    group: str
    kind: str
    document: str
    title: str
    number: str
    date: dt.date | None
    file: str  # relative to the year folder, «/»-separated
    note: str


def entries(year: Path) -> list[Entry]:
    """Every document the group folders' manifests record, group by group.

    A stat per file (is it still what docgen wrote?); a date in a hand-edited
    ``.docgen.json`` that is not one is an ``OutputError`` naming the file.
    """
    found: list[Entry] = []
    folders = sorted((p for p in year.iterdir() if (p / MANIFEST).is_file()),
                     key=lambda p: p.name.casefold())
    for folder in folders:
        manifest = Manifest.read(folder)
        group = manifest.group.get("name") or folder.name
        kind = manifest.group.get("kind", "")
        prefix = f"{folder.name}/"
        for name in sorted(manifest.files, key=str.casefold):
            about = manifest.documents.get(name, {})
            if about.get(DERIVED):  # a PDF or the bundle: the document is listed already
                continue
            try:
                note = "" if manifest.unchanged(folder / name) else EDITED
            except OSError:
                note = MISSING
            title = about["title"] if "title" in about else Path(name).stem
            date = about.get("date", "")
            found.append(Entry(group, kind, about.get("document", ""), title,
                               about.get("number", ""), _date(date, folder, name) if date
                               else None, prefix + name, note))
    return found


# What no .xlsx may hold: control characters (XML 1.0), U+FFFE, U+FFFF, lone surrogates
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32767  # Excel's longest cell text (UTF-16 units): XlsxWriter cuts a longer one
MAX_LINK = 2079  # Excel's longest link; XlsxWriter leaves a longer one out with a warning
MAX_LINKS = 65530  # Excel's links a sheet: XlsxWriter leaves the others out with a warning
EXTERNAL = "external:"  # XlsxWriter's prefix of a link to a file, relative here
EXCEL_FIRST_DAY = dt.date(1900, 1, 1)  # Excel has no earlier date
_ESCAPED = re.compile("%[0-9a-fA-F]{2}")  # XlsxWriter would not escape such a link's spaces


class Unwritable(ValueError):
    """A text with a character no .xlsx may hold (``ILLEGAL``)."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def checked(value: str) -> str:
    """``value`` as a cell keeps it (Excel's first 32,767 characters), or ``Unwritable``.

    XlsxWriter writes a control character as Excel's «_x0007_» and fails on a
    lone surrogate: neither is what a clerk typed, so docgen says where it is.
    """
    if len(value) > MAX_TEXT // 2:
        cut = value.encode("utf-16-le", "surrogatepass")[:2 * MAX_TEXT]
        value = cut.decode("utf-16-le", "ignore") if len(cut) == 2 * MAX_TEXT else value
    if ILLEGAL.search(value):
        raise Unwritable(value)
    return value


LINE_HEIGHT = 15  # points: a line of Calibri 11, Excel's default row (20 pixels)
MAX_ROW_HEIGHT = 408.75  # points: Excel's highest row (409) in whole pixels, as stored
ROW_PADDING = 3  # points (4 pixels) under a row of several lines


def text_lines(text: str, width: float) -> int:
    """The lines a wrapped ``text`` takes in a column ``width`` characters wide.

    An .xlsx written by XlsxWriter stores no row heights, and LibreOffice (its
    PDF) does not fit a row to its wrapped text: the lines ran over the next
    row. So docgen sets each row's height from this estimate: words wrapped at
    the column's width in characters of Calibri 11 (LibreOffice's PDF fits 52
    Cyrillic characters with spaces in a column 50 «0» wide), a line at least
    per paragraph.
    """
    chars = max(1, int(width * 1.04))
    return sum(1 if len(line) <= chars else  # most cells: one line, no wrapping to do
               len(textwrap.wrap(line, chars, break_long_words=True)) or 1
               for line in text.split("\n"))


def row_height(texts: list[tuple[str, float]]) -> float:
    """A row's height in points for its wrapped ``texts`` (text, column width)."""
    return lines_height(max([text_lines(t, w) for t, w in texts if t] or [1]))


def lines_height(lines: int) -> float:
    """A row of ``lines`` lines in points: a line each, a padding under several."""
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + (ROW_PADDING if lines > 1 else 0))


def workbook_options() -> dict[str, object]:
    """XlsxWriter's options for docgen's workbooks: made in memory (no scratch file left
    by a killed run), a text always text (never a formula or a link), NaN as an error."""
    return {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "nan_inf_to_errors": True}


def registry_bytes(year: Path, rows: list[Entry]) -> bytes:
    """The registry workbook: a filterable table and a sheet of totals per group.

    Written by XlsxWriter in memory; «created» is 1 September of the year, so a
    rerun over the same documents gives the same bytes. A text Excel cannot
    hold (a control character in a hand-edited ``.docgen.json``) is an
    ``OutputError`` naming the group folder and the file.
    """
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, workbook_options())
    try:
        book.set_properties({"title": checked(f"Реестр документов, {year.name}"),
                             "author": "docgen", "created": _year_start(year.name)})
        bold = book.add_format({"bold": True})
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
        _table(book, rows, head)
        _totals(book, rows, head, bold)
    except Unwritable as exc:
        raise _unwritable(year, rows, exc.value) from None
    finally:
        book.close()
    return buffer.getvalue()


def _sheet(book: Any, name: str, titles: tuple[str, ...], widths: tuple[float, ...],
           head: Any) -> Any:
    """A sheet with its bold header, column widths and the header frozen."""
    sheet = book.add_worksheet(name)
    for column, (title, width) in enumerate(zip(titles, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, title, head)
    sheet.freeze_panes(1, 0)
    return sheet


def _table(book: Any, rows: list[Entry], head: Any) -> None:
    """«Реестр документов»: one row per document, the file linked unless missing."""
    sheet = _sheet(book, "Реестр документов", HEADERS, WIDTHS, head)
    sheet.autofilter(0, 0, len(rows), len(HEADERS) - 1)
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # printed: all columns on the page's width
    # each cell at its row's top, the texts wrapped in their column (a row as high as its
    # longest: LibreOffice does not fit rows itself, see text_lines)
    top = book.add_format({"valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "DD.MM.YYYY", "valign": "top"})
    link = book.add_format({"hyperlink": True, "text_wrap": True, "valign": "top"})
    texts: dict[str, str] = {}
    numbers: dict[str, int | str] = {}
    lines: dict[tuple[str, int], int] = {}
    links = 0

    def text(value: str) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = checked(value)
        return found

    def height(values: tuple[tuple[str, int], ...]) -> int:
        most = 1
        for key in values:
            found = lines.get(key)
            if found is None:
                found = lines[key] = text_lines(key[0], WIDTHS[key[1]])
            most = max(most, found)
        return most

    def number(row: int, column: int, value: int) -> None:
        sheet.write_number(row, column, value, top)

    def string(row: int, column: int, value: str, style: Any = wrap) -> None:
        if value:  # an empty text: no cell, as an empty cell reads
            sheet.write_string(row, column, value, style)
    for r, entry in enumerate(rows, start=1):
        number(r, 0, r)
        string(r, 1, text(entry.group))
        string(r, 2, text(entry.kind))
        string(r, 3, text(entry.document))
        string(r, 4, text(entry.title))
        value = numbers.get(entry.number)
        if value is None:
            value = numbers[entry.number] = _number(entry.number)
        if isinstance(value, int):
            number(r, 5, value)
        else:
            string(r, 5, text(value), top)
        if entry.date is None:
            sheet.write_blank(r, 6, None, day)
        elif entry.date < EXCEL_FIRST_DAY:  # no Excel date: the date as the clerk reads it
            d = entry.date
            string(r, 6, f"{d.day:02}.{d.month:02}.{d.year:04}", top)
        else:
            sheet.write_datetime(r, 6, entry.date, day)
        file = text(entry.file)
        if entry.note != MISSING and links < MAX_LINKS and _linkable(entry.file):
            # relative to the registry: opens from Excel (XlsxWriter writes «\\» for «/»)
            sheet.write_url(r, 7, EXTERNAL + entry.file, link, file)
            links += 1
        else:
            string(r, 7, file)
        if entry.note:
            string(r, 8, text(entry.note))
        # not the file's link: LibreOffice never wraps a link (it prints the start of it)
        n = height(((entry.group, 1), (entry.kind, 2), (entry.document, 3), (entry.title, 4),
                    (entry.note, 8)))
        if n > 1:
            sheet.set_row(r, lines_height(n))


def _linkable(file: str) -> bool:
    """Whether Excel can hold ``file`` as a link: no «#» (an anchor to Excel), no «%20»
    (XlsxWriter would take it as escaped already), not longer than Excel's links
    (so the link holds the cell's text whole, checked already)."""
    return ("#" not in file and not _ESCAPED.search(file)
            and len(file.encode("utf-16-le", "surrogatepass")) // 2 + len(EXTERNAL) <= MAX_LINK)


def _totals(book: Any, rows: list[Entry], head: Any, bold: Any) -> None:
    """«Группы»: documents and hand-edited ones per group, then «Всего»."""
    sheet = _sheet(book, "Группы", ("Группа", "Вид объединения", "Документов",
                                    "Изменено вручную"), (40, 28, 12, 18), head)
    by_group: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        by_group.setdefault((entry.group, entry.kind), []).append(entry)
    for r, ((group, kind), items) in enumerate(by_group.items(), start=1):
        for column, value in ((0, group), (1, kind)):
            if value:
                sheet.write_string(r, column, checked(value))
        sheet.write_number(r, 2, len(items))
        sheet.write_number(r, 3, sum(e.note == EDITED for e in items))
    r = len(by_group) + 1
    sheet.write_string(r, 0, "Всего", bold)
    sheet.write_number(r, 2, len(rows))
    sheet.write_number(r, 3, sum(e.note == EDITED for e in rows))


def _unwritable(year: Path, rows: list[Entry], value: str) -> Exception:
    """The error for a text Excel cannot hold, naming where it came from.

    Only a ``.docgen.json`` edited by hand (or damaged) can hold one: docgen
    writes no such character itself.
    """
    from docgen.errors import OutputError
    from docgen.text import visible

    found = ILLEGAL.search(value)
    sign = f"знак U+{ord(found.group()):04X}" if found else "знак"
    for entry in rows:
        if value in (entry.group, entry.kind, entry.document, entry.title, entry.number,
                     entry.file, entry.note):
            folder, _, name = entry.file.partition("/")
            return OutputError(
                f"в списке документов папки «{visible(folder)}» (файл .docgen.json) у файла "
                f"«{visible(name)}» есть {sign}, который нельзя записать в Excel: сформируйте "
                f"документы этой группы заново или исправьте этот файл .docgen.json",
                file=year / folder / MANIFEST)
    return OutputError(f"в имени папки «{visible(year.name)}» есть {sign}, который нельзя "
                       f"записать в Excel: переименуйте папку", file=year)


def _date(text: str, folder: Path, name: str) -> dt.date:
    """A document's date as its manifest records it (``2025-09-01``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from docgen.errors import OutputError
        from docgen.text import visible

        raise OutputError(
            f"в списке документов папки «{visible(folder.name)}» (файл .docgen.json) у файла "
            f"«{visible(name)}» дата «{visible(text)}» — не дата: сформируйте документы этой "
            f"группы заново или исправьте этот файл .docgen.json",
            file=folder / MANIFEST) from None


def _year_start(folder: str) -> dt.datetime:
    """1 September of the folder's school year («2025-2026 учебный год»): a stable date.

    The registry's «created» property must not be the time of the run, or two
    runs over the same documents would give different files.
    """
    digits = folder[:4]
    return dt.datetime(int(digits), 9, 1) if digits.isdigit() else dt.datetime(2000, 1, 1)


def _number(text: str) -> int | str:
    """A protocol's «3» as a number, so Excel sorts 2 before 10; «24-3» stays text.

    So does what only looks like digits («²») or is too big for Excel's numbers.
    """
    if not text.isdigit():
        return text
    try:
        value = int(text)
        float(value)
    except (ValueError, OverflowError):
        return text
    return value


def write_registry(year: Path) -> Path:
    """Write the year folder's registry; a copy the clerk edited is kept, as documents are."""
    from docgen.errors import OutputError
    from docgen.runtime.files import os_problem

    with GroupFolder(year) as folder:
        try:
            data = registry_bytes(year, entries(year))
        except OSError as exc:
            raise OutputError(os_problem(exc, year / REGISTRY, writing=True)) from exc
        folder.expect([data])
        target, _kept = folder.write(REGISTRY, data)
        folder.finish()
    return target
