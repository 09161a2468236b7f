"""`templates check` flags filters it can prove misapplied: |date or |date_text on a text or
a number, |quantity on a text or a date."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import paragraphs_template

from docgen.api.templates import check_templates, example_kinds
from docgen.cli import cli
from docgen.templating import builtin_templates, fields


def misapplied(path: Path) -> list[str]:
    [found] = check_templates([path])
    return [p.message for p in found.problems if p.code == "misapplied-filter"]


def test_a_date_filter_on_a_text_or_a_number_and_quantity_on_a_text_are_errors(
        tmp_path: Path) -> None:
    path = paragraphs_template(
        tmp_path, "{{ group.theme|date }}", "{{ head.full|quantity('раз', 'раза', 'раз') }}",
        "{% for m in members %}{{ m.full|date_text }}{% endfor %}",
        "{{ meeting.attended|date }}", "{{ meeting.date|quantity('раз', 'раза', 'раз') }}",
        name="protocol.docx")
    said = misapplied(path)
    assert len(said) == 5, said
    assert "фильтр |date — для даты, а «group.theme» — текст" in said[0]
    assert "фильтр |quantity — для числа, а «head.full» — текст" in said[1]
    assert "«m.full» — текст" in said[2]
    assert "«meeting.attended» — число" in said[3]
    assert "«meeting.date» — дата" in said[4]
    result = CliRunner().invoke(cli, ["templates", "check", str(path)])
    assert result.exit_code == 1 and "фильтр |date — для даты" in result.output


def test_filters_where_they_belong_are_not_flagged(tmp_path: Path) -> None:
    path = paragraphs_template(
        tmp_path, "{{ meeting.date|date }} {{ meeting.date|date_text }}",
        "{{ meeting.attended|quantity('человек', 'человека', 'человек') }}",
        "{{ members|count }} {{ group.theme|upper }}", name="protocol.docx")
    assert misapplied(path) == []


def test_the_built_in_templates_have_no_misapplied_filter() -> None:
    for check in check_templates([builtin_templates()]):
        assert not [p for p in check.problems if p.code == "misapplied-filter"], check.path


def test_every_date_of_the_examples_is_marked_a_date_in_the_catalogue() -> None:
    """The static half of the rule: a field without the mark is never a date."""
    kinds = example_kinds()
    assert kinds, "no example contexts"
    for doc_id, found in kinds.items():
        described = fields.paths(doc_id)
        for path, kind in found.items():
            if path in described:
                assert (kind == "date") == fields.is_date_field(described[path]), \
                    (doc_id, path, kind)
