"""«Сводная таблица.xlsx» written without openpyxl: every byte as openpyxl wrote it.

The writer before (openpyxl's normal mode, with two bar charts) is kept in
``summary_reference``; each test here compares the new ``table_bytes`` with it
byte for byte, over the example build, a 50-group centre's shape and the edges
(no group, one group, 300, every kind, empty and many-line problems, escaping,
formulas and error codes, zero, big and odd numbers, umasks, random figures),
shows that the comparison catches a one-byte difference, and opens the result
in openpyxl: values, the filter, the frozen pane, the print setup, both charts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import python_output
from conftest import zip_differences as differences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from summary_reference import table_bytes as reference_bytes

from docgen import xlsx_write
from docgen.cli import cli
from docgen.errors import OutputError
from docgen.kinds import all_kinds
from docgen.summary import TABLE, TABLE_HEADERS, TABLE_SHEETS, table_bytes, year_figures

YEAR = "2025-2026 учебный год"
DATA = Path(__file__).resolve().parent.parent / "data"
WHEN = dt.datetime(2025, 9, 1)
KINDS = [(k.name, k.id) for k in all_kinds()]


def figures(n: int = 1, **changes: Any) -> dict[str, Any]:
    """One group's figures as ``summary.group_figures`` records them."""
    kind, kind_id = KINDS[n % len(KINDS)]
    found: dict[str, Any] = {
        "name": f"Группа {n}", "title": f"Творческая группа «Группа {n}»", "kind": kind,
        "kind_id": kind_id, "year": "2025/2026", "members": 5 + n, "organizations":
        [f"МБОУ СОШ № {i}" for i in range(1 + n % 4)], "meetings_planned": 5,
        "meetings_held": 4 + n % 3, "meetings_minimum": 4, "short": n % 5 == 0,
        "missed_terms": [], "events": n % 3, "events_participants": 10 * (n % 3),
        "products": {"методическая разработка": 1 + n % 2}, "problems": [f"Проблема {n}."],
        "proposals": [f"Предложение {n}.", "Второе предложение."],
        "service": "", "signer_title": "Руководитель", "signer": "А.Б. Иванова",
        "authority": "",
    }
    found.update(changes)
    return found


