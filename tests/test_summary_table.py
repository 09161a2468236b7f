"""«Сводная таблица.xlsx», written by XlsxWriter: what a clerk opens and prints.

Each test opens the written table with openpyxl and checks its content: a row
per group with its figures and texts, «Всего», the kinds, both charts with
their series and categories, the filter, the frozen pane, the widths, the print
setup, the rows' heights for the wrapped «Проблемы»/«Предложения», each chart
on a printed page of its own; over the example build, a 50-group centre, the
edges (no group, one, 300, every kind, odd texts and numbers, random figures);
reruns give the same bytes; a character no .xlsx may hold is docgen's error.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import python_output
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.cli import cli
from docgen.errors import OutputError
from docgen.kinds import all_kinds
from docgen.output.registry import LINE_HEIGHT, MAX_ROW_HEIGHT, ROW_PADDING, checked, text_lines
from docgen.output.summary import (
    CHART_PAGE_ROWS,
    TABLE,
    TABLE_HEADERS,
    TABLE_SHEETS,
    TABLE_WIDTHS,
    row_height,
    table_bytes,
    totals,
    year_figures,
)

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


def opened(groups: list[dict[str, Any]], when: dt.datetime = WHEN) -> Any:
    """The table of ``groups`` (through JSON, as the manifest keeps them), read by openpyxl."""
    groups = json.loads(json.dumps(groups, ensure_ascii=False))
    return openpyxl.load_workbook(io.BytesIO(table_bytes(groups, when)))


def cell_value(value: Any) -> Any:
    """What a cell holding ``value`` reads back as."""
    if isinstance(value, str):
        return checked(value) or None
    if isinstance(value, float) and math.isnan(value):
        return "=#NUM!"  # XlsxWriter's error for NaN
    if value == math.inf:
        return "=1/0"  # XlsxWriter's error for an infinity (shown «#DIV/0!»)
    if value == -math.inf:
        return "=-1/0"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return float(f"{value:.16g}")  # what Excel's numbers hold, as XlsxWriter writes
    return value


def assert_groups(wb: Any, groups: list[dict[str, Any]]) -> None:
    """Each group's row, «Всего» two rows below, the kinds: as the figures say."""
    groups = json.loads(json.dumps(groups, ensure_ascii=False))
    ws = wb[TABLE_SHEETS[0]]
    assert [c.value for c in ws[1]] == list(TABLE_HEADERS)
    for n, g in enumerate(groups, start=1):
        # a minimum no regulation sets: an empty cell (no bar in the chart), «не задано»
        unset = g["meetings_minimum"] is None or (
            type(g["meetings_minimum"]) is int and g["meetings_minimum"] == 0)
        expected = [n, g["name"], g["kind"], g.get("members_end", g["members"]),
                    len(g.get("organizations_end", g["organizations"])),
                    g["meetings_planned"], g["meetings_held"],
                    None if unset else g["meetings_minimum"],
                    "не задано" if unset else "нет" if g["short"] else "да",
                    g["events"], g["events_participants"],
                    sum(g["products"].values()), "\n".join(g["problems"]),
                    "\n".join(g["proposals"])]
        got = [ws.cell(row=n + 1, column=c).value for c in range(1, len(TABLE_HEADERS) + 1)]
        assert got == [cell_value(v) for v in expected], n
        assert ws.cell(row=n + 1, column=13).alignment.wrap_text
        assert ws.cell(row=n + 1, column=14).alignment.vertical == "top"
    sums = totals(groups)
    total = len(groups) + 3
    assert ws.cell(row=total, column=2).value == "Всего" and ws.cell(row=total, column=2).font.b
    for column, key in ((4, "members_end"), (5, "organizations_end"), (6, "meetings_planned"),
                        (7, "meetings_held"), (10, "events"), (11, "events_participants"),
                        (12, "products_total")):
        assert ws.cell(row=total, column=column).value == cell_value(sums[key]), key
    kinds = wb[TABLE_SHEETS[1]]
    assert [(r[0].value, r[1].value) for r in kinds.iter_rows(min_row=2)] == [
        (cell_value(k), cell_value(v)) for k, v in sums["by_kind"]]


def height(sheet: Any, row: int) -> float:
    """A row's height in points (Excel's default, 15, is not stored)."""
    return sheet.row_dimensions[row].height or LINE_HEIGHT


