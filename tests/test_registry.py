"""«Реестр документов.xlsx», written by XlsxWriter: what a clerk opens in it.

Each test opens the written registry with openpyxl and checks its content:
values and their types (numbers, dates with their format, texts kept as
texts), the links, the filter, the frozen header, the widths, the print setup,
the totals; over the example build and over the edges (no rows, no dates, no
links, odd texts, cut texts, random entries); reruns give the same bytes; a
character no .xlsx may hold is docgen's own error naming the file to fix.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, NoReturn

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.cli import cli
from docgen.errors import OutputError
from docgen.output.registry import (
    EDITED,
    HEADERS,
    MISSING,
    REGISTRY,
    WIDTHS,
    Entry,
    _linkable,
    _number,
    checked,
    entries,
    registry_bytes,
)

YEAR = "2025-2026 учебный год"
DATA = Path(__file__).resolve().parent.parent / "data"
D = dt.date
SEPTEMBER_23 = D(2025, 9, 23)
SHEET = "Реестр документов"


def entry(group: str = "Читающая школа", title: str = "Протокол № 1 от 23.09.2025",
          number: str = "1", date: dt.date | None = SEPTEMBER_23, note: str = "",
          file: str | None = None, kind: str = "Творческая группа",
          document: str = "Протокол заседания") -> Entry:
    return Entry(group, kind, document, title, number, date,
                 file if file is not None else f"Группа «{group}»/05.01 {title}.docx", note)


def opened(year: Path, rows: list[Entry]) -> Any:
    """The registry of ``rows`` as openpyxl reads it."""
    return openpyxl.load_workbook(io.BytesIO(registry_bytes(year, rows)))


def width(sheet: Any, column: int) -> float:
    """A column's width as Excel shows it (XlsxWriter stores it with the cell padding,
    equal neighbours as one range)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return round(dimension.width - 0.71, 2)
    raise AssertionError(f"no width for column {column}")


def link(cell: Any) -> str | None:
    """The file a cell opens, «/»-separated (XlsxWriter writes a relative link with «\\»
    and spaces as «%20», as Excel does)."""
    from urllib.parse import unquote

    if cell.hyperlink is None:
        return None
    return unquote(cell.hyperlink.target.replace("\\", "/"))


def spaced(value: str | None) -> str:
    """A link's name as XML reads it back from an attribute: a tab or line break a space."""
    return re.sub(r"\s", " ", value or "")


def text(value: str) -> str:
    """A text as the cell keeps it: Excel's first 32,767 characters."""
    return checked(value)


