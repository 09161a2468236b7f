"""`docgen build` over many workbooks and folders: parallel, isolated, with a registry."""

from __future__ import annotations

import copy
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from click.testing import CliRunner, Result

from docgen.cli import cli
from docgen.errors import Location, Problem, Severity, ValidationError, WorkbookError
from docgen.main import workbook_paths
from docgen.output.registry import REGISTRY
from docgen.templating import builtin_templates

YEAR = "2025-2026 учебный год"
GROUP = "Творческая группа «Читающая школа»"
DATA = Path(__file__).resolve().parent.parent / "data"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def other_group(content: dict, name: str) -> dict:
    content["Группа"]["Название"] = name
    return content


def broken(content: dict) -> dict:
    content["Заседания"][1]["Дата"] = "31.02.2026"
    return content


def own_template(tmp_path: Path, doc_id: str, paragraph: str, first: bool = False) -> Path:
    """A clerk's folder with one built-in template copied and given one more paragraph."""
    own = tmp_path / "шаблоны"
    own.mkdir(exist_ok=True)
    doc = docx.Document(str(builtin_templates() / f"{doc_id}.docx"))
    if first:
        doc.paragraphs[0].insert_paragraph_before(paragraph)
    else:
        doc.add_paragraph(paragraph)
    doc.save(str(own / f"{doc_id}.docx"))
    return own


def registry_rows(out: Path, sheet: str = "Реестр документов") -> list[tuple]:
    wb = openpyxl.load_workbook(out / YEAR / REGISTRY)
    return list(wb[sheet].iter_rows(values_only=True))


@pytest.fixture
def centre(content: dict, make_workbook: Callable, tmp_path: Path) -> Path:
    """A folder as a centre keeps it: two good workbooks, a broken one and clutter."""
    books = tmp_path / "книги"
    books.mkdir()
    for name, data in (("a.xlsx", other_group(copy.deepcopy(content), "Читающая школа")),
                       ("b.xlsx", other_group(copy.deepcopy(content), "Юный исследователь"))):
        shutil.move(make_workbook(data, name), books / name)
    shutil.move(make_workbook(broken(content), "c.xlsx"), books / "c.xlsx")
    (books / "~$a.xlsx").write_bytes(b"Excel's lock file")
    (books / ".~lock.b.xlsx#").write_text("LibreOffice's lock file")
    (books / "a.проверка.xlsx").write_bytes((books / "a.xlsx").read_bytes())
    (books / "заметки.txt").write_text("не книга")
    return books


