"""The catalogue of template fields: complete both ways, and what `docgen fields` is made of."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pytest

from docgen.content.documents import Document, build_documents
from docgen.kinds import DOCUMENTS
from docgen.main import load_group
from docgen.templating import environment, fields

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def example_documents() -> tuple[Document, ...]:
    """Every document of every example workbook (one per kind)."""
    docs: list[Document] = []
    for path in sorted(DATA.glob("*.xlsx")):
        docs += build_documents(load_group(path))[0]
    return tuple(docs)


def undocumented(documents: list[Document] | tuple[Document, ...]) -> dict[str, set[str]]:
    """Context paths that the catalogue does not describe, by document."""
    missing: dict[str, set[str]] = {}
    for doc in documents:
        extra = set(fields.context_paths(doc.context)) - set(fields.paths(doc.doc_id))
        if extra:
            missing.setdefault(doc.doc_id, set()).update(extra)
    return missing


def described_but_absent(documents: list[Document] | tuple[Document, ...],
                         ) -> dict[str, set[str]]:
    """Catalogue paths that no context of the document has, by document."""
    seen: dict[str, set[str]] = {}
    for doc in documents:
        seen.setdefault(doc.doc_id, set()).update(fields.context_paths(doc.context))
    return {d: set(fields.paths(d)) - paths for d, paths in seen.items()
            if set(fields.paths(d)) - paths}


def test_the_examples_make_every_document() -> None:
    assert {d.doc_id for d in example_documents()} == set(DOCUMENTS)


def test_every_context_key_is_described() -> None:
    assert undocumented(example_documents()) == {}


@cache
def variant_documents() -> tuple[Document, ...]:
    """Every document of two copies of the examples that show what the showcase no longer
    does: a protocol whose absent are not named (with its registration sheet) and a plan
    item without a mark. The bundled examples name every absentee and mark every item."""
    import copy
    import runpy
    import tempfile

    from conftest import write_workbook

    examples = runpy.run_path(str(DATA / "examples.py"))["EXAMPLES"]
    professional = copy.deepcopy(examples["noyabrsk-professionalnaya.xlsx"])
    meeting = next(m for m in professional["Заседания"] if m["№"] == 4)
    meeting["Присутствовало"], meeting["Отсутствовали"] = 7, None  # the seven who act
    workshop = copy.deepcopy(examples["klin-masterskaya.xlsx"])
    next(p for p in workshop["План"] if p["№"] == 9)["Отметка о выполнении"] = None
    docs: list[Document] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, content in (("professional.xlsx", professional),
                              ("workshop.xlsx", workshop)):
            docs += build_documents(load_group(write_workbook(Path(folder) / name,
                                                              content)))[0]
    return tuple(docs)


def test_every_described_key_is_in_some_context() -> None:
    assert described_but_absent(example_documents() + variant_documents()) == {}


def test_the_completeness_checks_notice_a_change() -> None:
    doc = next(d for d in example_documents() if d.doc_id == "protocol")
    added = Document(doc.doc_id, doc.kind_id, doc.name,
                     {**doc.context, "meeting": {**doc.context["meeting"], "chairman": "x"}})
    assert undocumented([added]) == {"protocol": {"meeting.chairman"}}
    removed = {k: v for k, v in doc.context.items() if k != "plan_submit_to"}
    gone = Document(doc.doc_id, doc.kind_id, doc.name, removed)
    assert "plan_submit_to" in described_but_absent([gone])["protocol"]


def test_paths_use_the_list_notation() -> None:
    protocol = fields.paths("protocol")
    assert "meeting.agenda[].question" in protocol
    assert "members[].dat.full" in protocol
    assert "head.dat.full" in protocol
    assert "report" not in protocol and "report.meetings[].date" in fields.paths("annual_report")
    assert fields.roots(None) < fields.roots("protocol") < fields.all_roots()
    assert {"meeting", "member", "org", "event", "report"} <= fields.all_roots()


def test_every_filter_is_described_and_exists() -> None:
    env = environment()
    own = {n for n in set(env.filters) - set(jinja2.filters.FILTERS) if not n.startswith("_")}
    assert own <= set(fields.FILTERS)  # «_docgen_loop» and the like: the engine's own bounds
    assert set(fields.FILTERS) <= set(env.filters)


def test_filter_examples_work_on_a_real_context() -> None:
    doc = example_documents()[0]
    results = {name: result for name, _d, _e, result in fields.filter_examples(doc.context)}
    # «picture» reads a file from a workbook's folder: there is none outside a build
    assert None not in [r for name, r in results.items() if name != "picture"]
    assert results["date"] == doc.context["order"]["date"].strftime("%d.%m.%Y")
    assert results["quantity"].endswith("участников") or results["quantity"].endswith("участника")


def test_context_json_is_readable_and_keeps_every_value() -> None:
    context: dict[str, Any] = {
        "order": {"date": dt.date(2025, 8, 29), "number": "24-3"},
        "tags": ("а", "б"),
        "set": {"в"},
        "none": None,
    }
    text = fields.context_json(context)
    assert '"date": "2025-08-29"' in text
    assert '"number": "24-3"' in text and "\\u" not in text
    assert "\n  " in text  # indented
    assert json.loads(text) == {"order": {"date": "2025-08-29", "number": "24-3"},
                                "tags": ["а", "б"], "set": ["в"], "none": None}


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_context_json_of_every_document(doc_id: str) -> None:
    doc = next(d for d in example_documents() if d.doc_id == doc_id)
    loaded = json.loads(fields.context_json(doc.context))
    assert set(loaded) == set(doc.context)
    assert loaded["group"]["theme"] == doc.context["group"]["theme"]


def test_field_rows_show_a_repeated_part_once() -> None:
    doc = next(d for d in example_documents() if d.doc_id == "protocol")
    rows = {r.path: r for r in fields.field_rows("protocol",
                                                 fields.context_paths(doc.context))}
    date = rows["meeting.date"]
    assert date.example == f"дата {doc.name[-10:]}"
    assert "|date" in date.description
    assert rows["chair"].same_as == "head" and "chair.full" not in rows
    assert "chair.full" in rows["chair"].fields
    assert rows["head.full"].example == f"«{doc.context['head']['full']}»"
    assert rows["members"].same_as == "head" and rows["members"].is_list
    assert rows["meeting.present"].example is not None
    full = {r.path for r in fields.field_rows("protocol", None, full=True)}
    assert {"chair.full", "members[].dat.full", "secretary.position_cases.dat"} <= full


def test_example_text() -> None:
    assert fields.example_text(dt.date(2026, 6, 5)) == "дата 05.06.2026"
    assert fields.example_text(True) == "да"
    assert fields.example_text("") == "(пусто)"
    assert fields.example_text(None) == "(пусто)"
    assert fields.example_text(12) == "12"
    assert fields.example_text("а" * 100).endswith("…»")
    assert fields.example_text(["а", "б", "в"]) == "«а»; «б»; … (всего 3)"


@pytest.mark.parametrize(("text", "expected"), [
    ("protocol", ["protocol"]),
    ("Протокол", ["protocol"]),
    ("протокол заседания", ["protocol"]),
    ("протоколы заседаний", ["protocol"]),
    ("приказ о создании", ["order_open"]),
    ("приказ о назначении куратора", ["order_head"]),
    ("дорожная карта", ["plan"]),
    ("положение", ["regulation"]),
    ("отчет за год", ["annual_report"]),
    ("заявка педагога", ["application_member"]),
    ("приказ", ["order_open", "order_head", "order_members"]),
    ("отчёт", ["event_report", "annual_report"]),
    ("устав", []),
])
def test_find_documents(text: str, expected: list[str]) -> None:
    assert fields.find_documents(text) == expected


def test_blank_forms_contexts_are_described_both_ways() -> None:
    """The blank forms' templates (docgen blank), where this docgen has them."""
    if not fields.forms():
        pytest.skip("no blank forms (docgen/forms.py) in this docgen")
    from docgen.content.documents import form_context

    groups = [load_group(path) for path in sorted(DATA.glob("*.xlsx"))]
    for form in fields.forms():
        seen: set[str] = set()
        for context in (form_context(form), *(form_context(form, g) for g in groups)):
            found = set(fields.context_paths(context))
            assert found <= set(fields.paths(form.doc_id)), (form.doc_id, found)
            seen |= found
        assert seen == set(fields.paths(form.doc_id)), form.doc_id
