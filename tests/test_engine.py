"""Rendering: strict variables, the Russian filters, and template mistakes in Russian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from docgen.engine import environment, render
from docgen.errors import TemplateError


def template(tmp_path: Path, *paragraphs: str) -> Path:
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "шаблон.docx"
    doc.save(str(path))
    return path


def rendered_text(tmp_path: Path, context: dict, *paragraphs: str) -> list[str]:
    out = tmp_path / "out.docx"
    out.write_bytes(render(template(tmp_path, *paragraphs), context))
    return [p.text for p in docx.Document(str(out)).paragraphs]


def test_values_are_escaped_and_never_evaluated(tmp_path: Path) -> None:
    text = rendered_text(tmp_path, {"name": "Ромашка & <Лютик> {{ 1 + 1 }}"}, "{{ name }}")
    assert text == ["Ромашка & <Лютик> {{ 1 + 1 }}"]


def test_a_misspelt_variable_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        rendered_text(tmp_path, {"group": {"name": "x"}}, "Группа {{ grup.name }}")
    assert "шаблон «шаблон.docx»" in str(caught.value)
    assert "неизвестная переменная «grup»" in str(caught.value)


def test_a_syntax_error_is_reported_with_its_paragraph(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"абзац «Группа .*ошибка в записи"):
        rendered_text(tmp_path, {}, "Группа {{ name ")


@pytest.mark.parametrize(
    ("expr", "context", "expected"),
    [
        ("{{ d|date }}", {"d": dt.date(2026, 6, 5)}, "05.06.2026"),
        ("{{ d|date_text }}", {"d": dt.date(2026, 6, 5)}, "5 июня 2026\u00a0г."),
        ("{{ d|date_text }}", {"d": dt.date(2026, 6, 5), "quoted_dates": True},
         "«5» июня 2026\u00a0г."),
        ("{{ n|count('заседание', 'заседания', 'заседаний') }}", {"n": 3}, "3 заседания"),
        ("{{ g|agree('ознакомлен', 'ознакомлена') }}", {"g": "ж"}, "ознакомлена"),
        ("{{ g|agree('ознакомлен', 'ознакомлена') }}", {"g": None}, "ознакомлен(а)"),
        ("{{ 'директор'|capfirst }}", {}, "Директор"),
        ("{{ 'Показала опыт'|lcfirst }} {{ 'МКУ ИМЦ'|lcfirst }}", {}, "показала опыт МКУ ИМЦ"),
        ("{{ d|month }}", {"d": dt.date(2025, 9, 1)}, "сентябрь"),
    ],
)
def test_russian_filters(tmp_path: Path, expr: str, context: dict, expected: str) -> None:
    assert rendered_text(tmp_path, context, expr) == [expected]


def test_templates_cannot_reach_python_internals() -> None:
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        environment().from_string("{{ ''.__class__.__mro__ }}").render()