def test_a_folder_builds_every_workbook_and_skips_the_rest(centre: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", centre, "-o", out)
    assert result.exit_code == 1  # c.xlsx is broken
    assert "Traceback" not in result.output + result.stderr
    groups = sorted(p.name for p in (out / YEAR).iterdir() if p.is_dir())
    assert groups == [GROUP, "Творческая группа «Юный исследователь»"]
    for group in groups:
        assert len(list((out / YEAR / group).glob("*.docx"))) == 10
    assert "c.xlsx" in result.stderr and "31.02.2026" in result.output
    assert "~$a" not in result.output + result.stderr
    assert "проверка" not in result.output + result.stderr


def test_the_summary_table(centre: Path, tmp_path: Path) -> None:
    result = invoke("build", centre, "-o", tmp_path / "out")
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Книга"))
    assert lines[header].split() == ["Книга", "Группа", "Документов", "Итог"]
    assert re.match(r"^a\.xlsx +Читающая школа +10 +готово$", lines[header + 2])
    assert re.match(r"^b\.xlsx +Юный исследователь +10 +готово$", lines[header + 3])
    assert re.match(r"^c\.xlsx +— +0 +ошибки в книге: 1$", lines[header + 4])
    assert lines[-1] == "Обработано книг: 3, из них с ошибками: 1. Записано: 20 документов."


def test_an_empty_folder_is_an_error_of_its_own(content: dict, make_workbook: Callable,
                                                 tmp_path: Path) -> None:
    empty = tmp_path / "пусто"
    empty.mkdir()
    result = invoke("build", empty, make_workbook(content), "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "пусто: в папке нет книг Excel (.xlsx)" in result.stderr
    assert len(list((tmp_path / "out" / YEAR / GROUP).glob("*.docx"))) == 10


def test_workbook_paths_keeps_order_and_names_a_file_once(centre: Path) -> None:
    found, problems = workbook_paths([centre, centre / "b.xlsx"])
    assert [p.name for p in found] == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert problems == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jobs_give_the_same_files_byte_for_byte(jobs: str, tmp_path: Path) -> None:
    reference = tmp_path / "ref"
    assert invoke("build", DATA, "-o", reference, "--jobs", "1").exit_code == 0
    out = tmp_path / "out"
    result = invoke("build", DATA, "-o", out, "--jobs", jobs)
    assert result.exit_code == 0, result.output + result.stderr
    ours = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.docx")}
    theirs = {p.relative_to(reference): p.read_bytes() for p in reference.rglob("*.docx")}
    assert len(ours) == 84  # 79 documents (5 amendment orders), a «Сводный отчёт» a service (5)
    assert ours == theirs


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = invoke("build", DATA, "-o", tmp_path, "--jobs", "0")
    assert result.exit_code == 2


# --- the registry --------------------------------------------------------------------


def test_the_registry_lists_every_document(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", DATA, "-o", out)
    assert f"Реестр документов: {out / YEAR / REGISTRY}" in result.output
    rows = registry_rows(out)
    assert rows[0] == ("№", "Группа", "Вид объединения", "Документ", "Наименование", "Номер",
                       "Дата", "Файл", "Примечание")
    assert len(rows) == 80  # a header and 79 documents, 5 of them amendment orders
    files = {row[7] for row in rows[1:]}
    on_disk = {f"{p.parent.name}/{p.name}" for p in (out / YEAR).glob("*/*.docx")}
    assert files == on_disk
    protocol = next(r for r in rows if r[1] == "Информатика для всех"
                    and r[3] == "Протокол заседания")
    assert protocol[4].startswith(f"Протокол № {protocol[5]} от {protocol[6]:%d.%m.%Y}")
    order = next(r for r in rows if r[3] == "Приказ о создании" and r[1] == "Шаг навстречу")
    assert order[5] and order[6] is not None
    wb = openpyxl.load_workbook(out / YEAR / REGISTRY)
    link = wb["Реестр документов"]["H2"].hyperlink
    # a relative link as Excel writes one (XlsxWriter): «\\» between folders, spaces «%20»
    target = unquote(link.target).replace("\\", "/") if link is not None else ""
    assert target and (out / YEAR / target).is_file()
    totals = list(wb["Группы"].iter_rows(values_only=True))
    assert totals[-1] == ("Всего", None, 79, 0)


def test_the_registry_grows_as_groups_are_built_one_by_one(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("build", make_workbook(content, "a.xlsx"), "-o", out)
    assert len(registry_rows(out)) == 11
    invoke("build", make_workbook(other_group(content, "Второй"), "b.xlsx"), "-o", out)
    rows = registry_rows(out)
    assert len(rows) == 21
    assert {r[1] for r in rows[1:]} == {"Читающая школа", "Второй"}


def test_the_registry_notes_a_hand_edited_document(content: dict, make_workbook: Callable,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out)
    protocol = next((out / YEAR / GROUP).glob("05.01 Протокол № 1 *.docx"))
    doc = docx.Document(str(protocol))
    doc.add_paragraph("Дописано вручную.")
    doc.save(str(protocol))
    invoke("build", book, "-o", out)
    notes = {r[7].split("/")[1]: r[8] for r in registry_rows(out)[1:]}
    assert notes[protocol.name] == "изменён вручную"
    assert notes[protocol.stem + " (новая версия).docx"] is None


def test_a_registry_edited_in_excel_is_kept(content: dict, make_workbook: Callable,
                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out)
    wb = openpyxl.load_workbook(out / YEAR / REGISTRY)
    wb.active["J1"] = "Проверено"
    wb.save(out / YEAR / REGISTRY)
    result = invoke("build", book, "-o", out)
    assert result.exit_code == 0
    assert openpyxl.load_workbook(out / YEAR / REGISTRY).active["J1"].value == "Проверено"
    assert (out / YEAR / "Реестр документов (новая версия).xlsx").is_file()


# --- one group, two workbooks ------------------------------------------------------


def test_two_workbooks_of_one_group_in_one_batch(content: dict, make_workbook: Callable,
                                                 tmp_path: Path) -> None:
    first = make_workbook(content, "first.xlsx")
    second = make_workbook(content, "second.xlsx")
    out = tmp_path / "out"
    result = invoke("build", first, second, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert "эту группу уже сформировала книга" in result.stderr
    assert "не записано" in result.output
    assert len(list((out / YEAR / GROUP).glob("*.docx"))) == 10
    # in the next run the same workbook rebuilds its group as usual
    again = invoke("build", second, "-o", out)
    assert again.exit_code == 0, again.stderr


# --- the clerk's templates ----------------------------------------------------------


def test_templates_folder_overrides_one_document(content: dict, make_workbook: Callable,
                                                 tmp_path: Path) -> None:
    own = own_template(tmp_path, "protocol", "ГОРОДСКОЙ БЛАНК {{ group.name|upper }}", first=True)
    out = tmp_path / "out"
    result = invoke("build", make_workbook(content), "-o", out, "--templates", own)
    assert result.exit_code == 0, result.stderr
    protocol = next((out / YEAR / GROUP).glob("05.01 Протокол № 1 *.docx"))
    assert docx.Document(str(protocol)).paragraphs[0].text == "ГОРОДСКОЙ БЛАНК ЧИТАЮЩАЯ ШКОЛА"
    order = next((out / YEAR / GROUP).glob("01 *.docx"))
    assert "ГОРОДСКОЙ БЛАНК" not in docx.Document(str(order)).paragraphs[0].text


def test_a_broken_custom_template_fails_that_document_only(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    own = own_template(tmp_path, "plan", "Ответственный: {{ grup.head }}")
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out", "--templates", own)
    assert result.exit_code == 1
    assert "шаблон «plan.docx»" in result.stderr
    assert "неизвестная переменная «grup»" in result.stderr
    assert "Записано: 9 документов, не записано: 1." in result.output


# --- errors cross process boundaries ------------------------------------------------


def test_errors_survive_pickling() -> None:
    problem = Problem(Severity.ERROR, "дата не существует", Location("g.xlsx", "Заседания", 7, 2))
    error = pickle.loads(pickle.dumps(ValidationError([problem], file="g.xlsx")))
    assert error.problems == [problem] and error.file == "g.xlsx"
    plain = pickle.loads(pickle.dumps(WorkbookError("файл повреждён", file="g.xlsx")))
    assert str(plain) == "g.xlsx: файл повреждён" and type(plain) is WorkbookError


# --- contexts for template authors ----------------------------------------------------


def test_dump_context_writes_each_documents_data_as_json(content: dict, make_workbook: Callable,
                                                         tmp_path: Path) -> None:
    import json

    out, dump = tmp_path / "out", tmp_path / "контексты"
    result = invoke("build", make_workbook(content), "-o", out, "--dump-context", dump)
    assert result.exit_code == 0, result.stderr
    docs = sorted(p.stem for p in (out / YEAR / GROUP).glob("*.docx"))
    dumped = sorted(p.stem for p in (dump / YEAR / GROUP).glob("*.json"))
    assert dumped == docs
    protocol = json.loads(next((dump / YEAR / GROUP).glob("05.02 Протокол № 2 *.json"))
                          .read_text(encoding="utf-8"))
    assert protocol["meeting"]["number"] == 2
    assert protocol["group"]["name"] == "Читающая школа"
    assert protocol["meeting"]["date"] == "2025-11-20"  # dates as ISO, as {{ x }} prints them


def test_dump_context_is_written_even_when_a_template_fails(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    own = own_template(tmp_path, "plan", "{{ plan_missing_field }}")
    dump = tmp_path / "контексты"
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out", "--templates", own,
                    "--dump-context", dump)
    assert result.exit_code == 1
    assert list((dump / YEAR / GROUP).glob("04 *.json"))  # the plan's data, to see what exists


def test_a_broken_template_is_reported_once_for_all_its_documents(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.templating import compiler

    own = own_template(tmp_path, "protocol", "{% if meeting.held %}Проведено")
    calls = []
    real = compiler._compile
    monkeypatch.setattr(compiler, "_compile", lambda path: calls.append(path) or real(path))
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out", "--templates", own,
                    "--jobs", "1")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "не записаны документы" in line]
    assert len(lines) == 1
    assert lines[0].count("«Протокол №") == 5
    assert "не закрыт тег {% if %} — добавьте {% endif %}" in lines[0]
    assert calls.count(own / "protocol.docx") == 1  # compiled (and failed) once, not per protocol
