"""`docgen templates list/export/check` and `docgen fields`, as a clerk runs them."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen.cli import cli
from docgen.language.russian import count
from docgen.templating import builtin_templates

BUILTIN = sorted(p.name for p in builtin_templates().glob("*.docx"))
CHAIR = "Председатель – {{ chair.initials }}"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def broken_protocol(folder: Path, new: str) -> Path:
    """The built-in protocol in ``folder`` with the chair's paragraph reading ``new``."""
    doc = docx.Document(str(builtin_templates() / "protocol.docx"))
    paragraph = next(Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))
                     if Paragraph(p, doc).text.replace("\xa0", " ") == CHAIR)
    for run_ in paragraph.runs[1:]:
        run_._r.getparent().remove(run_._r)
    paragraph.runs[0].text = new
    folder.mkdir(parents=True, exist_ok=True)
    doc.save(str(folder / "protocol.docx"))
    return folder / "protocol.docx"


# --- list ------------------------------------------------------------------------------


def test_list_names_every_builtin_template_and_its_document() -> None:
    result = run("templates", "list")
    assert result.exit_code == 0, result.output
    for name in BUILTIN:
        assert name in result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()
             if line.startswith("  ") and line.split()[0].endswith(".docx")}
    assert "протокол заседания" in lines["protocol.docx"]
    assert "положение — только для вида «Городское методическое объединение»" in \
        lines["regulation_gmo.docx"]
    assert "отчёт за год" in lines["annual_report.docx"]
    assert "заменён" not in result.output


def test_list_marks_what_a_folder_overrides(tmp_path: Path) -> None:
    folder = tmp_path / "мои шаблоны"
    broken_protocol(folder, "Председатель собрания – {{ chair.initials }}")
    (folder / "plan_gmo.docx").write_bytes((builtin_templates() / "plan.docx").read_bytes())
    (folder / "бланк.docx").write_bytes((builtin_templates() / "plan.docx").read_bytes())
    result = run("templates", "list", "--templates", str(folder))
    assert result.exit_code == 0, result.output
    assert f"заменён файлом {folder / 'protocol.docx'}" in result.output
    assert result.output.count("заменён файлом") == 1
    assert "plan_gmo.docx" in result.output and "у этого вида — вместо plan.docx" in result.output
    assert "бланк.docx" in result.output and "не используется" in result.output
    assert f"Заменено встроенных шаблонов: 1 из {len(BUILTIN)}." in result.output


def test_list_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("templates", "list", "--templates", str(tmp_path / "нет"))
    assert result.exit_code == 2
    assert "не существует" in result.output


# --- export ----------------------------------------------------------------------------


def test_export_copies_every_template(tmp_path: Path) -> None:
    folder = tmp_path / "шаблоны"
    result = run("templates", "export", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == BUILTIN
    for name in BUILTIN:
        assert (folder / name).read_bytes() == (builtin_templates() / name).read_bytes()
    assert f"скопировано: {count(len(BUILTIN), 'шаблон', 'шаблона', 'шаблонов')}" in result.output
    assert f'docgen templates check "{folder}"' in result.output


def test_export_keeps_edited_files_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "шаблоны"
    edited = broken_protocol(folder, "Председатель собрания – {{ chair.initials }}")
    mine = edited.read_bytes()
    result = run("templates", "export", str(folder))
    assert result.exit_code == 0, result.output
    assert edited.read_bytes() == mine
    assert f"скопировано: {count(len(BUILTIN) - 1, 'шаблон', 'шаблона', 'шаблонов')}" \
        in result.output
    assert "Уже есть в папке и не заменены (заменить — --force): protocol.docx" in result.output
    forced = run("templates", "export", str(folder), "protocol", "--force")
    assert forced.exit_code == 0, forced.output
    assert edited.read_bytes() == (builtin_templates() / "protocol.docx").read_bytes()
    assert "protocol.docx (заменён)" in forced.output


def test_export_of_named_documents(tmp_path: Path) -> None:
    result = run("templates", "export", str(tmp_path / "a"), "положение", "приказ о создании")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        ["order_open.docx", *(n for n in BUILTIN if n.startswith("regulation"))])
    one = run("templates", "export", str(tmp_path / "b"), "regulation_gmo.docx")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["regulation_gmo.docx"]
    assert one.exit_code == 0
    start = run("templates", "export", str(tmp_path / "c"), "protocol_gmo")
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["protocol.docx"]
    assert start.exit_code == 0


def test_export_of_an_unknown_document(tmp_path: Path) -> None:
    result = run("templates", "export", str(tmp_path), "устав")
    assert result.exit_code == 1
    assert "Ошибка: неизвестный документ «устав»; документы: order_open — приказ о создании" \
        in result.output


# --- check -----------------------------------------------------------------------------