def assert_same(groups: list[dict[str, Any]], when: dt.datetime = WHEN) -> bytes:
    """The new writer's bytes are openpyxl's; the figures go through JSON as the manifest's."""
    groups = json.loads(json.dumps(groups, ensure_ascii=False))
    new = table_bytes(groups, when)
    old = reference_bytes(groups, when)
    assert new == old, "\n".join(differences(old, new))
    return new


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbooks built once, as `docgen build data` builds them."""
    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / YEAR


# --- the same bytes ----------------------------------------------------------------------


def test_the_example_builds_table_is_openpyxls(example: Path) -> None:
    groups = year_figures(example)
    assert len(groups) == 5
    new = assert_same(groups)
    assert (example / TABLE).read_bytes() == new  # the file the build wrote


@pytest.mark.parametrize("count", [0, 1, 2, 50, 300])
def test_any_number_of_groups(count: int) -> None:
    """No group (the charts' empty ranges), one (one-cell ranges), a centre, 300."""
    data = assert_same([figures(n) for n in range(1, count + 1)])
    if count == 1:
        chart = members(data)["xl/charts/chart2.xml"].decode()
        assert "<f>'Группы'!$G$2</f>" in chart and "<f>'Группы'!$B$2</f>" in chart


def test_every_kind_and_a_kind_no_profile_has() -> None:
    groups = [figures(n, kind=kind, kind_id=kind_id) for n, (kind, kind_id)
              in enumerate(KINDS, start=1)]
    groups.append(figures(len(groups) + 1, kind="Клуб «Учитель»", kind_id="club"))
    data = assert_same(groups)
    kinds = members(data)["xl/worksheets/sheet2.xml"]
    assert kinds.count(b"<row ") == len(KINDS) + 2


@pytest.mark.parametrize(("problems", "proposals"), [
    ([], []), ([], ["Одно."]), (["Первая.", "Вторая.", "Третья."], []),
    (["Строка"] * 40, ["Длинная " * 500]),
], ids=["none", "no-problems", "many-lines", "long"])
def test_empty_and_many_line_problems_and_proposals(problems: list[str],
                                                    proposals: list[str]) -> None:
    assert_same([figures(1, problems=problems, proposals=proposals),
                 figures(2, problems=[], proposals=[])])


TRICKY = ["A & B < C > D", 'Кавычки "двойные" и \'одинарные\'', "Эмодзи 📚🎓 и «ёлочки» — тире",
          "  пробелы по краям  ", " слева", "справа ", "строка\nещё строка", "таб\tуляция",
          "возврат\rкаретки", "\xa0неразрывный\u2028", "=СУММ(A1:A2)", "=", "#N/A", "#DIV/0!",
          "", "0", "Ж" * 40000]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_texts_in_every_column(text: str) -> None:
    """A text in each text field: the table's cells, the kinds, the charts' sheet, the title."""
    group = figures(1, name=text, kind=text, year=text, problems=[text], proposals=[text, text])
    assert_same([group, figures(2, organizations=[text], products={text: 2})])


@pytest.mark.parametrize("value", [0, 1, 10**15, 2**53 + 1, 10**20, -7, 2.5, 1e-7, 1e300,
                                   True, None, float("inf"), float("nan")],
                         ids=lambda v: repr(v))
def test_zero_big_and_odd_numbers(value: Any) -> None:
    """Numbers as openpyxl's ``%.16g``; None, True, infinities as a hand-edited manifest may
    have them (sums of them are what the reference sums too)."""
    number = 0 if value is None else value  # what a sum can take
    groups = [figures(1, members=number, meetings_minimum=value, events=number,
                      meetings_held=number, products={"вид": number}),
              figures(2, events_participants=number, name=value, meetings_minimum=value)]
    assert_same(groups)


def test_a_value_openpyxl_refused_is_refused_alike() -> None:
    groups = [figures(1, meetings_minimum=[1]), figures(2)]
    with pytest.raises(ValueError, match="Cannot convert"):
        reference_bytes(groups, WHEN)
    with pytest.raises(ValueError, match="Cannot convert"):
        table_bytes(groups, WHEN)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_the_sheets_file_mode_is_openpyxls_scratch_files(mask: int) -> None:
    """openpyxl's normal mode zipped each sheet from a ``mkstemp`` file: 0o600 less the umask."""
    old = os.umask(mask)
    try:
        data = assert_same([figures(1), figures(2)])
    finally:
        os.umask(old)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        modes = {i.filename: i.external_attr >> 16 for i in package.infolist()}
    assert modes["xl/worksheets/sheet1.xml"] == 0o100600 and modes["xl/styles.xml"] == 0o600


def test_a_sheet_file_mode_under_an_odd_umask() -> None:
    old = os.umask(0o277)  # no writing for the owner
    try:
        assert xlsx_write.sheet_file_mode(xlsx_write.SCRATCH_FILE_MODE) == 0o100400
        assert xlsx_write.sheet_file_mode() == 0o100400
    finally:
        os.umask(old)


def test_reruns_are_byte_identical_and_the_date_is_when() -> None:
    groups = [figures(1), figures(2)]
    assert table_bytes(groups, WHEN) == table_bytes(groups, WHEN)
    other = dt.datetime(2026, 9, 1)
    assert_same(groups, other)
    assert b"2026-09-01T00:00:00Z" in members(table_bytes(groups, other))["docProps/core.xml"]


# --- the comparison can fail -------------------------------------------------------------


def test_a_one_byte_difference_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planted one-byte differences: in a chart, in a sheet, in a part's mode, in the zip."""
    groups = [figures(1), figures(2)]
    chart = xlsx_write.bar_chart
    with pytest.raises(AssertionError, match=r"chart1\.xml at byte"):
        monkeypatch.setattr(xlsx_write, "bar_chart", lambda *a, **k: chart(*a, **k).replace(
            b'<gapWidth val="150"/>', b'<gapWidth val="151"/>', 1))
        assert_same(groups)
    monkeypatch.undo()
    number = xlsx_write.number
    with pytest.raises(AssertionError, match=r"sheet1\.xml at byte"):
        monkeypatch.setattr(xlsx_write, "number",
                            lambda v: "13" if v == 12 else number(v))  # «12» → «13»
        assert_same([figures(1, members=12), figures(2)])
    monkeypatch.undo()
    with pytest.raises(AssertionError, match=r"sheet3\.xml: mode 100600 != 100644"):
        monkeypatch.setattr(xlsx_write, "SCRATCH_FILE_MODE", 0o644)
        assert_same(groups)
    monkeypatch.undo()
    new, old = table_bytes(groups, WHEN), reference_bytes(groups, WHEN)
    assert new == old
    planted = bytearray(new)
    planted[new.index(b"PK\x01\x02") + 4] ^= 1  # «version made by»: no member differs
    assert bytes(planted) != old
    assert differences(old, bytes(planted)) == ["the zip itself (headers, order, compression)"]


# --- random figures ----------------------------------------------------------------------

CHARS = st.one_of(
    st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГЁЯ№«»—–…📚")),
    st.sampled_from(list(" \t\n\r\xa0\u2028&<>\"'=#/!?.,;:-0123456789")),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
)
TEXT = st.one_of(st.text(CHARS, max_size=30), st.sampled_from(["=A1", "#N/A", "", " x "]))
LINE = st.text(CHARS, min_size=1, max_size=30).map(str.strip).filter(
    lambda s: bool(s) and "\n" not in s and "\r" not in s)
COUNT = st.one_of(st.integers(0, 60), st.integers(0, 10**18))


@st.composite
def group(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.one_of(st.sampled_from([k for k, _ in KINDS]), TEXT))
    minimum = draw(COUNT)
    held = draw(COUNT)
    return figures(
        1, name=draw(TEXT), title=draw(TEXT), kind=kind, year=draw(st.one_of(st.sampled_from(
            ["2025/2026", "2024/2025", ""]), TEXT)),
        members=draw(COUNT), organizations=draw(st.lists(TEXT, max_size=4)),
        meetings_planned=draw(COUNT), meetings_held=held, meetings_minimum=minimum,
        short=draw(st.booleans()), events=draw(COUNT), events_participants=draw(COUNT),
        products=draw(st.dictionaries(TEXT, COUNT, max_size=3)),
        problems=draw(st.lists(LINE, max_size=4)), proposals=draw(st.lists(LINE, max_size=4)),
        signer_title=draw(TEXT), signer=draw(TEXT))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(group(), max_size=7))
