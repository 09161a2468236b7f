"""`docgen init`: the blank workbook a clerk starts from."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen.cli import cli
from docgen.main import check_workbook
from docgen.workbook.schema import GROUP, SHEETS


def run_init(tmp_path: Path, *args: str) -> tuple[Path, object]:
    path = tmp_path / "group.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path), *args])
    return path, result


def validations(ws) -> dict[str, str]:
    """Cell range -> list formula of the sheet's dropdowns."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        found[str(dv.sqref)] = dv.formula1
    return found


def list_values(wb, formula: str) -> list[str]:
    sheet, rng = formula.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[rng.replace("$", "")] for c in row if c.value]


def test_init_writes_every_sheet_and_header(tmp_path: Path) -> None:
    path, result = run_init(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Создана пустая книга" in result.output
    wb = load_workbook(path)
    for sheet in SHEETS:
        ws = wb[sheet.name]
        assert ws.freeze_panes in ("A2", "B2")
        if sheet.fields:
            fields = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
            assert fields == [c.header for c in sheet.columns]
            assert ws["A1"].value == "Поле" and ws["B1"].value == "Значение"
            assert ws["A1"].font.b
            continue
        headers = [c.value for c in ws[1]][: len(sheet.columns)]
        assert headers == [c.header for c in sheet.columns]
        assert all(c.font.b for c in ws[1][: len(sheet.columns)])
        assert ws.column_dimensions["A"].width >= 6
    assert "Инструкция" in wb.sheetnames
    assert wb[wb.sheetnames[-1]].sheet_state == "hidden"  # the dropdowns' lists


def test_init_dropdowns_formats_and_hints(tmp_path: Path) -> None:
    path, _ = run_init(tmp_path)
    wb = load_workbook(path)
    members = validations(wb["Участники"])
    assert list_values(wb, members["D2:D301"]) == ["м", "ж"]
    assert "высшая" in list_values(wb, members["G2:G301"])
    assert list_values(wb, members["I2:I301"]) == [
        "руководитель", "куратор", "председатель методического совета",
        "член методического совета", "секретарь", "участник"]
    meetings = validations(wb["Заседания"])
    assert list_values(wb, meetings["E2:E301"]) == ["очно", "дистанционно"]
    group = wb["Группа"]
    dv = validations(group)
    assert "Городское методическое объединение" in list_values(wb, dv["B2"])
    assert list_values(wb, dv["B3"]) == ["творческая", "рабочая", "экспертная", "проектная"]
    assert wb["Заседания"].column_dimensions["B"].number_format == "DD.MM.YYYY"
    assert group["B23"].number_format == "DD.MM.YYYY"  # Дата приказа
    assert "Обязательное поле" in wb["Участники"]["A1"].comment.text
    assert "Alt+Enter" in group["C8"].value  # hint next to «Задачи»


def test_init_with_kind_puts_its_sheets_first(tmp_path: Path) -> None:
    path, result = run_init(tmp_path, "--kind", "gmo")
    assert result.exit_code == 0, result.output
    wb = load_workbook(path)
    assert wb["Группа"]["B2"].value == "Городское методическое объединение"
    names = wb.sheetnames
    assert names.index("Техническое задание") < names.index("Продукты")
    assert names.index("Организации") < names.index("Заседания")


def test_init_kind_by_russian_name(tmp_path: Path) -> None:
    path, result = run_init(tmp_path, "--kind", "Мастерская наставничества")
    assert result.exit_code == 0, result.output
    assert load_workbook(path)["Группа"]["B2"].value == "Мастерская наставничества"


def test_init_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    path, result = run_init(tmp_path, "--kind", "кружок")
    assert result.exit_code == 2
    assert "неизвестный вид объединения «кружок»" in result.output
    assert not path.exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "group.xlsx"
    path.write_bytes(b"clerk's work")
    result = CliRunner().invoke(cli, ["init", str(path)])
    assert result.exit_code == 1
    assert "файл уже существует" in result.output and "--force" in result.output
    assert path.read_bytes() == b"clerk's work"
    result = CliRunner().invoke(cli, ["init", str(path), "--force"])
    assert result.exit_code == 0
    assert load_workbook(path)["Группа"]["A2"].value == "Вид объединения"


def test_init_needs_xlsx_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "group.xls")])
    assert result.exit_code == 1
    assert ".xlsx" in result.output