def width(sheet: Any, column: int) -> float:
    """A column's width as Excel shows it (stored with the cell padding, equal neighbours
    as one range)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return round(dimension.width - 0.71, 2)
    raise AssertionError(f"no width for column {column}")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbooks built once, as `docgen build data` builds them."""
    out = tmp_path_factory.mktemp("example")
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / YEAR


# --- content -------------------------------------------------------------------------------


def test_the_example_builds_table(example: Path) -> None:
    groups = year_figures(example)
    assert len(groups) == 5
    wb = openpyxl.load_workbook(example / TABLE)  # the file the build wrote
    assert_groups(wb, groups)
    assert (example / TABLE).read_bytes() == table_bytes(groups, WHEN)


@pytest.mark.parametrize("count", [0, 1, 2, 50, 300])
def test_any_number_of_groups(count: int) -> None:
    """No group (no chart: nothing to draw), one (one-cell ranges), a centre, 300."""
    groups = [figures(n) for n in range(1, count + 1)]
    wb = opened(groups)
    assert_groups(wb, groups)
    charts = wb[TABLE_SHEETS[2]]._charts
    assert len(charts) == (2 if count else 0)
    if count:
        cells = f"$G$2:$G${count + 1}" if count > 1 else "$G$2"
        assert charts[1].series[0].val.numRef.f == f"Группы!{cells}"
        assert wb[TABLE_SHEETS[0]].auto_filter.ref == f"A1:N{count + 1}"


def test_every_kind_and_a_kind_no_profile_has() -> None:
    groups = [figures(n, kind=kind, kind_id=kind_id) for n, (kind, kind_id)
              in enumerate(KINDS, start=1)]
    groups.append(figures(len(groups) + 1, kind="Клуб «Учитель»", kind_id="club"))
    wb = opened(groups)
    assert_groups(wb, groups)
    assert wb[TABLE_SHEETS[1]].max_row == len(KINDS) + 2


@pytest.mark.parametrize(("problems", "proposals"), [
    ([], []), ([], ["Одно."]), (["Первая.", "Вторая.", "Третья."], []),
    (["Строка"] * 40, ["Длинная " * 500]),
], ids=["none", "no-problems", "many-lines", "long"])
def test_empty_and_many_line_problems_and_proposals(problems: list[str],
                                                    proposals: list[str]) -> None:
    short = {"kind": "Творческая группа"}  # a line in its column: the texts' lines count
    groups = [figures(1, problems=problems, proposals=proposals, **short),
              figures(2, problems=[], proposals=[], **short)]
    wb = opened(groups)
    assert_groups(wb, groups)
    ws = wb[TABLE_SHEETS[0]]
    lines = max(len(problems), text_lines("\n".join(proposals), TABLE_WIDTHS[-1]), 1)
    assert height(ws, 2) == min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + (
        ROW_PADDING if lines > 1 else 0))
    assert height(ws, 3) == LINE_HEIGHT


def test_a_long_name_wraps_in_its_narrow_column_and_its_row_grows() -> None:
    """The columns are narrow enough to print legibly; a name longer than its column wraps
    and its row is as high as its lines (LibreOffice printed it cut by the next column)."""
    name = "Объединение педагогов с очень длинным названием для проверки переноса"
    groups = [figures(1, name=name, kind="ГМО", problems=[], proposals=[]),
              figures(2, kind="ГМО", problems=[], proposals=[])]
    ws = opened(groups)[TABLE_SHEETS[0]]
    assert ws["B2"].value == name and ws["B2"].alignment.wrap_text
    lines = text_lines(name, TABLE_WIDTHS[1])
    assert lines >= 3 and height(ws, 2) == lines * LINE_HEIGHT + ROW_PADDING
    assert height(ws, 3) == LINE_HEIGHT
    assert sum(TABLE_WIDTHS) <= 240  # was 297: printed at half size on a landscape A4


