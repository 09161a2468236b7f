"""The reader: forgiving in what it accepts, exact in where it says a value was."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.main import check_workbook
from docgen.workbook.reader import (
    BadValue,
    parse_date,
    parse_int,
    parse_lines,
    parse_time,
    parse_year,
    read_workbook,
)

D = dt.date


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(2025, 9, 18, 0, 0), D(2025, 9, 18)),
    (D(2025, 9, 18), D(2025, 9, 18)),
    ("18.09.2025", D(2025, 9, 18)),
    (" 8.9.2025 ", D(2025, 9, 8)),
    ("18/09/2025", D(2025, 9, 18)),
    ("18.09.25", D(2025, 9, 18)),
    ("18.09.2025 г.", D(2025, 9, 18)),
    ("2025-09-18", D(2025, 9, 18)),
    (45918, D(2025, 9, 18)),  # Excel serial number
    (45918.0, D(2025, 9, 18)),
])
def test_dates_in_every_form(raw: object, expected: D) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("31.02.2025", "дата «31.02.2025» не существует"),
    ("сентябрь", "«сентябрь» — не дата; нужна дата в виде ДД.ММ.ГГГГ"),
    (-5, "не похоже на дату"),
])
def test_bad_dates(raw: object, message: str) -> None:
    with pytest.raises(BadValue, match=message):
        parse_date(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    (12, 12), (12.0, 12), ("12", 12), (" 12 ", 12), ("12,0", 12), ("12 человек", 12),
    ("7 лет", 7),
])
def test_numbers_typed_as_text(raw: object, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["двенадцать", 12.5, "12,5", True])
def test_not_whole_numbers(raw: object) -> None:
    with pytest.raises(BadValue):
        parse_int(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("15:00", "15:00"), ("9.30", "09:30"), (dt.time(15, 30), "15:30"), (0.625, "15:00"),
    ("15:00-16:30", "15:00–16:30"),
])
def test_times(raw: object, expected: str) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize("raw", ["2025/2026", "2025-2026", "2025–2026", "2025 / 2026",
                                 "2025/26", "2025-2026 уч. г."])
def test_academic_year_spellings(raw: str) -> None:
    assert parse_year(raw) == "2025/2026"


def test_lines_split_on_alt_enter() -> None:
    assert parse_lines("1. Изучить опыт;\n2) Разработать\r\n\n- Обобщить ") == [
        "Изучить опыт", "Разработать", "Обобщить"]


def test_workbook_values_are_converted(content: dict, make_workbook: Callable) -> None:
    content["Группа"]["Дата приказа"] = "29.08.2025"  # text date
    content["Группа"]["Учебный год"] = "2025–2026"
    content["Группа"]["Задачи"] = "Изучить опыт.\nРазработать рекомендации."
    content["Группа"]["Название"] = "  Читающая   школа "
    content["Участники"][0]["Стаж"] = "15"  # number typed as text
    content["Заседания"][0]["Дата"] = 45918  # serial number
    content["Заседания"][0]["Присутствовало"] = " 4 "
    result = check_workbook(make_workbook(content))
    assert result.ok, "\n".join(map(str, result.problems))
    g = result.group
    assert g is not None
    assert g.order_date == D(2025, 8, 29)
    assert g.year == "2025/2026"
    assert g.name == "Читающая школа"
    assert g.tasks == ("Изучить опыт.", "Разработать рекомендации.")
    assert g.head.experience == 15
    assert g.meetings[0].date == D(2025, 9, 18)
    assert g.meetings[0].attended == 4


def test_headers_match_loosely_and_empty_rows_are_skipped(tmp_path: Path, content: dict,
                                                          make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    ws = wb["Участники"]
    ws["A1"] = "  ФАМИЛИЯ "
    ws["K1"] = "эл. почта:"
    wb["Заседания"]["H1"] = "Приглашенные"  # е for ё
    ws.insert_rows(3, amount=2)  # two empty rows inside the table
    wb.save(path)
    result = check_workbook(path)
    assert result.ok, "\n".join(map(str, result.problems))
    assert len(result.group.members) == 4


def test_sheet_names_match_loosely(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Заседания"].title = "заседания "
    wb.save(path)
    assert check_workbook(path).ok


def test_header_row_may_be_below_a_title(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Заседания"].insert_rows(1, amount=2)
    wb["Заседания"]["A1"] = "Заседания творческой группы на 2025/2026 учебный год"
    wb.save(path)
    result = check_workbook(path)
    assert result.ok, "\n".join(map(str, result.problems))
    assert len(result.group.meetings) == 5


def test_missing_required_column(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Заседания"]["B1"] = "Когда"
    wb.save(path)
    problems = check_workbook(path).problems
    p = next(p for p in problems if "нет обязательного столбца «Дата»" in p.message)
    assert (p.location.sheet, p.location.row) == ("Заседания", 1)


def test_unknown_field_on_group_sheet_is_a_warning(content: dict,
                                                   make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Группа"].append(["Куратор от ИМЦ", "Иванова И.И."])
    wb.save(path)
    result = check_workbook(path)
    assert result.ok
    p = next(p for p in result.problems if "неизвестное поле «Куратор от ИМЦ»" in p.message)
    assert p.location.cell == f"A{wb['Группа'].max_row}"


def test_merged_cell_value_is_read_once(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    ws = wb["Участники"]
    ws["F5"] = None
    ws.merge_cells("F4:F5")  # one «Организация» for two members
    wb.save(path)
    result = check_workbook(path)
    p = next(p for p in result.problems if "«Организация»" in p.message)
    assert p.location.cell == "F5"
    assert "объединённую область F4:F5" in p.message
    data = read_workbook(path)
    assert [r.values["organization"] for r in data.rows("members")][2:] == [
        "МАДОУ ДС № 7", None]


def _put_cached_value(path: Path, cell: str, formula: str, value: str) -> None:
    """Give a formula the saved result Excel would store (openpyxl writes none)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<f>{formula}</f><v></v>".encode(),
                                    f"<f>{formula}</f><v>{value}</v>".encode())
                data = data.replace(f"<f>{formula}</f><v />".encode(),
                                    f"<f>{formula}</f><v>{value}</v>".encode())
            dst.writestr(item, data)
    tmp.replace(path)


