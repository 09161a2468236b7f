"""«Реестр документов.xlsx» written without openpyxl: every byte as openpyxl wrote it.

The writer before (openpyxl's write-only mode) is kept in ``registry_reference``;
each test here compares the new ``registry_bytes`` with it byte for byte, over
the example build and over the edges (no rows, no dates, no links, escaping,
cut texts, formulas and error codes, umasks, random entries), shows that the
comparison catches a one-byte difference, and opens the result in openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import NoReturn

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import zip_differences as differences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registry_reference import reference_bytes

from docgen import xlsx_write
from docgen.cli import cli
from docgen.errors import OutputError
from docgen.registry import EDITED, MISSING, REGISTRY, Entry, entries, registry_bytes

# openpyxl, made to fail on purpose (the reference), leaves a sheet writer to the collector
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
YEAR = "2025-2026 учебный год"
DATA = Path(__file__).resolve().parent.parent / "data"
D = dt.date


SEPTEMBER_23 = D(2025, 9, 23)


def entry(group: str = "Читающая школа", title: str = "Протокол № 1 от 23.09.2025",
          number: str = "1", date: dt.date | None = SEPTEMBER_23, note: str = "",
          file: str | None = None, kind: str = "Творческая группа",
          document: str = "Протокол заседания") -> Entry:
    return Entry(group, kind, document, title, number, date,
                 file if file is not None else f"Группа «{group}»/05.01 {title}.docx", note)


def assert_same(year: Path, rows: list[Entry], scratch: Path) -> bytes:
    """The new writer's bytes are openpyxl's (run as ``write_registry`` ran it)."""
    new = registry_bytes(year, rows)
    old = reference_bytes(year, rows, scratch)
    assert new == old, "\n".join(differences(old, new))
    return new


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


# --- the same bytes ----------------------------------------------------------------------


def test_the_example_builds_registry_is_openpyxls(example: Path, tmp_path: Path) -> None:
    rows = entries(example)
    # 73 (the мастерская has no appointment order) and the 5 amendment orders
    assert len(rows) == 79 and any(r.date is None for r in rows)
    assert_same(example, rows, tmp_path / "scratch")
    # the file the build wrote, through write_registry, with its sheets' file mode
    written = (example / REGISTRY).read_bytes()
    assert written == reference_bytes(example, rows, tmp_path / "scratch")


def test_a_year_with_no_documents(year: Path, tmp_path: Path) -> None:
    data = assert_same(year, [], tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "xl/worksheets/_rels/sheet1.xml.rels" not in package.namelist()
        assert b'<numFmts count="0"/>' in package.read("xl/styles.xml")


@pytest.mark.parametrize("dates", [
    [None, None, None],  # no date at all: one number format only
    [None, D(2025, 9, 1), D(2025, 10, 1)],  # openpyxl met the dates' own format second
    [D(2025, 9, 1), None, D(2025, 10, 1)],
    [D(1900, 1, 15), D(1900, 2, 28), D(1900, 3, 1)],  # Excel's 29 February 1900
    [D(1800, 1, 1), D(1899, 12, 30), D(9999, 12, 31)],  # before Excel's epoch, the last day
], ids=["none", "first-none", "first-dated", "1900", "far"])
def test_dates_and_no_dates(dates: list[dt.date | None], year: Path, tmp_path: Path) -> None:
    rows = [entry(title=f"Протокол № {n}", number=str(n), date=d)
            for n, d in enumerate(dates, start=1)]
    assert_same(year, rows, tmp_path)


@pytest.mark.parametrize("notes", [
    ["", EDITED, MISSING, ""],
    [MISSING, MISSING],  # no link at all: no link font, no relationships part
    [MISSING, "", EDITED],  # the first link comes later
    [EDITED, EDITED],
], ids=["mixed", "all-missing", "first-missing", "all-edited"])
def test_notes_and_links(notes: list[str], year: Path, tmp_path: Path) -> None:
    rows = [entry(title=f"Документ {n}", note=note) for n, note in enumerate(notes)]
    data = assert_same(year, rows, tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        linked = "xl/worksheets/_rels/sheet1.xml.rels" in package.namelist()
    assert linked == any(note != MISSING for note in notes)


@pytest.mark.parametrize("number", [
    "3", "24-3", "01-09/275", "007", "", "12345678901234567890", "٣", " 5", "1.5",
])
def test_numbers_as_numbers_and_as_text(number: str, year: Path, tmp_path: Path) -> None:
    """Digits are a number («007» → 7, 20 digits as openpyxl rounded them), the rest text."""
    assert_same(year, [entry(number=number), entry(number="2")], tmp_path)


TEXTS = [
    "Гр & <Дом> \"кавычки\" 'апостроф'",
    "  с пробелами по краям  ",
    "\tтабуляция\nи перевод строки\r\nи возврат каретки",
    "эмодзи 😀 и 𝔘 вне BMP",
    "Протокол № 3 «О работе» — итоги",
    "неразрывный пробел в конце\xa0",
    "=СУММ(A1:A3)",  # a formula to openpyxl: kept
    "=",
    "#N/A",  # an error value to openpyxl: kept
    "#ДЕЛ/0!",
    "",
    " ",
    "\x7f\x85\u2028",
    "я" * 40000,  # cut at 32,767 characters in the cell, as openpyxl cut it
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_texts_in_every_column(text: str, year: Path, tmp_path: Path) -> None:
    rows = [entry(group=text or "г", title=text, number=text, note=text),
            entry(group="Другая", kind=text, document=text, file=f"Папка/{text}.docx"),
            entry(group="Третья", note=MISSING, file=f"{text}/файл.docx")]
    assert_same(year, rows, tmp_path)


def test_many_groups(year: Path, tmp_path: Path) -> None:
    rows = [entry(group=f"Группа {g:03}", title=f"Документ {n}", number=str(n),
                  note=(EDITED, "", MISSING)[(g + n) % 3], date=D(2025, 9, 1 + n))
            for g in range(300) for n in range(4)]
    assert_same(year, rows, tmp_path)


@pytest.mark.skipif(os.name == "nt", reason="a POSIX umask")
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_the_sheets_file_mode_follows_the_umask_as_openpyxls_scratch_files_did(
        umask: int, year: Path, tmp_path: Path) -> None:
    before = os.umask(umask)
    try:
        data = assert_same(year, [entry()], tmp_path)
    finally:
        os.umask(before)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        modes = {i.filename: i.external_attr >> 16 for i in package.infolist()}
    assert modes["xl/worksheets/sheet1.xml"] == 0o100000 | (0o666 & ~umask)
    assert modes["docProps/app.xml"] == 0o600


def test_reruns_are_byte_identical(year: Path) -> None:
    rows = [entry(), entry(note=MISSING), entry(date=None)]
    assert registry_bytes(year, rows) == registry_bytes(year, list(rows))


# --- the comparison can fail -------------------------------------------------------------


def test_a_one_byte_difference_is_caught(example: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Three planted one-byte differences: in a sheet's text, in a part's mode, in the theme."""
    rows = entries(example)
    escape = xlsx_write.text
    with pytest.raises(AssertionError, match=r"sheet1\.xml at byte"):  # «"» escaped too
        monkeypatch.setattr(xlsx_write, "text", lambda v: escape(v).replace('"', "&quot;"))
        assert_same(example, [*rows, entry(title='"')], tmp_path)
    monkeypatch.undo()
    with pytest.raises(AssertionError, match=r"docProps/app\.xml: mode 600 != 644"):
        monkeypatch.setattr(xlsx_write, "MEMORY_FILE_MODE", 0o644)
        assert_same(example, rows, tmp_path)
    monkeypatch.undo()
    import docgen.xlsx_theme

    with pytest.raises(AssertionError, match=r"theme1\.xml at byte"):
        monkeypatch.setattr(docgen.xlsx_theme, "THEME", docgen.xlsx_theme.THEME.replace(
            "Office Theme", "Office theme"))
        assert_same(example, rows, tmp_path)
    monkeypatch.undo()
    assert_same(example, rows, tmp_path)


