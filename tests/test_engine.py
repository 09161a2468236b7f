"""Rendering: strict variables, the Russian filters, and template mistakes in Russian."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import docx
import pytest
from conftest import paragraphs_template
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen.errors import TemplateError
from docgen.templating import builtin_templates, environment, find_template, render

template = paragraphs_template


def rendered_text(tmp_path: Path, context: dict, *paragraphs: str) -> list[str]:
    out = tmp_path / "out.docx"
    out.write_bytes(render(template(tmp_path, *paragraphs), context))
    return [p.text for p in docx.Document(str(out)).paragraphs]


def test_values_are_escaped_and_never_evaluated(tmp_path: Path) -> None:
    text = rendered_text(tmp_path, {"name": "Ромашка & <Лютик> {{ 1 + 1 }}"}, "{{ name }}")
    assert text == ["Ромашка & <Лютик> {{ 1 + 1 }}"]


def test_an_ampersand_typed_in_a_tag_s_literal_prints_as_typed(tmp_path: Path) -> None:
    """«&» is «&amp;» in the document's XML; inside a tag it is the literal's own «&» (issue
    29: docxtpl printed «Q&amp;A»)."""
    text = rendered_text(tmp_path, {"x": "R&D"}, '{{ "Q&A" }} и {{ x }}',
                         '{% if x == "R&D" %}да{% endif %} {{ x | replace("&", " и ") }}',
                         "{{ 'a<b' }} & {{ \"c&amp;d\" }}")
    assert text == ["Q&A и R&D", "да R и D", "a<b & c&amp;d"]


def test_a_misspelt_variable_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        rendered_text(tmp_path, {"group": {"name": "x"}}, "Группа {{ grup.name }}")
    assert "шаблон «шаблон.docx»" in str(caught.value)
    assert "неизвестная переменная «grup»" in str(caught.value)


def test_a_syntax_error_is_reported_with_its_paragraph(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"абзац «Группа \{\{ name»: тег .* не закрыт"):
        rendered_text(tmp_path, {}, "Группа {{ name ")


@pytest.mark.parametrize(
    ("expr", "context", "expected"),
    [
        ("{{ d|date }}", {"d": dt.date(2026, 6, 5)}, "05.06.2026"),
        ("{{ d|date_text }}", {"d": dt.date(2026, 6, 5)}, "5\u00a0июня 2026\u00a0г."),
        # ГОСТ Р 7.0.97 5.12 for every kind: the old per-kind «"5" июня» setting is gone
        ("{{ d|date_text }}", {"d": dt.date(2026, 6, 5), "quoted_dates": True},
         "5\u00a0июня 2026\u00a0г."),
        ("{{ n|quantity('заседание', 'заседания', 'заседаний') }}", {"n": 3}, "3\u00a0заседания"),
        ("{{ n|count('заседание', 'заседания', 'заседаний') }}", {"n": 3}, "3\u00a0заседания"),
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


# --- template mistakes at render time: each says its paragraph and names what is wrong ----

DATA = Path(__file__).resolve().parent.parent / "data"
CHAIR = "Председатель – {{ chair.initials }}"


@cache
def protocol_context() -> dict:
    from docgen.content.documents import build_documents
    from docgen.main import load_group

    docs, _ = build_documents(load_group(DATA / "amursk-tvorcheskaya.xlsx"))
    return next(d for d in docs if d.doc_id == "protocol").context


def builtin_paragraph(doc: docx.document.Document, text: str) -> Paragraph:
    return next(Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))
                if text in Paragraph(p, doc).text.replace("\xa0", " "))


def set_text(paragraph: Paragraph, text: str) -> None:
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    paragraph.runs[0].text = text


def broken(tmp_path: Path, new: str, old: str = CHAIR, name: str = "protocol.docx") -> Path:
    """A copy of a built-in template with the paragraph holding ``old`` now reading ``new``."""
    doc = docx.Document(str(builtin_templates() / name))
    set_text(builtin_paragraph(doc, old), new)
    folder = tmp_path / "шаблоны"
    folder.mkdir(exist_ok=True)
    doc.save(str(folder / name))
    return folder / name


def mistake(path: Path, context: dict | None = None) -> str:
    with pytest.raises(TemplateError) as caught:
        render(path, protocol_context() if context is None else context)
    return str(caught.value)


def test_a_misspelt_variable_names_its_own_paragraph_of_a_long_template(tmp_path: Path) -> None:
    assert mistake(broken(tmp_path, "Председатель – {{ chiar.initials }}")) == (
        "шаблон «protocol.docx», абзац «Председатель – {{ chiar.initials }}»: неизвестная "
        "переменная «chiar»; возможно, имелось в виду «chair» (все переменные документа "
        "показывает команда docgen fields)")


def test_a_missing_field_names_the_path_and_suggests(tmp_path: Path) -> None:
    assert mistake(broken(tmp_path, "Председатель – {{ chair.initals }}")) == (
        "шаблон «protocol.docx», абзац «Председатель – {{ chair.initals }}»: нет поля "
        "«chair.initals»; возможно, имелось в виду «chair.initials»")
    in_a_loop = mistake(broken(tmp_path, "{{ q.numbr }}. СЛУШАЛИ:", "{{ q.number }}. СЛУШАЛИ:"))
    assert in_a_loop.endswith("абзац «{{ q.numbr }}. СЛУШАЛИ:»: нет поля «q.numbr»; "
                              "возможно, имелось в виду «q.number»")


def test_a_field_of_an_empty_value_says_to_check_it(tmp_path: Path) -> None:
    context = {**protocol_context(), "secretary": None}
    message = mistake(broken(tmp_path, "Секретарь: {{ secretary.initials }}"), context)
    assert "поле «secretary» пустое (в книге нет этих данных), и у него нет поля " \
           "«initials»; выводите его внутри {%p if secretary %} … {%p endif %}" in message


def test_a_field_of_a_text(tmp_path: Path) -> None:
    assert mistake(broken(tmp_path, "{{ group.theme.short }}")).endswith(
        "у «group.theme» (текст) нет поля «short»")


def test_an_unclosed_if_is_named_at_its_own_paragraph(tmp_path: Path) -> None:
    path = broken(tmp_path, "{{ secretary.initials }}", "{%p endif %}")
    assert mistake(path) == ("шаблон «protocol.docx», абзац «{% if secretary %}»: не закрыт "
                             "тег {% if %} — добавьте {% endif %}")


def test_a_misplaced_end_tag(tmp_path: Path) -> None:
    assert mistake(broken(tmp_path, CHAIR + "{% endif %}")).endswith(
        "лишний тег {% endif %}: нет открывающего его тега {% if %}")
    nested = mistake(broken(tmp_path, "{% for m in members %}{% if m.phone %}{% endfor %}"))
    assert nested.endswith("тег {% endfor %} стоит внутри незакрытого тега {% if %}: сначала "
                           "закройте его тегом {% endif %}")


def test_syntax_mistakes_in_russian(tmp_path: Path) -> None:
    assert mistake(broken(tmp_path, "{{ chair initials }}")).endswith(
        "ошибка в записи поля или тега: ожидалось «}}», а стоит «initials»")
    assert mistake(broken(tmp_path, "{% ifx secretary %}")).endswith(
        "неизвестный тег {% ifx %}")
    quotes = mistake(broken(tmp_path, "{{ members_count|count(«один», «два», «пять») }}"))
    assert "пишите прямые кавычки" in quotes


def test_an_unknown_filter_is_named_wherever_it_is(tmp_path: Path) -> None:
    expected = ("абзац «{{ chair.initials|dat }}»: неизвестный фильтр «dat»; возможно, имелось "
                "в виду «date»; фильтры docgen: agree, capfirst, cellname, date, date_text, "
                "inner_quotes, lcfirst, month, month_year, nolone, picture, plural, quantity, "
                "wholename")
    assert mistake(broken(tmp_path, "{{ chair.initials|dat }}")).endswith(expected)
    # Inside {% if %} Jinja finds it only while rendering: the paragraph is still named.
    inside = mistake(broken(tmp_path, "{% if chair %}{{ chair.initials|dat }}{% endif %}"))
    assert "абзац «{% if chair %}{{ chair.initials|dat }}{% endif %}»: неизвестный фильтр " \
           "«dat»" in inside


def test_a_python_error_in_an_expression_is_a_template_mistake(tmp_path: Path) -> None:
    message = mistake(broken(tmp_path, "{{ group.theme|date }}"))
    assert message.startswith("шаблон «protocol.docx», абзац «{{ group.theme|date }}»: не "
                              "удалось вычислить поле или тег")


def test_a_tag_word_split_across_paragraphs_is_named(tmp_path: Path) -> None:
    # «{{» here, and its «}}» lost with the paragraph break.
    path = template(tmp_path, "Группа {{ group.name", "работает над темой.", name="protocol.docx")
    assert mistake(path) == ("шаблон «protocol.docx», абзац «Группа {{ group.name»: тег "
                             "«{{ group.name» не закрыт: нет «}}» — допишите его в том же абзаце")


def test_a_tag_split_across_paragraphs_is_refused_not_glued(tmp_path: Path) -> None:
    # docxtpl would glue the two paragraphs into one silently; docgen refuses the template.
    path = template(tmp_path, "Группа {{ group.", "name }} работает над темой.",
                    name="protocol.docx")
    message = mistake(path)
    assert message.startswith("шаблон «protocol.docx», абзац «Группа {{ group.»: ")
    assert "начинается в этом абзаце, а заканчивается в другом" in message


@pytest.mark.parametrize(("tag", "refused"), [
    ("{{ ''.__class__.__mro__ }}", "недопустимое обращение к «__class__»"),
    ("{{ cycler.__init__.__globals__ }}", "недопустимое обращение к «__init__»"),
    ("{{ lipsum.__globals__['os'] }}", "недопустимое обращение к «__globals__»"),
    ("{{ group.__class__ }}", "недопустимое обращение к «__class__»"),
    ("{% include '/etc/passwd' %}", "недопустимое обращение к файлу «/etc/passwd»"),
    ("{% import 'os' as os %}", "недопустимое обращение к файлу «os»"),
    ("{% extends 'C:/Windows/win.ini' %}", "недопустимое обращение к файлу «C:/Windows/win.ini»"),
    ("{{ range(10**7)|length }}", "недопустимое обращение"),
    ("{{ 'а' * 100000000 }}", "недопустимое обращение: слишком длинное значение"),
])
def test_the_sandbox_refuses_in_russian(tmp_path: Path, tag: str, refused: str) -> None:
    message = mistake(broken(tmp_path, f"Председатель – {tag}"))
    assert message.startswith(f"шаблон «protocol.docx», абзац «Председатель – {tag}")
    assert refused in message


def test_a_folder_of_own_templates_overrides_by_name_only(tmp_path: Path) -> None:
    folder = broken(tmp_path, "Председатель собрания – {{ chair.initials }}").parent
    assert find_template("protocol", "gmo", [folder]) == folder / "protocol.docx"
    assert find_template("plan", "gmo", [folder]) == builtin_templates() / "plan.docx"
    (folder / "regulation.docx").write_bytes((builtin_templates() / "regulation.docx")
                                             .read_bytes())
    assert find_template("regulation", "gmo", [folder]) == \
        builtin_templates() / "regulation_gmo.docx"
    (folder / "plan_gmo.docx").write_bytes((builtin_templates() / "plan.docx").read_bytes())
    assert find_template("plan", "gmo", [folder]) == folder / "plan_gmo.docx"
    assert find_template("plan", "tvorcheskaya", [folder]) == builtin_templates() / "plan.docx"


def test_a_workbook_built_with_own_templates(tmp_path: Path) -> None:
    from docgen.main import build_workbook

    folder = broken(tmp_path, "Председатель собрания – {{ chair.initials }}").parent
    result = build_workbook(DATA / "amursk-tvorcheskaya.xlsx", tmp_path / "out",
                            templates=[folder])
    assert result.ok, result.failed
    protocol = next(w.path for w in result.written if w.document.doc_id == "protocol")
    text = [p.text for p in docx.Document(str(protocol)).paragraphs]
    chair = protocol_context()["chair"]["initials"]
    assert f"Председатель собрания – {chair}" in text


def test_a_mistake_in_own_template_costs_only_that_document(tmp_path: Path) -> None:
    from docgen.main import build_workbook

    folder = broken(tmp_path, "{{ chair.initals }}").parent
    result = build_workbook(DATA / "amursk-tvorcheskaya.xlsx", tmp_path / "out",
                            templates=[folder])
    assert result.written and result.failed
    name, error = result.failed[0]
    assert name.startswith("Протокол")
    assert "шаблон «protocol.docx», абзац «{{ chair.initals }}»: нет поля «chair.initals»" \
        in str(error)


def test_a_richtext_hyperlink_or_a_subdoc_picture_of_another_package_is_refused(
        tmp_path: Path) -> None:
    """docxtpl's RichText(url_id=…) and Subdoc pictures carry relationship ids of the
    DocxTemplate that made them: in docgen's render they pointed at nothing and Word called
    the file damaged (issue 29). Such a value is refused by name; plain RichText prints."""
    from docxtpl import DocxTemplate, RichText

    other = DocxTemplate(str(template(tmp_path, "{{ x }}", name="другой.docx")))
    link = RichText("сайт", url_id=other.build_url_id("https://example.org"))
    with pytest.raises(TemplateError, match="гиперссылку или рисунок со ссылкой «rId"):
        rendered_text(tmp_path, {"x": link}, "См. {{ x }}")
    subdoc = other.new_subdoc()
    picture = tmp_path / "p.png"
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(picture)
    subdoc.add_picture(str(picture))
    with pytest.raises(TemplateError, match="Subdoc с рисунками"):
        rendered_text(tmp_path, {"x": subdoc}, "{{p x }}")
    bold = RichText("важно", bold=True)
    assert rendered_text(tmp_path, {"x": bold}, "Это {{r x }}.") == ["Это важно."]