def test_formula_uses_cached_value(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Заседания"]["G2"] = "=2+2"
    wb.save(path)
    _put_cached_value(path, "G2", "2+2", "4")
    result = check_workbook(path)
    assert result.ok, "\n".join(map(str, result.problems))
    assert result.group.meetings[0].attended == 4


def test_formula_without_cached_value_is_an_error(content: dict,
                                                  make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    wb["Заседания"]["G2"] = "=2+2"
    wb["Заседания"]["F3"] = '=CONCATENATE("Тема ", 2)'
    wb.save(path)
    problems = check_workbook(path).problems
    cells = {p.location.cell for p in problems if "формула без сохранённого значения" in p.message}
    assert cells == {"G2", "F3"}
    assert all("откройте файл в Excel и сохраните" in p.message for p in problems
               if p.location.cell in cells)
    # the empty-looking required «Тема» is not reported a second time
    assert not [p for p in problems if p.location.cell == "F3" and "Тема" in p.message]


def test_workbook_is_never_modified(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    check_workbook(path)
    read_workbook(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == content_hash
    assert path.stat().st_mtime_ns == mtime


def test_workbook_without_contract_sheets(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "Лист1"
    wb.save(path)
    problems = check_workbook(path).problems
    missing = {p.location.sheet for p in problems if "нет обязательного листа" in p.message}
    assert missing == {"Группа", "Участники", "Заседания"}


@pytest.mark.parametrize("text", ["  Иванова  Мария ", "a\tb\xa0c", "x\ny", "", "  ", "109"])
def test_text_types_keep_folded_text_as_the_general_rule_does(text: str) -> None:
    """convert returns a text type's folded str at once: what fold_spaces(as_text(...)),
    its last line, gives."""
    from docgen.text import fold_spaces
    from docgen.workbook.reader import _AS_TEXT, as_text, convert
    from docgen.workbook.schema import Column, T

    parsed = {T.LINES, T.INT, T.DATE, T.TIME, T.TERM, T.CHOICE, T.KIND, T.YEAR, T.FILES}
    text_types = {t for t in T if t not in parsed}
    assert text_types == _AS_TEXT
    for kind in _AS_TEXT:
        expected = fold_spaces(as_text(fold_spaces(text))) or None
        assert convert(text, Column("field", "Поле", kind)) == expected