# --- random entries ----------------------------------------------------------------------

CHARS = st.one_of(
    st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГЁЯ№«»—–…")),
    st.sampled_from(list(" \t\n\r\xa0\u2028&<>\"'=#/!?.,;:-0123456789")),
    st.sampled_from(["😀", "𝔘", "\x7f", "\x85", "\ufeff", "\ufffe", "\ud800", "\x01", "\x1f"]),
    st.characters(codec="utf-8"),
)
TEXT = st.one_of(st.text(CHARS, max_size=30),
                 st.sampled_from(["", " ", "=", "=A1", "#N/A", "#REF!", "24-3", "007"]))


def intable(text: str) -> bool:
    """openpyxl's registry crashed (a traceback) on «²»: digits that are no number."""
    try:
        float(int(text))
    except (ValueError, OverflowError):
        return False
    return True


ENTRY = st.builds(
    Entry, group=TEXT, kind=TEXT, document=TEXT, title=TEXT,
    number=st.one_of(st.from_regex(r"\A[0-9]{1,20}\Z"), TEXT).filter(
        lambda t: not t.isdigit() or intable(t)),
    date=st.one_of(st.none(), st.dates()),
    file=st.builds(lambda a, b: f"{a}/{b}", TEXT, TEXT),
    note=st.sampled_from(["", EDITED, MISSING]))


def same_or_docgens_error(rows: list[Entry], year: Path, scratch: Path) -> None:
    """Where openpyxl wrote a registry, the same bytes; where it failed, docgen's own error."""
    try:
        old = reference_bytes(year, rows, scratch)
    except Exception:  # a character openpyxl or lxml refused
        with pytest.raises(OutputError, match="нельзя записать в Excel"):
            registry_bytes(year, rows)
        return
    new = registry_bytes(year, rows)
    assert new == old, "\n".join(differences(old, new))