TRICKY = ["A & B < C > D", 'Кавычки "двойные" и \'одинарные\'', "Эмодзи 📚🎓 и «ёлочки» — тире",
          "  пробелы по краям  ", " слева", "справа ", "строка\nещё строка", "таб\tуляция",
          "\xa0неразрывный\u2028", "=СУММ(A1:A2)", "=", "#N/A", "#DIV/0!", "https://x.ru",
          "", "0", "Ж" * 40000]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_texts_in_every_column(text: str) -> None:
    """A text in each text field: the table's cells, the kinds, the charts' sheet, the title;
    a text stays a text (never a formula, an error value or a link)."""
    group = figures(1, name=text, kind=text, year=text, problems=[text], proposals=[text, text])
    groups = [group, figures(2, organizations=[text], products={text: 2})]
    wb = opened(groups)
    assert_groups(wb, groups)
    for row in wb[TABLE_SHEETS[0]].iter_rows(min_row=2):
        assert all(c.data_type != "f" and c.hyperlink is None for c in row)
    assert wb.properties.title == checked(f"Сводная таблица, {text} учебный год")


@pytest.mark.parametrize("value", [0, 1, 10**15, 2**53 + 1, 10**20, -7, 2.5, 1e-7, 1e300,
                                   True, None, float("inf"), float("nan")],
                         ids=lambda v: repr(v))
def test_zero_big_and_odd_numbers(value: Any) -> None:
    """Numbers as numbers; None, True, infinities as a hand-edited manifest may have them."""
    number = 0 if value is None else value  # what a sum can take
    groups = [figures(1, members=number, meetings_minimum=value, events=number,
                      meetings_held=number, products={"вид": number}),
              figures(2, events_participants=number, name=value, meetings_minimum=value)]
    wb = opened(groups)
    ws = wb[TABLE_SHEETS[0]]
    minimum = None if value == 0 and type(value) is int else cell_value(value)
    assert ws["H2"].value == minimum and ws["B3"].value == cell_value(value)
    assert ws["D2"].value == cell_value(number)
    if value is not None and not isinstance(value, float):
        assert_groups(wb, groups)


def test_a_value_excel_cannot_hold_is_refused() -> None:
    """A list where a number belongs (a hand-edited manifest): refused, as it was."""
    with pytest.raises(ValueError, match="Cannot convert"):
        table_bytes([figures(1, meetings_minimum=[1]), figures(2)], WHEN)


# --- the same bytes on every run -------------------------------------------------------------


def test_reruns_are_byte_identical_and_the_date_is_when() -> None:
    groups = [figures(1), figures(2)]
    first = table_bytes(groups, WHEN)
    assert first == table_bytes(json.loads(json.dumps(groups)), WHEN)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.read("docProps/core.xml").count(b"2025-09-01T00:00:00Z") == 2
    other = dt.datetime(2026, 9, 1)
    assert opened(groups, other).properties.created == other
    assert table_bytes(groups, other) != first  # the date is in the bytes: the check can fail


def test_two_builds_give_the_same_table(example: Path, tmp_path: Path) -> None:
    """A second build of the example workbooks into another folder: the same bytes."""
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / YEAR / TABLE).read_bytes() == (example / TABLE).read_bytes()


@pytest.mark.skipif(os.name == "nt", reason="a POSIX umask")
def test_the_umask_does_not_change_the_bytes() -> None:
    """openpyxl's scratch files put the umask into the zip; the table is made in memory."""
    groups = [figures(1), figures(2)]
    old = os.umask(0o077)
    try:
        strict = table_bytes(groups, WHEN)
    finally:
        os.umask(old)
    assert strict == table_bytes(groups, WHEN)


# --- random figures ----------------------------------------------------------------------

CHARS = st.one_of(
    st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГЁЯ№«»—–…📚")),
    st.sampled_from(list(" \t\n\xa0\u2028&<>\"'=#/!?.,;:-0123456789")),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
)
TEXT = st.one_of(st.text(CHARS, max_size=30), st.sampled_from(["=A1", "#N/A", "", " x "]))
LINE = st.text(CHARS, min_size=1, max_size=30).map(str.strip).filter(
    lambda s: bool(s) and "\n" not in s and "\r" not in s)
COUNT = st.one_of(st.integers(0, 60), st.integers(0, 10**18))


@st.composite
def group(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.one_of(st.sampled_from([k for k, _ in KINDS]), TEXT))
    return figures(
        1, name=draw(TEXT), title=draw(TEXT), kind=kind, year=draw(st.one_of(st.sampled_from(
            ["2025/2026", "2024/2025", ""]), TEXT)),
        members=draw(COUNT), organizations=draw(st.lists(TEXT, max_size=4)),
        meetings_planned=draw(COUNT), meetings_held=draw(COUNT), meetings_minimum=draw(COUNT),
        short=draw(st.booleans()), events=draw(COUNT), events_participants=draw(COUNT),
        products=draw(st.dictionaries(TEXT, COUNT, max_size=3)),
        problems=draw(st.lists(LINE, max_size=4)), proposals=draw(st.lists(LINE, max_size=4)),
        signer_title=draw(TEXT), signer=draw(TEXT))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(group(), max_size=7))
