"""`docgen build`: Russian output, the folder and file names, errors as `check` shows them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import cli

YEAR = "2025-2026 учебный год"
GROUP = "Творческая группа «Читающая школа»"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def folder(out: Path) -> Path:
    return out / YEAR / GROUP


def one_line_error(result: Result, text: str) -> None:
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert text in lines[0]


# --- success ----------------------------------------------------------------------


def test_build_exits_0(content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr == ""


def test_build_names_the_folder(content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", make_workbook(content), "-o", out)
    line = next(x for x in result.output.splitlines() if str(folder(out)) in x)
    assert "записаны в папку" in line.lower(), line


def test_build_lists_every_file_written(content: dict, make_workbook: Callable,
                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("build", make_workbook(content), "-o", out)
    written = sorted(p.name for p in folder(out).glob("*.docx"))
    assert len(written) == 10
    listed = [line.strip() for line in result.output.splitlines() if line.endswith(".docx")]
    assert sorted(listed) == written


def test_build_file_names(content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("build", make_workbook(content), "-o", out)
    names = {p.name for p in folder(out).glob("*.docx")}
    assert {"01 Приказ о создании от 29.08.2025 № 24-3.docx",
            "02 Приказ о назначении руководителя от 29.08.2025 № 24-4.docx", "03 Положение.docx",
            "04 План работы на 2025-2026 учебный год.docx",
            "05.03 Протокол № 3 от 22.01.2026.docx",
            "06 Отчёт за 2025-2026 учебный год.docx"} <= names


def test_build_leaves_no_temporary_files(content: dict, make_workbook: Callable,
                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out)
    again = invoke("build", book, "-o", out)
    assert again.exit_code == 0
    assert {p.suffix for p in folder(out).iterdir()} == {".docx", ".json"}
    assert len(list(folder(out).glob("*.docx"))) == 10


def without_plan(content: dict) -> None:
    content["План"] = []


def nothing_held(content: dict) -> None:
    for meeting in content["Заседания"]:
        meeting["Присутствовало"] = None


def neither(content: dict) -> None:
    without_plan(content)
    nothing_held(content)


@pytest.mark.parametrize(("change", "said"), [
    (lambda c: None, "Записано: 10 документов."),
    (without_plan, "Записано: 9 документов."),
    (nothing_held, "Записано: 5 документов."),
    (neither, "Записано: 4 документа."),
], ids=["all", "no-plan", "none-held", "neither"])
def test_build_counts_documents_with_agreement(content: dict, make_workbook: Callable,
                                               tmp_path: Path, change: Callable,
                                               said: str) -> None:
    change(content)
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert said in result.output.splitlines()


def test_build_says_why_a_document_is_skipped(content: dict, make_workbook: Callable,
                                              tmp_path: Path) -> None:
    without_plan(content)
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert "  пропущено: План работы не создан: лист «План» пуст" in result.output.splitlines()


def test_build_says_which_protocols_are_skipped(content: dict, make_workbook: Callable,
                                                tmp_path: Path) -> None:
    content["Заседания"][4]["Присутствовало"] = None
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    skipped = [line for line in result.output.splitlines() if "пропущено:" in line]
    assert len(skipped) == 1
    assert "№ 5 от 21.05.2026" in skipped[0] and "«Присутствовало»" in skipped[0]


def test_build_shows_warnings_and_still_builds(content: dict, make_workbook: Callable,
                                               tmp_path: Path) -> None:
    content["Участники"][3]["Телефон"] = "12"
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "group.xlsx: ошибок нет, 1 предупреждение" in result.output
    assert any(line.startswith("  предупреждение: лист «Участники», ячейка J5 (Цой Виктор): "
                               "телефон")
               for line in result.output.splitlines())
    assert len(list(folder(tmp_path / "out").glob("*.docx"))) == 10


def test_build_quiet_hides_warnings(content: dict, make_workbook: Callable,
                                    tmp_path: Path) -> None:
    content["Участники"][3]["Телефон"] = "12"
    result = invoke("build", "-q", make_workbook(content), "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "предупреждение:" not in result.output


# --- errors ----------------------------------------------------------------------


def broken(content: dict) -> None:
    content["Группа"]["Номер приказа"] = None
    content["Участники"][1]["Фамилия"] = "Шeвченко"  # a Latin «e»
    content["Участники"][3]["Телефон"] = "12"


def test_errors_exit_1(content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    broken(content)
    assert invoke("build", make_workbook(content), "-o", tmp_path / "out").exit_code == 1


def test_errors_shown_as_check_shows_them(content: dict, make_workbook: Callable,
                                          tmp_path: Path) -> None:
    broken(content)
    book = make_workbook(content)
    checked = invoke("check", book)
    built = invoke("build", book, "-o", tmp_path / "out")
    assert checked.stdout.strip()
    assert built.stdout == checked.stdout


def test_errors_say_documents_not_made(content: dict, make_workbook: Callable,
                                       tmp_path: Path) -> None:
    broken(content)
    result = invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert "документы не сформированы" in result.stderr.lower()
    assert "исправьте ошибки" in result.stderr


def test_errors_create_no_folder(content: dict, make_workbook: Callable,
                                 tmp_path: Path) -> None:
    broken(content)
    invoke("build", make_workbook(content), "-o", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_file_is_one_russian_line(tmp_path: Path) -> None:
    result = invoke("build", tmp_path / "нет.xlsx", "-o", tmp_path / "out")
    one_line_error(result, "нет.xlsx: файл не найден; проверьте путь и имя файла")
    assert not (tmp_path / "out").exists()


def test_not_a_workbook_is_one_russian_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("это не книга", encoding="utf-8")
    result = invoke("build", path, "-o", tmp_path / "out")
    one_line_error(result, "notes.xlsx: файл не является книгой Excel")
    assert not (tmp_path / "out").exists()


def test_no_workbook_is_a_usage_error() -> None:
    result = invoke("build")
    assert result.exit_code == 2
    assert "Использование: docgen build" in result.output + result.stderr


# --- the output folder -------------------------------------------------------------


@pytest.mark.parametrize("option", ["-o", "--output"])
def test_output_option_respected(content: dict, make_workbook: Callable, tmp_path: Path,
                                 option: str) -> None:
    out = tmp_path / "куда" / "угодно"
    result = invoke("build", make_workbook(content), option, out)
    assert result.exit_code == 0
    assert len(list(folder(out).glob("*.docx"))) == 10


def test_default_output_folder(content: dict, make_workbook: Callable, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    book = make_workbook(content)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = invoke("build", book)
    assert result.exit_code == 0, result.output
    assert len(list(folder(cwd / "output").glob("*.docx"))) == 10


def test_several_workbooks_one_broken(content: dict, make_workbook: Callable,
                                      tmp_path: Path) -> None:
    good = make_workbook(content, "good.xlsx")
    broken(content)
    bad = make_workbook(content, "bad.xlsx")
    result = invoke("build", good, bad, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert len(list(folder(tmp_path / "out").glob("*.docx"))) == 10
    assert "bad.xlsx" in result.stderr


# --- help ----------------------------------------------------------------------------


def test_help_in_russian() -> None:
    result = invoke("build", "--help")
    assert result.exit_code == 0
    assert "Использование: docgen build" in result.output
    assert "Сформировать документы групп по заполненным книгам" in result.output
    assert "-j, --jobs N" in result.output and "--templates ПАПКА" in result.output
    assert "-o, --output ПАПКА" in result.output
    assert "Usage" not in result.output and "Options" not in result.output


def test_a_protocol_edited_in_word_survives_a_rebuild(content: dict, make_workbook: Callable,
                                                      tmp_path: Path) -> None:
    import docx

    out = tmp_path / "out"
    book = make_workbook(content)
    invoke("build", book, "-o", out)
    protocol = next(folder(out).glob("05.01 Протокол № 1 *.docx"))
    doc = docx.Document(str(protocol))
    doc.add_paragraph("Дописано секретарём вручную.")
    doc.save(str(protocol))
    edited = protocol.read_bytes()

    again = invoke("build", book, "-o", out)
    assert again.exit_code == 0
    assert f"файл «{protocol.name}» изменён вручную и сохранён" in again.output
    assert protocol.read_bytes() == edited
    beside = protocol.with_name(f"{protocol.stem} (новая версия).docx")
    assert beside.is_file()
    assert "Дописано" not in "\n".join(p.text for p in docx.Document(str(beside)).paragraphs)

    forced = invoke("build", book, "-o", out, "--force")
    assert forced.exit_code == 0 and "изменён вручную" not in forced.output
    assert protocol.read_bytes() != edited


def test_a_bug_on_one_workbook_does_not_stop_the_others(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import docgen.content.documents

    real = docgen.content.documents.build_documents
    first = make_workbook(content, name="first.xlsx")
    second = make_workbook(content, name="second.xlsx")

    def broken_for_first(group):  # type: ignore[no-untyped-def]
        if group.source.name == "first.xlsx":
            raise KeyError("oops")
        return real(group)

    monkeypatch.setattr(docgen.content.documents, "build_documents", broken_for_first)
    result = invoke("build", first, second, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert "first.xlsx: внутренняя ошибка docgen (KeyError" in result.stderr
    assert re.search(r"^second\.xlsx +Читающая школа +10 +готово$", result.output, re.M)
    assert "Обработано книг: 2, из них с ошибками: 1." in result.output


# --- the folder reads in order; an earlier version's folder migrates -------------------


def test_the_folder_sorts_in_the_sets_order(content: dict, make_workbook: Callable,
                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("build", make_workbook(content), "-o", out)
    names = sorted(p.name for p in folder(out).glob("*.docx"))
    assert names == [
        "01 Приказ о создании от 29.08.2025 № 24-3.docx",
        "02 Приказ о назначении руководителя от 29.08.2025 № 24-4.docx",
        "03 Положение.docx",
        "04 План работы на 2025-2026 учебный год.docx",
        "05.01 Протокол № 1 от 18.09.2025.docx",
        "05.02 Протокол № 2 от 20.11.2025.docx",
        "05.03 Протокол № 3 от 22.01.2026.docx",
        "05.04 Протокол № 4 от 19.03.2026.docx",
        "05.05 Протокол № 5 от 21.05.2026.docx",
        "06 Отчёт за 2025-2026 учебный год.docx",
    ]


def _old_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """File names as docgen 0.1 made them: the place in the table of all ten documents."""
    from docgen.content.documents import Document
    from docgen.kinds import DOCUMENTS

    monkeypatch.setattr(Document, "file_stem", property(
        lambda d: f"{DOCUMENTS.index(d.doc_id) + 1:02d} {d.name}"))


def test_a_folder_of_an_earlier_version_migrates(content: dict, make_workbook: Callable,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Untouched old files go, a hand-edited one stays (and is said), the clerk's own
    files are never touched; the next run has nothing more to do."""
    import docx

    from docgen.output.folders import DERIVED, GroupFolder

    out, book = tmp_path / "out", make_workbook(content)
    with monkeypatch.context() as patch:
        _old_names(patch)
        assert invoke("build", book, "-o", out).exit_code == 0
    where = folder(out)
    old = sorted(p.name for p in where.glob("*.docx"))
    assert "10 Отчёт за 2025-2026 учебный год.docx" in old
    assert "05 Протокол № 2 от 20.11.2025.docx" in old
    edited = where / "05 Протокол № 2 от 20.11.2025.docx"
    doc = docx.Document(str(edited))
    doc.add_paragraph("Дописано секретарём вручную.")
    doc.save(str(edited))
    with GroupFolder(where) as output:  # a PDF made from an untouched old document
        output.write("05 Протокол № 1 от 18.09.2025.pdf", b"%PDF-1.4 old",
                     {DERIVED: "pdf", "from": "05 Протокол № 1 от 18.09.2025.docx"})
        output.finish()
    (where / "10 Отчёт за 2025-2026 учебный год.docx").unlink()  # the clerk deleted it
    (where / "Мои заметки.docx").write_bytes(b"the clerk's own file")

    result = invoke("build", book, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    assert "удалено прежних файлов программы: 4 " in result.output
    assert ("прежний файл «05 Протокол № 2 от 20.11.2025.docx» изменён вручную и сохранён"
            in result.output)
    names = sorted(p.name for p in where.iterdir() if not p.name.startswith("."))
    assert names == ["01 Приказ о создании от 29.08.2025 № 24-3.docx",
                     "02 Приказ о назначении руководителя от 29.08.2025 № 24-4.docx",
                     "03 Положение.docx",
                     "04 План работы на 2025-2026 учебный год.docx",
                     "05 Протокол № 2 от 20.11.2025.docx",  # hand-edited: kept
                     "05.01 Протокол № 1 от 18.09.2025.docx",
                     "05.02 Протокол № 2 от 20.11.2025.docx",
                     "05.03 Протокол № 3 от 22.01.2026.docx",
                     "05.04 Протокол № 4 от 19.03.2026.docx",
                     "05.05 Протокол № 5 от 21.05.2026.docx",
                     "06 Отчёт за 2025-2026 учебный год.docx",
                     "Мои заметки.docx"]
    assert "Дописано секретарём" in "\n".join(
        p.text for p in docx.Document(str(edited)).paragraphs)
    manifest = (where / ".docgen.json").read_text(encoding="utf-8")
    assert "10 Отчёт" not in manifest and "05 Протокол № 1" not in manifest
    assert "05 Протокол № 2" in manifest  # still listed: the registry marks it edited

    def contents() -> dict[str, bytes]:  # the manifest keeps file times: not compared
        return {p.name: p.read_bytes() for p in where.iterdir() if p.name != ".docgen.json"}

    before = contents()
    again = invoke("build", book, "-o", out)
    assert again.exit_code == 0
    assert "удалено прежних" not in again.output
    assert "прежний файл «05 Протокол № 2" in again.output  # said until the clerk removes it
    assert contents() == before


def test_a_document_no_longer_made_is_removed_unless_edited(
        content: dict, make_workbook: Callable, tmp_path: Path) -> None:
    """A meeting taken out of the workbook takes its protocol with it, not a clerk's edit."""
    import docx

    out = tmp_path / "out"
    invoke("build", make_workbook(content), "-o", out)
    edited = folder(out) / "05.04 Протокол № 4 от 19.03.2026.docx"
    doc = docx.Document(str(edited))
    doc.add_paragraph("Подписано.")
    doc.save(str(edited))
    content["Заседания"][4]["Присутствовало"] = None  # № 5 not held after all
    content["Заседания"][3]["Присутствовало"] = None  # nor № 4, whose protocol was edited
    result = invoke("build", make_workbook(content), "-o", out)
    assert result.exit_code == 0, result.output
    assert "удалено прежних файлов программы: 1 " in result.output
    assert not (folder(out) / "05.05 Протокол № 5 от 21.05.2026.docx").exists()
    assert edited.is_file() and "прежний файл «05.04 Протокол № 4" in result.output