def test_check_of_the_builtin_templates_finds_nothing() -> None:
    result = run("templates", "check", str(builtin_templates()))
    assert result.exit_code == 0, result.output
    assert f"Проверено шаблонов: {len(BUILTIN)}, из них с ошибками: 0 — ошибок нет." \
        in result.output


def test_check_names_the_mistake_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "шаблоны"
    broken_protocol(folder, "Председатель – {{ chair.initials|uper }}")
    (folder / "plan.docx").write_bytes((builtin_templates() / "plan.docx").read_bytes())
    result = run("templates", "check", str(folder))
    assert result.exit_code == 1
    assert "plan.docx (план работы (дорожная карта)): ошибок нет" in result.output
    assert "protocol.docx (протокол заседания): 1 ошибка" in result.output
    assert ("  ошибка: шаблон «protocol.docx», абзац «Председатель – {{ chair.initials|uper }}»: "
            "неизвестный фильтр «uper»; возможно, имелось в виду «upper»") in result.output
    assert "Проверено шаблонов: 2, из них с ошибками: 1." in result.output


def test_check_of_one_file(tmp_path: Path) -> None:
    path = broken_protocol(tmp_path, CHAIR)
    result = run("templates", "check", str(path))
    assert result.exit_code == 0, result.output
    first, note = result.output.splitlines()
    assert first == "protocol.docx (протокол заседания): ошибок нет"
    # what only rendering can find is said plainly (issue 15, defect 3)
    assert note.startswith("Проверка не запускает шаблоны") and "повторений циклов" in note


def test_check_warnings_do_not_fail(tmp_path: Path) -> None:
    (tmp_path / "бланк.docx").write_bytes((builtin_templates() / "plan.docx").read_bytes())
    result = run("templates", "check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "бланк.docx: ошибок нет, 1 предупреждение" in result.output
    assert "предупреждение: шаблон «бланк.docx»: имя файла не совпадает" in result.output
    quiet = run("templates", "check", "-q", str(tmp_path))
    assert "предупреждение" not in quiet.output and quiet.exit_code == 0


def test_check_of_an_empty_folder_or_a_missing_path(tmp_path: Path) -> None:
    empty = run("templates", "check", str(tmp_path))
    assert empty.exit_code == 1
    assert "Ошибка: нет шаблонов .docx" in empty.output
    missing = run("templates", "check", str(tmp_path / "нет"))
    assert missing.exit_code == 2


# --- fields ----------------------------------------------------------------------------


def test_fields_of_a_document_with_examples() -> None:
    result = run("fields", "protocol")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Поля шаблона «протокол заседания» (protocol.docx)")
    assert "из книги amursk-tvorcheskaya.xlsx (вид «Творческая группа»), документ «Протокол № 1" \
        in out
    assert "Поля этого документа:\n  meeting — заседание" in out
    assert "  meeting.date — дата заседания" in out
    assert "      пример: дата " in out
    assert "  meeting.agenda[] — вопросы повестки" in out
    assert "  head.dat — имя в дательном падеже" in out
    assert "  chair — председатель заседаний" in out and "поля те же, что у head" in out
    assert "Общие поля (есть во всех документах):" in out
    assert "Фильтры (пишут после поля через «|»):\n  date — дата цифрами" in out
    assert "{{ order.date|date }} → " in out


def test_fields_by_russian_name_and_kind() -> None:
    result = run("fields", "протокол заседания", "--kind", "гмо")
    assert result.exit_code == 0, result.output
    assert "из книги izhevsk-gmo.xlsx" in result.output
    by_file = run("fields", "regulation_masterskaya.docx")
    assert "из книги klin-masterskaya.xlsx" in by_file.output


def test_fields_without_a_document_lists_documents_and_common_fields() -> None:
    result = run("fields")
    assert result.exit_code == 0, result.output
    assert "  protocol — протокол заседания: protocol.docx" in result.output
    assert "regulation_gmo.docx" in result.output
    assert "Поля этого документа" not in result.output
    assert "  group.theme — тема" in result.output and "  meeting." not in result.output


def test_fields_full_shows_every_path() -> None:
    short = run("fields", "protocol").output
    full = run("fields", "protocol", "--full").output
    assert "  secretary.dat.initials —" in full and "  secretary.dat.initials —" not in short


def test_fields_of_unknown_or_ambiguous_document_is_a_usage_error() -> None:
    unknown = run("fields", "устав")
    assert unknown.exit_code == 2
    assert "неизвестный документ «устав»" in unknown.output
    ambiguous = run("fields", "приказ")
    assert ambiguous.exit_code == 2
    assert "«приказ» подходит к нескольким документам, уточните: order_open — приказ о " \
           "создании; order_head" in ambiguous.output


def test_fields_of_a_document_the_kind_has_not() -> None:
    result = run("fields", "event_report", "--kind", "tvorcheskaya")
    assert result.exit_code == 1
    assert "у вида «Творческая группа» нет документа «отчёт о сетевом событии с листом " \
           "регистрации»; он есть у видов:" in result.output