@pytest.fixture
def year(tmp_path: Path) -> Path:
    folder = tmp_path / YEAR
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbooks built once, as `docgen build data` builds them."""
    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / YEAR


def assert_rows(sheet: Any, rows: list[Entry]) -> None:
    """Each entry's row: values, types, the date's format, the link where the file is."""
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == len(rows)
    for n, (got, e) in enumerate(zip(values, rows, strict=True), start=1):
        number = _number(e.number)
        if isinstance(number, int) and number > 2**53:
            number = float(f"{number:.16g}")  # what Excel's numbers hold, as XlsxWriter writes
        elif isinstance(number, str):
            number = text(number)
        day = None if e.date is None else (
            dt.datetime(e.date.year, e.date.month, e.date.day) if e.date >= D(1900, 3, 1)
            else e.date.strftime("%d.%m.") + f"{e.date.year:04}" if e.date < D(1900, 1, 1)
            else got[6])
        expected = (n, text(e.group) or None, text(e.kind) or None, text(e.document) or None,
                    text(e.title) or None, number if number != "" else None, day,
                    text(e.file) or None, text(e.note) or None)
        assert got == expected, n
        file = sheet.cell(row=n + 1, column=8)
        if e.note == MISSING or not _linkable(e.file):
            assert file.hyperlink is None
        else:
            # XML turns a tab or a line break in an attribute into a space
            assert spaced(link(file)) == spaced(e.file.replace("\\", "/"))
        if e.date is None or e.date >= D(1900, 1, 1):
            assert sheet.cell(row=n + 1, column=7).number_format == "DD.MM.YYYY"


# --- the example build ---------------------------------------------------------------------


def test_the_example_builds_registry(example: Path) -> None:
    rows = entries(example)
    # 73 (the мастерская has no appointment order) and the 5 amendment orders
    assert len(rows) == 79 and any(r.date is None for r in rows)
    wb = openpyxl.load_workbook(example / REGISTRY)  # the file the build wrote
    assert wb.sheetnames == [SHEET, "Группы"]
    assert_rows(wb[SHEET], rows)
    assert (example / REGISTRY).read_bytes() == registry_bytes(example, rows)
    totals = list(wb["Группы"].iter_rows(min_row=2, values_only=True))
    assert totals[-1] == ("Всего", None, 79, 0) and len(totals) == 6


def test_a_year_with_no_documents(year: Path) -> None:
    wb = opened(year, [])
    sheet = wb[SHEET]
    assert [c.value for c in sheet[1]] == list(HEADERS) and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:I1"
    assert list(wb["Группы"].iter_rows(min_row=2, values_only=True)) == [("Всего", None, 0, 0)]


@pytest.mark.parametrize("dates", [
    [None, None, None],
    [None, D(2025, 9, 1), D(2025, 10, 1)],
    [D(2025, 9, 1), None, D(2025, 10, 1)],
    [D(1900, 1, 15), D(1900, 2, 28), D(1900, 3, 1)],  # Excel's 29 February 1900
    [D(1800, 1, 1), D(1899, 12, 31), D(9999, 12, 31)],  # before Excel's first day, the last
], ids=["none", "first-none", "first-dated", "1900", "far"])
def test_dates_and_no_dates(dates: list[dt.date | None], year: Path) -> None:
    rows = [entry(title=f"Протокол № {n}", number=str(n), date=d)
            for n, d in enumerate(dates, start=1)]
    sheet = opened(year, rows)[SHEET]
    assert_rows(sheet, rows)
    for r, d in enumerate(dates, start=2):
        if d is not None and d >= D(1900, 1, 1):
            assert sheet.cell(row=r, column=7).is_date


def test_long_texts_wrap_in_their_columns_and_the_row_grows(year: Path) -> None:
    """The columns are narrow enough to print legibly on a landscape A4; a text longer than
    its column wraps and its row is as high as its lines (LibreOffice's print cut it off at
    the next column, methodologist's read); a short row keeps Excel's height."""
    from docgen.output.registry import LINE_HEIGHT, ROW_PADDING, WIDTHS, text_lines

    title = "Отчёт о сетевом событии от 21.10.2025 — Семинар-практикум «Цифровая грамотность»"
    sheet = opened(year, [entry(title=title), entry()])[SHEET]
    assert sheet["E2"].value == title and sheet["E2"].alignment.wrap_text
    assert sheet["E2"].alignment.vertical == "top" and sheet["A2"].alignment.vertical == "top"
    assert text_lines(title, WIDTHS[4]) == 2  # its file's path, longer still, is not
    assert sheet.row_dimensions[2].height == 2 * LINE_HEIGHT + ROW_PADDING  # counted
    assert sheet.row_dimensions[3].height is None
    assert sheet["H2"].alignment.wrap_text and sheet["H2"].font.u == "single"  # still a link
    assert sum(WIDTHS) <= 200  # was 278: printed at half size


def test_a_date_before_1900_is_the_date_as_text(year: Path) -> None:
    """Excel has no date before 1900: a hand-edited one shows as the clerk reads it."""
    sheet = opened(year, [entry(date=D(1812, 9, 7))])[SHEET]
    assert sheet["G2"].value == "07.09.1812"


@pytest.mark.parametrize("notes", [
    ["", EDITED, MISSING, ""],
    [MISSING, MISSING],  # no link at all
    [MISSING, "", EDITED],  # the first link comes later
    [EDITED, EDITED],
], ids=["mixed", "all-missing", "first-missing", "all-edited"])
def test_notes_and_links(notes: list[str], year: Path) -> None:
    rows = [entry(title=f"Документ {n}", note=note) for n, note in enumerate(notes)]
    sheet = opened(year, rows)[SHEET]
    assert_rows(sheet, rows)
    for r, note in enumerate(notes, start=2):
        cell = sheet.cell(row=r, column=8)
        assert (cell.font.u == "single") == (note != MISSING)


@pytest.mark.parametrize("number", [
    "3", "24-3", "01-09/275", "007", "", "12345678901234567890", "٣", " 5", "1.5", "²",
    "9" * 400,
])
def test_numbers_as_numbers_and_as_text(number: str, year: Path) -> None:
    """Digits are a number («007» → 7; 20 digits as Excel's numbers round them), the rest
    text: «²», «٣» and what is too big for Excel's numbers too."""
    rows = [entry(number=number), entry(number="2")]
    sheet = opened(year, rows)[SHEET]
    assert_rows(sheet, rows)
    assert sheet["F3"].data_type == "n"


TEXTS = [
    "Гр & <Дом> \"кавычки\" 'апостроф'",
    "  с пробелами по краям  ",
    "\tтабуляция\nи перевод строки",
    "эмодзи 😀 и 𝔘 вне BMP",
    "Протокол № 3 «О работе» — итоги",
    "неразрывный пробел в конце\xa0",
    "=СУММ(A1:A3)",  # a text, never a formula
    "=",
    "#N/A",  # a text, never an error value
    "https://example.org",  # a text, never a link
    "#ДЕЛ/0!",
    "",
    " ",
    "\x7f\x85\u2028",
    "я" * 40000,  # cut at 32,767 characters in the cell, as Excel holds
    "😀" * 20000,  # Excel counts UTF-16 units: 16,383 of them
]


@pytest.mark.parametrize("value", TEXTS, ids=range(len(TEXTS)))
def test_texts_in_every_column(value: str, year: Path) -> None:
    rows = [entry(group=value or "г", title=value, number=value, note=value),
            entry(group="Другая", kind=value, document=value, file=f"Папка/{value[:100]}.docx"),
            entry(group="Третья", note=MISSING, file=f"{value[:100]}/файл.docx")]
    sheet = opened(year, rows)[SHEET]
    assert_rows(sheet, rows)
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in row)  # no formula anywhere


def test_many_groups(year: Path) -> None:
    rows = [entry(group=f"Группа {g:03}", title=f"Документ {n}", number=str(n),
                  note=(EDITED, "", MISSING)[(g + n) % 3], date=D(2025, 9, 1 + n))
            for g in range(300) for n in range(4)]
    wb = opened(year, rows)
    assert_rows(wb[SHEET], rows)
    totals = list(wb["Группы"].iter_rows(min_row=2, values_only=True))
    assert len(totals) == 301 and totals[0] == ("Группа 000", "Творческая группа", 4, 2)
    assert totals[-1] == ("Всего", None, 1200, sum(r.note == EDITED for r in rows))


# --- the same bytes on every run -------------------------------------------------------------


def test_reruns_are_byte_identical(year: Path, tmp_path: Path) -> None:
    """Two builds of the same year: the same bytes; the zip's dates fixed, «created» the
    school year's 1 September (not the time of the run)."""
    rows = [entry(), entry(note=MISSING), entry(date=None)]
    first = registry_bytes(year, rows)
    assert first == registry_bytes(year, list(rows))
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml")
    assert b"2025-09-01T00:00:00Z" in core and core.count(b"2025-09-01T00:00:00Z") == 2
    other = tmp_path / "2026-2027 учебный год"
    other.mkdir()
    assert b"2026-09-01T00:00:00Z" in zipfile.ZipFile(
        io.BytesIO(registry_bytes(other, rows))).read("docProps/core.xml")


def test_two_builds_give_the_same_registry(tmp_path: Path) -> None:
    """Through the CLI: two output folders from the same workbooks, the same bytes."""
    books = [str(DATA / "amursk-tvorcheskaya.xlsx"), str(DATA / "klin-masterskaya.xlsx")]
    written = []
    for name in ("a", "b"):
        for book in books:
            result = CliRunner().invoke(cli, ["build", book, "-o", str(tmp_path / name), "-q"])
            assert result.exit_code == 0, result.output
        written.append((tmp_path / name / YEAR / REGISTRY).read_bytes())
    assert written[0] == written[1]


@pytest.mark.skipif(os.name == "nt", reason="a POSIX umask")
def test_the_umask_does_not_change_the_bytes(year: Path) -> None:
    """openpyxl's scratch files put the umask into the zip; the registry is made in memory."""
    before = os.umask(0o077)
    try:
        strict = registry_bytes(year, [entry()])
    finally:
        os.umask(before)
    assert strict == registry_bytes(year, [entry()])


def test_the_registry_is_made_in_memory(year: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No scratch file anywhere (openpyxl kept each sheet in «/tmp/openpyxl.*»)."""

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError(f"a file opened: {args}")

    registry_bytes(year, [entry()])  # modules loaded first
    for name in ("mkstemp", "NamedTemporaryFile", "TemporaryFile", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(os, "open", refuse)
    data = registry_bytes(year, [entry(), entry(note=MISSING)])
    assert data.startswith(b"PK")


# --- random entries ----------------------------------------------------------------------

CHARS = st.one_of(
    st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГЁЯ№«»—–…")),
    st.sampled_from(list(" \t\n\xa0\u2028&<>\"'=#/!?.,;:-0123456789%")),
    st.sampled_from(["😀", "𝔘", "\x7f", "\x85", "\ufeff", "\ufffe", "\ud800", "\x01", "\x1f"]),
    st.characters(codec="utf-8", blacklist_characters="\r"),
)
TEXT = st.one_of(st.text(CHARS, max_size=30),
                 st.sampled_from(["", " ", "=", "=A1", "#N/A", "#REF!", "24-3", "007"]))
ENTRY = st.builds(
    Entry, group=TEXT, kind=TEXT, document=TEXT, title=TEXT,
    number=st.one_of(st.from_regex(r"\A[0-9]{1,20}\Z"), TEXT),
    date=st.one_of(st.none(), st.dates(min_value=D(1900, 3, 1))),
    file=st.builds(lambda a, b: f"{a}/{b}", TEXT, TEXT),
    note=st.sampled_from(["", EDITED, MISSING]))
BAD = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17" \
      "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff"


def written_or_docgens_error(rows: list[Entry], year: Path) -> None:
    """The rows read back as written, or, for a character no .xlsx holds, docgen's error."""
    fields = [v for e in rows for v in (e.group, e.kind, e.document, e.title, e.number,
                                        e.file, e.note)]
    if any(c in BAD or "\ud800" <= c <= "\udfff" for v in fields for c in v):
        with pytest.raises(OutputError, match="нельзя записать в Excel"):
            registry_bytes(year, rows)
        return
    assert_rows(opened(year, rows)[SHEET], rows)


QUICK = settings(max_examples=25, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@QUICK
@given(rows=st.lists(ENTRY, max_size=6))
def test_random_entries(rows: list[Entry], year: Path) -> None:
    written_or_docgens_error(rows, year)


@pytest.mark.slow
@settings(QUICK, max_examples=400)
@given(rows=st.lists(ENTRY, max_size=12))
def test_random_entries_at_length(rows: list[Entry], year: Path) -> None:
    written_or_docgens_error(rows, year)


# --- what no .xlsx may hold ------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["a\x01b", "\x1f", "a\x07b", "a\ufffeb", "a\ud800b"])
def test_a_character_excel_cannot_hold_is_docgens_error(bad: str, year: Path) -> None:
    """XlsxWriter would write «\\x07» as «_x0007_» (and fail on a lone surrogate): docgen
    names the folder and the file whose manifest holds it instead."""
    rows = [entry(), entry(group="Шаг навстречу", title=bad, file="Мастерская/02 Положение.docx")]
    with pytest.raises(OutputError) as caught:
        registry_bytes(year, rows)
    message = str(caught.value)
    assert "папки «Мастерская»" in message and "«02 Положение.docx»" in message
    assert "нельзя записать в Excel" in message and f"U+{ord(bad.strip('ab')):04X}" in message


def test_past_32767_characters_nothing_is_checked(year: Path) -> None:
    """A cell keeps its first 32,767 characters: a bad character after them is not written,
    in the cell nor in a link (a name that long is no link: Excel's links are shorter)."""
    late = "я" * 32767 + "\x01"
    sheet = opened(year, [entry(title=late, file=f"Папка/{late}")])[SHEET]
    assert sheet["E2"].value == "я" * 32767 and sheet["H2"].hyperlink is None
    with pytest.raises(OutputError, match="нельзя записать в Excel"):
        registry_bytes(year, [entry(title="я" * 32766 + "\x01")])


def test_a_name_excel_cannot_link_stays_text(year: Path) -> None:
    """«#» would be an anchor to Excel, «%20» taken as escaped already: no link, the text."""
    import warnings

    rows = [entry(file="Группа #1/файл.docx"), entry(file="Папка/100%20.docx"),
            entry(file="Папка/" + "я" * 2100 + ".docx"),
            entry(file="Папка/" + "😀" * 1030 + ".docx"),  # 1,041 characters, 2,071 UTF-16 units
            entry(file="Папка/" + "😀" * 1030 + "я" * 20 + ".docx")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns of a link it leaves out
        sheet = opened(year, rows)[SHEET]
    assert [sheet.cell(row=r, column=8).hyperlink for r in range(2, 7)] == [None] * 5
    assert sheet["H2"].value == "Группа #1/файл.docx" and sheet["H6"].value == rows[4].file


def test_past_excels_links_a_sheet_the_names_are_text(year: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 65,530 links a sheet (here 2, so the test is quick): the rest is text."""
    import docgen.output.registry

    monkeypatch.setattr(docgen.output.registry, "MAX_LINKS", 2)
    sheet = opened(year, [entry(title=f"Документ {n}") for n in range(3)])[SHEET]
    assert [link(sheet.cell(row=r, column=8)) is not None for r in (2, 3, 4)] == [
        True, True, False]
    assert sheet["H4"].value == "Группа «Читающая школа»/05.01 Документ 2.docx"


def test_a_hand_edited_manifest_says_what_to_fix(tmp_path: Path) -> None:
    """Through the CLI: one Russian line, not «Внутренняя ошибка»; the documents are written."""
    import json

    out = tmp_path / "out"
    book = DATA / "amursk-tvorcheskaya.xlsx"
    assert CliRunner().invoke(cli, ["build", str(book), "-o", str(out), "-q"]).exit_code == 0
    manifest = next((out / YEAR).glob("*/.docgen.json"))
    for field, value, said in (("title", "Приказ\x07", "есть знак U+0007"),
                               ("date", "31.02.2026", "дата «31.02.2026» — не дата")):
        state = json.loads(manifest.read_text(encoding="utf-8"))
        first = next(iter(state["files"].values()))
        first[field] = value
        manifest.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        other = CliRunner().invoke(cli, ["build", str(DATA / "klin-masterskaya.xlsx"), "-o",
                                         str(out), "-q"])
        assert other.exit_code == 1
        assert "Внутренняя ошибка" not in other.output and "Traceback" not in other.output
        line = next(s for s in other.stderr.splitlines() if "Реестр документов не записан" in s)
        assert said in line and manifest.parent.name in line and ".docgen.json" in line
        assert "документы записаны" in other.stdout  # the registry is no workbook's failure
        first[field] = "2025-09-01"  # mended: the next build writes the registry
        manifest.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


# --- what a clerk opens --------------------------------------------------------------------


def test_the_registry_opens_with_its_values_links_filter_and_print_setup(year: Path) -> None:
    rows = [entry(), entry(group="Шаг навстречу", title="Положение", number="24-3", date=None,
                           note=EDITED, file="Мастерская/02 Положение.docx"),
            entry(title="Отчёт", number="", note=MISSING, file="Группа/06 Отчёт.docx")]
    wb = opened(year, rows)
    sheet = wb[SHEET]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == HEADERS
    assert values[1] == (1, "Читающая школа", "Творческая группа", "Протокол заседания",
                         "Протокол № 1 от 23.09.2025", 1, dt.datetime(2025, 9, 23),
                         "Группа «Читающая школа»/05.01 Протокол № 1 от 23.09.2025.docx", None)
    assert values[2][5:] == ("24-3", None, "Мастерская/02 Положение.docx", EDITED)
    assert values[3][5] is None and values[3][8] == MISSING
    assert sheet["G2"].number_format == "DD.MM.YYYY" and sheet["G2"].is_date
    assert sheet["A1"].font.b and sheet["A1"].alignment.wrap_text
    assert sheet["A1"].alignment.vertical == "center"
    assert link(sheet["H3"]) == "Мастерская/02 Положение.docx"
    assert sheet["H3"].hyperlink.target == r"Мастерская\02%20Положение.docx"
    assert sheet["H4"].hyperlink is None  # the file is missing: nothing to open
    assert sheet["H2"].font.u == "single" and sheet["H2"].font.color.theme == 10  # Hyperlink
    assert sheet.auto_filter.ref == "A1:I4" and sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)  # 1: default
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert [width(sheet, c) for c in range(1, 10)] == list(WIDTHS)
    groups = wb["Группы"]
    totals = list(groups.iter_rows(values_only=True))
    assert totals[1:] == [("Читающая школа", "Творческая группа", 2, 0),
                          ("Шаг навстречу", "Творческая группа", 1, 1), ("Всего", None, 3, 1)]
    assert groups["A4"].font.b and groups["A1"].font.b and groups.freeze_panes == "A2"
    assert [width(groups, c) for c in range(1, 5)] == [40, 28, 12, 18]
    assert wb.properties.title == f"Реестр документов, {YEAR}"
    assert wb.properties.creator == "docgen"
    assert wb.properties.created == dt.datetime(2025, 9, 1)


def test_the_checks_can_fail(year: Path) -> None:
    """The content checks catch a changed value, a lost link and a lost date."""
    rows = [entry(), entry(note=EDITED)]
    sheet = opened(year, rows)[SHEET]
    with pytest.raises(AssertionError):
        assert_rows(sheet, [entry(title="Другой"), entry(note=EDITED)])
    with pytest.raises(AssertionError):
        assert_rows(sheet, [entry(), entry(note=MISSING)])  # a link where none should be
    with pytest.raises(AssertionError):
        assert_rows(sheet, [entry(date=None), entry(note=EDITED)])