def test_random_figures(groups: list[dict[str, Any]]) -> None:
    wb = opened(groups)
    assert_groups(wb, groups)
    assert len(wb[TABLE_SHEETS[2]]._charts) == (2 if groups else 0)


# --- what a clerk opens and prints -----------------------------------------------------------


def test_the_table_opens_with_its_values_filter_pane_print_setup_and_charts() -> None:
    groups = [figures(n) for n in range(1, 8)]
    groups[2]["problems"] = []
    wb = opened(groups)
    assert wb.sheetnames == list(TABLE_SHEETS)
    assert wb.properties.title == "Сводная таблица, 2025/2026 учебный год"
    assert wb.properties.creator == "docgen" and wb.properties.created == WHEN
    ws = wb[TABLE_SHEETS[0]]
    assert_groups(wb, groups)
    assert ws[1][1].font.b and ws[1][1].alignment.wrap_text
    assert ws[1][1].alignment.vertical == "center"
    assert ws["D2"].value == groups[0]["members"] and ws["I6"].value == "нет"
    assert ws["N2"].value == "Предложение 1.\nВторое предложение."
    assert ws["N2"].alignment.wrap_text and ws["N2"].alignment.vertical == "top"
    assert ws["D2"].alignment.vertical == "top"  # the figures beside the texts' first line
    assert ws["M4"].value is None and ws["M4"].alignment.wrap_text
    assert ws["B10"].value == "Всего" and ws["B10"].font.b and ws["D10"].font.b
    assert ws["E10"].value == len({o for g in groups for o in g["organizations"]})
    assert ws.auto_filter.ref == "A1:N8"
    assert ws.freeze_panes == "C2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1: default
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert [width(ws, c) for c in range(1, 15)] == list(TABLE_WIDTHS)
    # the header's two-line titles («Заседаний / запланировано»), two lines of proposals
    # or of the kind's name wrapped in its column, whichever is more
    assert height(ws, 1) == 2 * LINE_HEIGHT + ROW_PADDING
    lines = max(2, text_lines(groups[0]["kind"], TABLE_WIDTHS[2]))
    assert height(ws, 2) == lines * LINE_HEIGHT + ROW_PADDING
    assert ws["C2"].alignment.wrap_text and ws["B2"].alignment.wrap_text
    kinds = wb[TABLE_SHEETS[1]]
    assert kinds["A1"].value == "Вид объединения" and kinds["A1"].font.b
    assert [width(kinds, 1), width(kinds, 2)] == [40, 14]
    assert sum(kinds.cell(row=r, column=2).value for r in range(2, kinds.max_row + 1)) == 7
    charts = wb[TABLE_SHEETS[2]]._charts
    assert [c.tagname for c in charts] == ["barChart", "barChart"]
    assert [c.type for c in charts] == ["bar", "col"]
    assert [len(c.series) for c in charts] == [1, 2]
    assert [s.val.numRef.f for s in charts[1].series] == ["Группы!$G$2:$G$8",
                                                          "Группы!$H$2:$H$8"]
    assert [s.tx.strRef.f for s in charts[1].series] == ["Группы!$G$1", "Группы!$H$1"]
    assert {s.cat.strRef.f for s in charts[1].series} == {"Группы!$B$2:$B$8"}
    assert charts[0].series[0].cat.strRef.f == f"'По видам'!$A$2:$A${kinds.max_row}"
    assert charts[0].series[0].val.numRef.f == f"'По видам'!$B$2:$B${kinds.max_row}"
    assert charts[0].legend is None and charts[1].legend is not None