@pytest.mark.parametrize("kind", ["tvorcheskaya", "setevaya", "professionalnaya",
                                  "masterskaya", "gmo"])
def test_blank_workbook_reads_back_with_only_missing_data(tmp_path: Path, kind: str) -> None:
    path, _ = run_init(tmp_path, "--kind", kind)
    result = check_workbook(path)
    assert result.error is None
    assert not result.ok
    sheets = {p.location.sheet for p in result.errors}
    assert GROUP.name in sheets
    assert all("не заполнен" in p.message or "не запланировано" in p.message
               or "нет ни одного" in p.message or "отсутствует" in p.message
               or "укажите направление" in p.message
               for p in result.errors), "\n".join(map(str, result.errors))


@pytest.mark.parametrize(("typed", "name"), [
    ("творческая", "Творческая группа"),
    ("ТВОРЧЕСКАЯ", "Творческая группа"),
    ("сетевая", "Творческая группа (сетевое взаимодействие)"),
    ("профессиональная", "Профессиональная группа"),
    ("мастерская", "Мастерская наставничества"),
    ("гмо", "Городское методическое объединение"),
    ("проф", "Профессиональная группа"),
    ("наставничества", "Мастерская наставничества"),
])
def test_init_kind_by_a_word_of_its_name(tmp_path: Path, typed: str, name: str) -> None:
    path, result = run_init(tmp_path, "--kind", typed)
    assert result.exit_code == 0, result.output
    assert load_workbook(path)["Группа"]["B2"].value == name


def test_init_ambiguous_kind_lists_the_candidates(tmp_path: Path) -> None:
    path, result = run_init(tmp_path, "--kind", "группа")
    assert result.exit_code == 2
    assert "вид объединения «группа» неоднозначен" in result.output
    assert "«Творческая группа» (код tvorcheskaya)" in result.output
    assert "«Профессиональная группа» (код professionalnaya)" in result.output
    assert "Мастерская" not in result.output
    assert not path.exists()


def test_init_too_short_a_prefix_is_not_guessed(tmp_path: Path) -> None:
    path, result = run_init(tmp_path, "--kind", "т")
    assert result.exit_code == 2
    assert "неизвестный вид объединения «т»" in result.output
    assert not path.exists()


@pytest.mark.parametrize("kind, photos", [("мастерская", False), ("творческая", False),
                                          ("сетевая", True), ("гмо", True), (None, True)])
def test_photos_are_spoken_of_only_where_event_reports_are(tmp_path: Path, kind: str | None,
                                                           photos: bool) -> None:
    """Only event reports carry photos: a мастерская's clerk is not told about them."""
    path, result = run_init(tmp_path, *(["--kind", kind] if kind else []))
    assert result.exit_code == 0, result.output
    assert ("Фото" in result.output) == photos, result.output
    instruction = " ".join(str(c.value) for row in load_workbook(path)["Инструкция"].iter_rows()
                           for c in row if c.value)
    assert ("столбец «Фото» листа «Мероприятия»" in instruction) == photos


def test_the_instruction_sheet_tells_both_ways_to_build(tmp_path: Path) -> None:
    """The page (the double-click file or `docgen serve`) and the commands."""
    path, _ = run_init(tmp_path, "--kind", "гмо")
    steps = [str(c.value) for row in load_workbook(path)["Инструкция"].iter_rows()
             for c in row if c.value]
    text = " ".join(steps)
    for words in ("Запустить docgen.bat", "docgen-serve.sh", "docgen serve",
                  "«Проверка и документы»", "«Проверить»", "«Сформировать документы»",
                  "docgen check", "docgen build"):
        assert words in text, words
    assert text.index("docgen serve") < text.index("docgen check")
    sheet = load_workbook(path)["Инструкция"]
    page_row = next(c.row for c in sheet["B"] if "docgen serve" in str(c.value))
    assert sheet.row_dimensions[page_row].height >= 45  # its lines shown, not cut, in Calc
    assert (Path(__file__).parent.parent / "Запустить docgen.bat").is_file()
    assert (Path(__file__).parent.parent / "docgen-serve.sh").is_file()
