"""`docgen check`: every problem at once, exit codes, unreadable files, --annotate."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from docgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_valid_workbook_exits_0(content: dict, make_workbook: Callable) -> None:
    result = invoke("check", str(make_workbook(content)))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("group.xlsx: ошибок нет")


def test_errors_listed_with_cells_and_exit_1(content: dict, make_workbook: Callable) -> None:
    content["Заседания"][5 - 5]["Дата"] = "31.02.2025"
    content["Участники"][1]["Фамилия"] = "Шeвченко"
    content["Участники"][3]["Телефон"] = "12"
    result = invoke("check", str(make_workbook(content)))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "group.xlsx: 2 ошибки, 1 предупреждение"
    assert ("  ошибка: лист «Участники», ячейка A3 (Шeвченко Андрей): в слове «Шeвченко» 2-я "
            "буква «e» — "
            "латинская, похожая на русскую; замените её русской «е»") in lines
    assert ("  ошибка: лист «Заседания», ячейка B2 (заседание № 1): дата «31.02.2025» не "
            "существует; "
            "проверьте день и месяц") in lines
    assert any(line.startswith("  предупреждение: лист «Участники», ячейка J5 (Цой Виктор): "
                               "телефон")
               for line in lines)
    # grouped by sheet: «Участники» before «Заседания»
    assert lines.index(next(x for x in lines if "«Участники»" in x)) < lines.index(
        next(x for x in lines if "«Заседания»" in x))


def test_quiet_hides_warnings(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Телефон"] = "12"
    result = invoke("check", "-q", str(make_workbook(content)))
    assert result.exit_code == 0
    assert "предупреждение:" not in result.output


def test_several_workbooks_one_broken(content: dict, make_workbook: Callable,
                                      tmp_path: Path) -> None:
    good = make_workbook(content, "good.xlsx")
    content["Группа"]["Номер приказа"] = None
    bad = make_workbook(content, "bad.xlsx")
    result = invoke("check", str(good), str(bad), str(tmp_path / "missing.xlsx"))
    assert result.exit_code == 1
    assert "good.xlsx: ошибок нет" in result.output
    assert "bad.xlsx: 1 ошибка" in result.output
    assert "Проверено книг: 3, из них с ошибками: 2." in result.output


def one_line_error(result, text: str) -> None:
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err = result.stderr.strip().splitlines()
    assert len(err) == 1, result.stderr
    assert text in err[0]


def test_missing_file(tmp_path: Path) -> None:
    one_line_error(invoke("check", str(tmp_path / "нет.xlsx")),
                   "нет.xlsx: файл не найден; проверьте путь и имя файла")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("это не книга", encoding="utf-8")
    one_line_error(invoke("check", str(path)), "notes.xlsx: файл не является книгой Excel")


def test_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    one_line_error(invoke("check", str(path)), "broken.xlsx: файл повреждён")


def test_a_damaged_xls(tmp_path: Path) -> None:
    """An .xls is read since issue 29 (tests/test_book.py); one that only starts like one
    is a damaged file."""
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    one_line_error(invoke("check", str(path)), "old.xls: файл повреждён")


def test_an_xls_and_an_ods_saved_by_libreoffice_are_checked(tmp_path: Path) -> None:
    for suffix in ("xls", "ods"):
        result = invoke("check", str(ROOT / "tests" / "data" / f"libreoffice-amursk.{suffix}"))
        assert result.exit_code == 0, result.output + result.stderr


def test_password_protected(content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = make_workbook(content)
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as src, locked.open("wb") as dst:
        OOXMLFile(src).encrypt("пароль", dst)
    one_line_error(invoke("check", str(locked)), "locked.xlsx: книга защищена паролем")


def test_missing_sheet(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    wb = load_workbook(path)
    del wb["Заседания"]
    wb.save(path)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ("  ошибка: лист «Заседания»: в книге нет обязательного листа; добавьте лист с "
            "этим именем") in result.output.splitlines()[1]


def test_folder_given_instead_of_file(tmp_path: Path) -> None:
    one_line_error(invoke("check", str(tmp_path)), "это папка, а не книга Excel")


def test_no_arguments_is_usage_error() -> None:
    result = invoke("check")
    assert result.exit_code == 2
    assert "Не указан аргумент" in result.output


def test_annotate_marks_a_copy(content: dict, make_workbook: Callable) -> None:
    content["Заседания"][2]["Дата"] = dt.date(2026, 7, 1)
    content["Участники"][3]["Эл. почта"] = "нет почты"
    path = make_workbook(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = invoke("check", "--annotate", str(path))
    assert result.exit_code == 1
    copy = path.with_name("group.проверка.xlsx")
    assert f"Копия с пометками: {copy}" in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    wb = load_workbook(copy)
    cell = wb["Заседания"]["B4"]
    assert cell.fill.fgColor.rgb.endswith("FF9999")
    assert "вне периода работы группы" in cell.comment.text
    warn = wb["Участники"]["K5"]
    assert warn.fill.fgColor.rgb.endswith("FFE699")
    assert "предупреждение" in warn.comment.text
    report = wb["Проверка"]
    assert wb.sheetnames[0] == "Проверка"
    rows = [[c.value for c in r] for r in report.iter_rows(min_row=2)]
    assert rows[-1][:3] == ["ошибка", "Заседания", "B4"] or any(
        r[:3] == ["ошибка", "Заседания", "B4"] for r in rows)
    assert report["C2"].hyperlink is not None


def test_annotate_with_no_problems_writes_nothing(content: dict, make_workbook: Callable) -> None:
    path = make_workbook(content)
    result = invoke("check", "--annotate", str(path))
    assert result.exit_code == 0
    assert result.output == "group.xlsx: ошибок нет\n"
    assert not path.with_name("group.проверка.xlsx").exists()


def test_internal_error_is_russian_without_traceback(tmp_path: Path, monkeypatch) -> None:
    import docgen.api.check

    def boom(paths):
        raise RuntimeError("сбой")

    monkeypatch.setattr(docgen.api.check, "check", boom)
    wb = Workbook()
    path = tmp_path / "a.xlsx"
    wb.save(path)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert "Внутренняя ошибка docgen" in result.stderr and "--traceback" in result.stderr
    assert "Traceback" not in result.stderr
    result = invoke("--traceback", "check", str(path))
    assert "Traceback" in result.stderr


def test_annotate_sheet_level_and_missing_sheet(content: dict, make_workbook: Callable) -> None:
    content["Заседания"] = content["Заседания"][:2]  # too few meetings: a sheet-level error
    path = make_workbook(content)
    wb = load_workbook(path)
    del wb["Повестка"]
    wb.save(path)
    result = invoke("check", "--annotate", str(path))
    assert result.exit_code == 1
    marked = load_workbook(path.with_name("group.проверка.xlsx"))
    assert "не реже четырёх раз в год" in marked["Заседания"]["A1"].comment.text
    # the original comment (the column hint) is kept under the message
    assert "Обязательное поле" in marked["Заседания"]["A1"].comment.text
    listed = [r[3] for r in marked["Проверка"].iter_rows(min_row=2, values_only=True)]
    assert any("не реже четырёх раз в год" in m for m in listed)


def test_annotate_twice_replaces_the_copy(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Телефон"] = "12"
    path = make_workbook(content)
    assert invoke("check", "--annotate", str(path)).exit_code == 0
    content["Участники"][3]["Телефон"] = None
    content["Участники"][3]["Эл. почта"] = "плохой адрес"
    make_workbook(content)
    assert invoke("check", "--annotate", str(path)).exit_code == 0
    marked = load_workbook(path.with_name("group.проверка.xlsx"))
    assert [r[0] for r in marked.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        "предупреждение"]
    assert marked.sheetnames.count("Проверка") == 1


def test_annotating_the_marked_copy_updates_it(content: dict, make_workbook: Callable) -> None:
    content["Участники"][3]["Телефон"] = "12"
    path = make_workbook(content)
    invoke("check", "--annotate", str(path))
    copy = path.with_name("group.проверка.xlsx")
    result = invoke("check", "--annotate", str(copy))
    assert result.exit_code == 0
    assert f"Копия с пометками: {copy}" in result.output
    assert sorted(p.name for p in path.parent.iterdir()) == ["group.xlsx", "group.проверка.xlsx"]
    marked = load_workbook(copy)
    assert marked.sheetnames.count("Проверка") == 1
    assert marked["Участники"]["J5"].comment.text.count("телефон «12»") == 1


def test_annotate_marks_cells_the_file_gives_no_style(tmp_path: Path) -> None:
    """Cells a writer left without a style (``s`` absent: openpyxl keeps no StyleArray) are
    marked like the others; the second such mark crashed with AttributeError."""
    import shutil

    from docgen.errors import Location, Problem, Severity
    from docgen.workbook.annotate import annotate

    book = shutil.copy(Path(__file__).parent.parent / "data" / "klin-masterskaya.xlsx",
                       tmp_path / "book.xlsx")
    sheet = load_workbook(book)["Заседания"]
    bare = [c.coordinate for row in sheet.iter_rows(min_row=2, max_row=4)
            for c in row if c._style is None]
    assert len(bare) >= 2  # the test needs two such cells
    problems = [Problem(Severity.WARNING, f"пометка {ref}",
                        Location(sheet="Заседания", row=sheet[ref].row,
                                 column=sheet[ref].column)) for ref in ["A2", *bare[:2]]]
    marked = load_workbook(annotate(book, problems))["Заседания"]
    assert all(marked[ref].fill.fgColor.rgb == marked["A2"].fill.fgColor.rgb
               for ref in bare[:2])
