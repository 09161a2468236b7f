"""The blank forms as a library: the registry, the contexts, main.blank_form's errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import main
from docgen.content.documents import form_context, group_context
from docgen.errors import DocgenError, ValidationError
from docgen.forms import FORMS, find_form
from docgen.templating import builtin_templates, find_template

ROOT = Path(__file__).resolve().parent.parent
GMO = ROOT / "data" / "izhevsk-gmo.xlsx"


def test_forms_are_listed_in_order_with_unique_ids_and_files() -> None:
    assert [f.id for f in main.forms()] == ["zayavka-1", "zayavka-2", "registration",
                                            "protocol"]
    assert len({f.file_name.casefold() for f in FORMS}) == len(FORMS)
    for form in FORMS:
        assert form.title and form.description
        assert find_template(form.doc_id, "") == builtin_templates() / f"{form.doc_id}.docx"


def test_find_form_ignores_case_and_spaces() -> None:
    assert find_form(" Registration ") is FORMS[2]
    assert find_form("registr") is None


def test_bare_context_has_no_group() -> None:
    context = form_context(find_form("registration"))
    assert context["filled"] is False
    assert context["rows"] == list(range(1, 31))
    assert "group" not in context and "title" not in context


def test_group_context_is_that_of_the_documents() -> None:
    group = main.load_group(GMO)
    context = form_context(find_form("protocol"), group, rows=2)
    assert context["filled"] is True
    assert context["rows"] == [1, 2]
    expected = group_context(group)
    for key in ("title", "group", "service_head", "service_head_title", "kind", "chair"):
        assert context[key] == expected[key], key


def test_blank_form_writes_and_says_where(tmp_path: Path) -> None:
    result = main.blank_form("zayavka-2", tmp_path, rows=3)
    assert result.path == tmp_path / "Бланки" / "Бланк заявки (приложение 2).docx"
    assert result.path.is_file() and result.kept is None and result.group is None
    assert result.form.id == "zayavka-2"


def test_blank_form_with_a_workbook_goes_to_the_group(tmp_path: Path) -> None:
    result = main.blank_form("protocol", tmp_path, workbook=GMO)
    assert result.group is not None and result.group.name == "Информатика для всех"
    assert result.path.parent == (tmp_path / "2025-2026 учебный год"
                                  / "ГМО «Информатика для всех»" / "Бланки")


def test_unknown_form_lists_the_forms(tmp_path: Path) -> None:
    with pytest.raises(DocgenError, match="неизвестная форма бланка «анкета»; возможные "
                                          "формы: «zayavka-1», «zayavka-2»"):
        main.blank_form("анкета", tmp_path)


@pytest.mark.parametrize("rows", [0, 301])
def test_rows_out_of_range(tmp_path: Path, rows: int) -> None:
    with pytest.raises(DocgenError, match="число строк должно быть от 1 до 300"):
        main.blank_form("registration", tmp_path / "out", rows=rows)
    assert not (tmp_path / "out").exists()


def test_rows_for_a_form_without_rows(tmp_path: Path) -> None:
    with pytest.raises(DocgenError, match="у бланка «zayavka-1» нет строк"):
        main.blank_form("zayavka-1", tmp_path, rows=3)


def test_a_workbook_with_errors_raises_them_all(content: dict, make_workbook: Callable,
                                                tmp_path: Path) -> None:
    content["Группа"]["Номер приказа"] = None
    content["Участники"][1]["Фамилия"] = "Шeвченко"
    with pytest.raises(ValidationError) as caught:
        main.blank_form("protocol", tmp_path / "out", workbook=make_workbook(content))
    assert len([p for p in caught.value.problems if p.is_error]) == 2
    assert not (tmp_path / "out").exists()