def test_a_minimum_no_regulation_sets_is_no_zero_and_counts_are_whole() -> None:
    """The ГМО's and the сетевая's regulations set no number of meetings: their cell is
    empty (the chart draws no bar, never a 0 nobody gave) and the requirement «не задано»;
    both charts count whole groups and meetings: 0, 1, 2 …, not 0,2 (methodologist's read)."""
    wb = opened([figures(1, meetings_minimum=0, short=False), figures(2)])
    ws = wb[TABLE_SHEETS[0]]
    assert (ws["H2"].value, ws["I2"].value) == (None, "не задано")
    assert (ws["H3"].value, ws["I3"].value) == (4, "да")
    with zipfile.ZipFile(io.BytesIO(table_bytes([figures(1), figures(2)], WHEN))) as package:
        charts = [package.read(n).decode() for n in sorted(package.namelist())
                  if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    for chart in charts:
        value_axis = chart.split("<c:valAx>", 1)[1].split("</c:valAx>", 1)[0]
        assert '<c:majorUnit val="1"/>' in value_axis and '<c:min val="0"/>' in value_axis
        assert '<c:numFmt formatCode="0"' in value_axis


def test_each_chart_is_printed_on_a_page_of_its_own() -> None:
    """LibreOffice's PDF cut the charts across pages: the second starts a page, the sheet
    is not fitted to one (page breaks would be ignored), each chart fits a landscape A4."""
    sheet = opened([figures(1), figures(2)])[TABLE_SHEETS[2]]
    first, second = sheet._charts
    assert (first.anchor._from.row, second.anchor._from.row) == (0, CHART_PAGE_ROWS + 1)
    assert [b.id for b in sheet.row_breaks.brk] == [CHART_PAGE_ROWS]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert not sheet.sheet_properties.pageSetUpPr or not \
        sheet.sheet_properties.pageSetUpPr.fitToPage
    page = (8.27 - sheet.page_margins.top - sheet.page_margins.bottom) * 72  # points
    assert page >= CHART_PAGE_ROWS * LINE_HEIGHT
    for n, chart in enumerate((first, second)):
        start, end = chart.anchor._from, chart.anchor.to
        assert n * CHART_PAGE_ROWS < start.row + 1 <= end.row < (n + 1) * CHART_PAGE_ROWS
        assert start.col == 0 and end.col < (11.69 - 1) * 96 / 64  # default columns: 64 px


def test_row_heights_follow_the_wrapped_texts() -> None:
    """LibreOffice does not fit a row to its wrapped text: the height is estimated."""
    assert text_lines("", 50) == 1 and text_lines("Коротко.", 50) == 1
    assert text_lines("а\nб\nв", 50) == 3
    assert text_lines("слово " * 30, 50) == 4  # 180 characters, 52 a line
    assert text_lines("я" * 200, 50) == 4  # a long word is broken
    assert row_height([("", 50), ("", 50)]) == LINE_HEIGHT
    assert row_height([("а\nб", 50), ("а\nб\nв", 50)]) == 3 * LINE_HEIGHT + ROW_PADDING
    assert row_height([("а\n" * 1000, 50)]) == MAX_ROW_HEIGHT
    with pytest.raises(AssertionError):  # the check can fail: one line is not three
        assert row_height([("а\nб\nв", 50)]) == LINE_HEIGHT


# --- what no .xlsx may hold; how it is made ---------------------------------------------------


def test_a_character_excel_cannot_hold_is_docgens_error() -> None:
    """XlsxWriter would write «\\x07» as «_x0007_» (and fail on a lone surrogate): the error
    names the group whose figures hold it."""
    for bad in ("звонок\x07", "\ufffe", "\ud800"):
        groups = [figures(1), figures(2, problems=[f"Проблема {bad}"])]
        with pytest.raises(OutputError, match=r"«Группа 2».*нельзя записать в Excel"):
            table_bytes(groups, WHEN)
    with pytest.raises(OutputError, match=r"«Группа 1».*U\+0001"):
        table_bytes([figures(1, year="2025\x01"), figures(2)], WHEN)


def test_the_table_is_written_without_openpyxl() -> None:
    code = ("import sys, datetime; from docgen.output.summary import table_bytes; "
            "g = {'name': 'А', 'title': 'А', 'kind': 'Творческая группа', 'year': '2025/2026', "
            "'members': 1, 'organizations': [], 'meetings_planned': 1, 'meetings_held': 1, "
            "'meetings_minimum': 1, 'short': False, 'events': 0, 'events_participants': 0, "
            "'products': {}, 'problems': [], 'proposals': [], 'signer_title': '', "
            "'signer': ''}; table_bytes([g, g], datetime.datetime(2025, 9, 1)); "
            "print('openpyxl' in sys.modules, 'xlsxwriter' in sys.modules)")
    assert python_output(code).split() == ["False", "True"]


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
    from docgen.output.summary import write_summary

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
    import xlsxwriter

    groups = [figures(1), figures(2)]
    table_bytes(groups, WHEN)  # modules loaded first: their files are no table's

    def on_disk() -> None:  # XlsxWriter's default: its parts in scratch files
        book = xlsxwriter.Workbook(io.BytesIO(), {"tmpdir": str(tmp_path)})
        book.add_worksheet().write(0, 0, "x")
        book.close()

    assert [p for p in opened_files(on_disk) if p.startswith(str(tmp_path))]  # can fail
    opened = opened_files(lambda: table_bytes(groups, WHEN))
    assert [p for p in opened if not p.startswith("/proc/")] == []


# --- LibreOffice's PDF of the table ------------------------------------------------------------


def pdf_pages(table: bytes, folder: Path) -> list[list[tuple[str, float]]]:
    """The table printed by LibreOffice: each page's text fragments with their heights
    (the PDF's y, from the page's foot)."""
    import subprocess

    from conftest import require_soffice
    from pypdf import PdfReader

    from docgen.pdf.convert import find_soffice

    require_soffice()
    folder.mkdir()
    source = folder / TABLE
    source.write_bytes(table)
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(folder / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    pages = []
    for page in PdfReader(folder / (source.stem + ".pdf")).pages:
        found: list[tuple[str, float]] = []

        def seen(text: str, _cm: Any, tm: Any, *_: Any,
                 found: list[tuple[str, float]] = found) -> None:
            if text.strip():
                found.append((text, tm[5]))

        page.extract_text(visitor_text=seen)
        pages.append(found)
    return pages


def long_texts_rows() -> list[dict[str, Any]]:
    """Twelve groups whose problems take 1 to 9 lines, each marked at its first and last
    word («начало3» … «конец3»)."""
    return [figures(n, problems=[f"начало{n} " + "неудобство " * (n * 4 + 3 * (n % 3))
                                 + f"конец{n}"],
                    proposals=["Короткое предложение."] * (1 + n % 3)) for n in range(1, 13)]


def assert_no_overlap(pages: list[list[tuple[str, float]]], count: int) -> None:
    """Each group's last line of problems above the next group's first: no text runs over."""
    where: dict[str, tuple[int, float]] = {}
    for p, fragments in enumerate(pages):
        for text, y in fragments:
            for word in text.split():
                where.setdefault(word, (p, y))
    for n in range(1, count):
        # a row too low for its text cuts it: its last word is not printed at all
        assert f"конец{n}" in where and f"начало{n + 1}" in where, n
        end, start = where[f"конец{n}"], where[f"начало{n + 1}"]
        assert end[0] < start[0] or end[1] > start[1] + 5, n  # the PDF's y grows upwards


@pytest.mark.slow
def test_libreoffices_pdf_has_no_overlap_and_no_cut_chart(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's PDF: wrapped «Проблемы» ran over the next rows, the charts were cut
    across pages. Each chart's title, categories and legend are on one page of its own; and
    without the rows' heights the same check finds the overlap."""
    import docgen.output.summary

    groups = long_texts_rows()
    pages = pdf_pages(table_bytes(groups, WHEN), tmp_path / "ok")
    assert_no_overlap(pages, len(groups))
    texts = [" ".join(t for t, _ in page) for page in pages]
    kinds = [p for p, text in enumerate(texts) if "Объединения по видам" in text]
    meetings = [p for p, text in enumerate(texts) if "Заседания: проведено" in text]
    assert len(kinds) == 1 and len(meetings) == 1 and kinds[0] < meetings[0]
    assert all(k in texts[kinds[0]] for k, _ in totals(groups)["by_kind"])
    assert "Минимум по положению" in texts[meetings[0]]  # the legend, under the columns
    assert "Группа 12" in texts[meetings[0]] and "Группа 1 " in texts[meetings[0]] + " "
    monkeypatch.setattr(docgen.output.summary, "row_height", lambda texts: LINE_HEIGHT)
    flat = pdf_pages(table_bytes(groups, WHEN), tmp_path / "flat")
    with pytest.raises(AssertionError):  # the check can fail
        assert_no_overlap(flat, len(groups))