def test_random_figures(groups: list[dict[str, Any]]) -> None:
    assert_same(groups)


# --- what a clerk opens ------------------------------------------------------------------


def test_the_table_opens_with_its_values_filter_pane_print_setup_and_charts() -> None:
    groups = [figures(n) for n in range(1, 8)]
    groups[2]["problems"] = []
    wb = openpyxl.load_workbook(io.BytesIO(table_bytes(groups, WHEN)))
    assert wb.sheetnames == list(TABLE_SHEETS)
    assert wb.properties.title == "Сводная таблица, 2025/2026 учебный год"
    assert wb.properties.creator == "docgen" and wb.properties.created == WHEN
    ws = wb[TABLE_SHEETS[0]]
    assert [c.value for c in ws[1]] == list(TABLE_HEADERS)
    assert ws[1][1].font.b and ws[1][1].alignment.wrap_text
    assert [ws.cell(row=r, column=2).value for r in range(2, 9)] == [g["name"] for g in groups]
    assert ws["D2"].value == groups[0]["members"] and ws["I6"].value == "нет"
    assert ws["N2"].value == "Предложение 1.\nВторое предложение."
    assert ws["N2"].alignment.wrap_text and ws["N2"].alignment.vertical == "top"
    assert ws["M4"].value is None and ws["M4"].alignment.wrap_text
    assert ws["B10"].value == "Всего" and ws["B10"].font.b
    assert ws["D10"].value == sum(g["members"] for g in groups)
    assert ws["E10"].value == len({o for g in groups for o in g["organizations"]})
    assert ws.auto_filter.ref == "A1:N8"
    assert ws.freeze_panes == "C2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width == 44
    kinds = wb[TABLE_SHEETS[1]]
    assert kinds["A1"].value == "Вид объединения" and kinds["A1"].font.b
    assert sum(kinds.cell(row=r, column=2).value for r in range(2, kinds.max_row + 1)) == 7
    charts = wb[TABLE_SHEETS[2]]._charts
    assert [c.tagname for c in charts] == ["barChart", "barChart"]
    assert [c.type for c in charts] == ["bar", "col"]
    assert [len(c.series) for c in charts] == [1, 2]
    values = charts[1].series[0].val.numRef.f
    assert values == "'Группы'!$G$2:$G$8"
    assert charts[1].series[1].tx.strRef.f == "'Группы'!H1"
    assert charts[0].series[0].cat.numRef.f == f"'По видам'!$A$2:$A${kinds.max_row}"
    assert charts[0].legend is None and charts[1].legend is not None