QUICK = settings(max_examples=25, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@QUICK
@given(rows=st.lists(ENTRY, max_size=6))
def test_random_entries(rows: list[Entry], year: Path, tmp_path: Path) -> None:
    same_or_docgens_error(rows, year, tmp_path)


@pytest.mark.slow
@settings(QUICK, max_examples=400)
@given(rows=st.lists(ENTRY, max_size=12))
def test_random_entries_at_length(rows: list[Entry], year: Path, tmp_path: Path) -> None:
    same_or_docgens_error(rows, year, tmp_path)


# --- what openpyxl refused -----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["a\x01b", "\x1f", "a\ufffeb", "a\ud800b"])
def test_a_character_excel_cannot_hold_is_docgens_error(bad: str, year: Path,
                                                        tmp_path: Path) -> None:
    rows = [entry(), entry(group="Шаг навстречу", title=bad, file="Мастерская/02 Положение.docx")]
    with pytest.raises(Exception):  # noqa: B017 — what openpyxl did: an internal error
        reference_bytes(year, rows, tmp_path)
    with pytest.raises(OutputError) as caught:
        registry_bytes(year, rows)
    message = str(caught.value)
    assert "папки «Мастерская»" in message and "«02 Положение.docx»" in message
    assert "нельзя записать в Excel" in message and f"U+{ord(bad.strip('ab')):04X}" in message


def test_past_32767_characters_only_the_link_is_checked(year: Path, tmp_path: Path) -> None:
    """As openpyxl: a cell keeps its first 32,767 characters; a link keeps all of them."""
    late = "я" * 32767 + "\x01"
    assert_same(year, [entry(title=late, file="Папка/файл.docx")], tmp_path)  # cut before it
    with pytest.raises(OutputError, match="нельзя записать в Excel"):
        registry_bytes(year, [entry(file=f"Папка/{late}")])


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


def test_digits_that_are_no_number_are_text(year: Path) -> None:
    """«²» is a digit to Python but no number: openpyxl's registry crashed; now it is text."""
    data = registry_bytes(year, [entry(number="²"), entry(number="9" * 400)])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Реестр документов"]
    assert sheet["F2"].value == "²" and sheet["F3"].value == "9" * 400


# --- what a clerk opens --------------------------------------------------------------------


def test_the_registry_opens_with_its_values_links_filter_and_print_setup(year: Path) -> None:
    rows = [entry(), entry(group="Шаг навстречу", title="Положение", number="24-3", date=None,
                           note=EDITED, file="Мастерская/02 Положение.docx"),
            entry(title="Отчёт", number="", note=MISSING, file="Группа/06 Отчёт.docx")]
    wb = openpyxl.load_workbook(io.BytesIO(registry_bytes(year, rows)))
    sheet = wb["Реестр документов"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == (1, "Читающая школа", "Творческая группа", "Протокол заседания",
                         "Протокол № 1 от 23.09.2025", 1, dt.datetime(2025, 9, 23),
                         "Группа «Читающая школа»/05.01 Протокол № 1 от 23.09.2025.docx", None)
    assert values[2][5:] == ("24-3", None, "Мастерская/02 Положение.docx", EDITED)
    assert values[3][5] is None and values[3][8] == MISSING
    assert sheet["G2"].number_format == "DD.MM.YYYY" and sheet["A1"].font.b
    assert sheet["H3"].hyperlink.target == "Мастерская/02 Положение.docx"
    assert sheet["H4"].hyperlink is None  # the file is missing: nothing to open
    assert sheet["H2"].font.u == "single" and sheet["H2"].font.color.rgb == "000563C1"
    assert sheet.auto_filter.ref == "A1:I4" and sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert [c.width for c in sheet.column_dimensions.values()][:2] == [6, 40]
    totals = list(wb["Группы"].iter_rows(values_only=True))
    assert totals[1:] == [("Читающая школа", "Творческая группа", 2, 0),
                          ("Шаг навстречу", "Творческая группа", 1, 1), ("Всего", None, 3, 1)]
    assert wb["Группы"]["A4"].font.b and wb["Группы"].freeze_panes == "A2"
    assert wb.properties.title == f"Реестр документов, {YEAR}"
    assert wb.properties.created == dt.datetime(2025, 9, 1)


def test_the_registry_is_made_in_memory(year: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No scratch file anywhere (openpyxl kept each sheet in «/tmp/openpyxl.*»)."""

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError(f"a file opened: {args}")

    for name in ("mkstemp", "NamedTemporaryFile", "TemporaryFile", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(os, "open", refuse)
    data = registry_bytes(year, [entry(), entry(note=MISSING)])
    assert data.startswith(b"PK")