def test_a_character_excel_cannot_hold_is_docgens_error() -> None:
    """openpyxl stopped with a traceback; now it is an error naming the group."""
    for bad in ("звонок\x07", "\ufffe"):
        groups = [figures(1), figures(2, problems=[f"Проблема {bad}"])]
        with pytest.raises(OutputError, match=r"«Группа 2».*нельзя записать в Excel"):
            table_bytes(groups, WHEN)
    with pytest.raises(OutputError, match=r"«Группа 1».*U\+0001"):
        table_bytes([figures(1, year="2025\x01"), figures(2)], WHEN)


def test_the_table_is_written_without_openpyxl() -> None:
    code = ("import sys, datetime; from docgen.summary import table_bytes; "
            "g = {'name': 'А', 'title': 'А', 'kind': 'Творческая группа', 'year': '2025/2026', "
            "'members': 1, 'organizations': [], 'meetings_planned': 1, 'meetings_held': 1, "
            "'meetings_minimum': 1, 'short': False, 'events': 0, 'events_participants': 0, "
            "'products': {}, 'problems': [], 'proposals': [], 'signer_title': '', "
            "'signer': ''}; table_bytes([g, g], datetime.datetime(2025, 9, 1)); "
            "print('openpyxl' in sys.modules)")
    assert python_output(code).strip() == "False"


def test_a_hand_edited_manifest_stops_the_table_with_a_sentence(tmp_path: Path) -> None:
    """A control character put into a group's figures by hand: the build says which group."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    year = out / YEAR
    manifest = next(year.glob("ГМО*/.docgen.json"))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    group = json.loads(data["group"]["figures"])
    group["proposals"] = ["Предложение\x07"]
    data["group"]["figures"] = json.dumps(group, ensure_ascii=False)
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from docgen.summary import write_summary

    with pytest.raises(OutputError, match=f"«{group['name']}».*U\\+0007"):
        write_summary(year)


_opened: list[str] | None = None  # the files the audit hook saw opened, while recording


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | bytes | Path):
        _opened.append(os.fsdecode(args[0]))


def opened_files(make: Any) -> list[str]:
    """The files opened (for reading or writing) while ``make()`` runs: an audit hook sees
    every one, through ``open`` or ``os.open`` (``mkstemp``)."""
    global _opened
    if not getattr(opened_files, "hooked", False):
        sys.addaudithook(_audit)
        opened_files.hooked = True  # type: ignore[attr-defined]
    _opened = []
    try:
        make()
        return _opened
    finally:
        _opened = None


def test_the_table_is_made_in_memory(tmp_path: Path) -> None:
    """openpyxl kept each sheet in «/tmp/openpyxl.*» until saved (a run killed meanwhile
    left the groups' figures there); the table is made in memory, no file opened."""
    groups = [figures(1), figures(2)]
    table_bytes(groups, WHEN)  # modules loaded first: their files are no table's
    reference_bytes(groups, WHEN)
    assert [p for p in opened_files(lambda: reference_bytes(groups, WHEN))
            if Path(p).name.startswith("openpyxl.")]  # the check can fail
    opened = opened_files(lambda: table_bytes(groups, WHEN))
    assert [p for p in opened if not p.startswith("/proc/")] == []  # /proc: the umask read
