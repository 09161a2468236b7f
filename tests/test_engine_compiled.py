"""The compiled engine gives what plain docxtpl gives, for every built-in template.

``render`` compiles a template once per process and reuses it; ``render_plain``
is ``DocxTemplate(...).render(ctx, autoescape=True)`` with the same Jinja
environment. Both are run on every document of every example workbook, and every
part of the package must match: document.xml byte for byte, headers, footers,
styles, relationships and properties.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import made

from docgen.content.documents import build_documents, form_context
from docgen.errors import TemplateError
from docgen.forms import FORMS
from docgen.main import load_group
from docgen.templating import (
    builtin_templates,
    compiled,
    compiler,
    find_template,
    render,
    render_plain,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def _cases() -> list[tuple[str, Path, dict[str, Any]]]:
    """(id, template, context) of every example document and every blank form."""
    found = []
    groups = [load_group(path) for path in sorted(DATA.glob("*.xlsx"))]
    for group in groups:
        for d in build_documents(group)[0]:
            found.append((f"{d.kind_id}-{d.file_stem}", find_template(d.doc_id, d.kind_id),
                          d.context))
    for form in FORMS:
        for group in (None, groups[0]):
            kind = group.kind.id if group else ""
            found.append((f"blank-{form.id}-{kind or 'bare'}", find_template(form.doc_id, kind),
                          form_context(form, group)))
    return found


CASES = _cases()


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        assert zf.testzip() is None  # every CRC is right
        return {name: zf.read(name) for name in zf.namelist()}


def paragraphs(package: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(package)).paragraphs]


def test_every_builtin_template_is_exercised() -> None:
    used = {template.name for _, template, _ in CASES}
    builtin = {p.name for p in builtin_templates().glob("*.docx")}
    assert builtin - used <= {"regulation.docx"}  # the generic one, for a future kind


@pytest.mark.slow  # every template four times, twice by plain docxtpl: ten seconds and more
@pytest.mark.parametrize(("template", "context"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_compiled_render_equals_plain_docxtpl(template: Path, context: dict[str, Any]) -> None:
    ours = members(render(template, context))
    plain = members(render_plain(template, context))
    assert list(ours) == list(plain)  # the same parts in the same order
    assert ours["word/document.xml"] == plain["word/document.xml"]
    for name in plain:
        assert ours[name] == plain[name], name
    assert paragraphs(render(template, context)) == paragraphs(render_plain(template, context))


def test_a_template_is_compiled_once_and_recompiled_when_edited(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("Тема: {{ theme }}")
    doc.save(str(path))
    first = compiled(path)
    assert compiled(path) is first
    doc.add_paragraph("Ещё абзац, {{ theme|upper }}")
    doc.save(str(path))
    second = compiled(path)
    assert second is not first
    assert paragraphs(render(path, {"theme": "чтение"})) == ["Тема: чтение", "Ещё абзац, ЧТЕНИЕ"]


def test_the_same_context_gives_the_same_bytes() -> None:
    _, template, context = CASES[0]
    assert render(template, context) == render(template, context)


def test_tags_in_headers_footers_and_properties_are_rendered(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("{% for x in items %}{{ x }};{% endfor %}")
    doc.sections[0].header.paragraphs[0].text = "Верхний: {{ group }}"
    doc.sections[0].footer.paragraphs[0].text = "Нижний: {{ group|upper }}"
    doc.core_properties.title = "Протокол {{ group }}"
    doc.save(str(path))
    context = {"group": "Ромашка & Co", "items": ["а", "б"]}
    ours = render(path, context)
    assert members(ours) == members(render_plain(path, context))
    out = docx.Document(io.BytesIO(ours))
    assert out.paragraphs[0].text == "а;б;"
    assert out.sections[0].header.paragraphs[0].text == "Верхний: Ромашка & Co"
    assert out.sections[0].footer.paragraphs[0].text == "Нижний: РОМАШКА & CO"


def test_table_row_loops_and_listing_match_plain_docxtpl(tmp_path: Path) -> None:
    path = made(tmp_path, ["{{ note }}"], table=[["{%tr for row in rows %}", ""],
                                                  ["{{ row.a }}", "{{ row.b }}"],
                                                  ["{%tr endfor %}", ""]])
    context = {"rows": [{"a": i, "b": f"строка\tс табуляцией {i}"} for i in range(5)],
               "note": "первая строка\nвторая строка"}
    ours = render(path, context)
    assert members(ours) == members(render_plain(path, context))
    out = docx.Document(io.BytesIO(ours))
    assert len(out.tables[0].rows) == 5
    assert out.tables[0].cell(4, 0).text == "4"


def test_a_damaged_template_is_a_russian_error(tmp_path: Path) -> None:
    path = tmp_path / "битый.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TemplateError, match=r"«битый\.docx» не открывается"):
        render(path, {})


def test_a_syntax_error_names_the_paragraph_at_compile_time(tmp_path: Path) -> None:
    path = made(tmp_path, ["Первый абзац", "Группа {% if x %} без конца"])
    with pytest.raises(TemplateError, match=r"шаблон «t.docx», абзац «.*Группа"):
        render(path, {"x": 1})


def test_column_loops_take_docxtpls_table_fix(tmp_path: Path) -> None:
    path = made(tmp_path, [], table=[["Имя", "{%tc for c in columns %}", "{{ c }}",
                                      "{%tc endfor %}"]])
    for columns in (["а", "б", "в", "г"], ["а"], []):
        context = {"columns": columns}
        ours = render(path, context)
        assert members(ours) == members(render_plain(path, context)), columns
    grid = docx.Document(io.BytesIO(render(path, {"columns": ["а", "б", "в", "г"]}))).tables[0]
    assert [c.text for c in grid.rows[0].cells] == ["Имя", "а", "б", "в", "г"]


def test_properties_without_tags_are_written_back_as_docxtpl_does(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ x }}")
    doc.core_properties.title = "Протокол\n"
    doc.core_properties.subject = "Тема & «кавычки»"
    doc.save(str(path))
    assert members(render(path, {"x": 1})) == members(render_plain(path, {"x": 1}))


# --- the on-disk cache of compiled templates ------------------------------------------


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "кэш"
    monkeypatch.setenv("DOCGEN_CACHE", str(folder))
    monkeypatch.setattr(compiler, "_compiled", {})  # as a new process: nothing in memory
    return folder


def _example(doc_id: str = "protocol") -> tuple[Path, dict[str, Any]]:
    return next((t, c) for _, t, c in CASES if t.name == f"{doc_id}.docx")


def test_a_cached_template_renders_the_same_bytes(cache_dir: Path) -> None:
    template, context = _example()
    first = render(template, context)
    assert len(list(cache_dir.glob("*.bin"))) == 1
    compiler._compiled.clear()  # the next process finds it on disk
    assert render(template, context) == first == render(template, context)
    assert members(first) == members(render_plain(template, context))


def test_a_damaged_cache_entry_is_compiled_again(cache_dir: Path) -> None:
    template, context = _example("annual_report")
    first = render(template, context)
    (entry,) = cache_dir.glob("*.bin")
    entry.write_bytes(b"\x00not marshal data")
    compiler._compiled.clear()
    assert render(template, context) == first
    assert entry.read_bytes() != b"\x00not marshal data"  # replaced by a good one


def test_an_edited_template_gets_its_own_entry(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    for n, text in enumerate(["Тема: {{ theme }}", "Тема группы: {{ theme }}"]):
        doc = docx.Document()
        doc.add_paragraph(text)
        doc.save(str(path))
        compiler._compiled.clear()
        assert paragraphs(render(path, {"theme": "чтение"})) == [text.replace("{{ theme }}",
                                                                             "чтение")]
        assert len(list(cache_dir.glob("*.bin"))) == n + 1


def test_the_cache_can_be_off_or_unwritable(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    template, context = _example("order_open")
    expected = render_plain(template, context)
    monkeypatch.setattr(compiler, "_compiled", {})
    monkeypatch.setenv("DOCGEN_CACHE", "off")
    assert members(render(template, context)) == members(expected)
    blocker = tmp_path / "файл"
    blocker.write_text("не папка")
    monkeypatch.setenv("DOCGEN_CACHE", str(blocker / "кэш"))  # cannot be made
    compiler._compiled.clear()
    assert members(render(template, context)) == members(expected)


def test_a_template_error_is_the_same_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    path = made(tmp_path, ["Первый абзац", "Руководитель: {{ head.initals }}"])
    messages = []
    for _ in range(2):
        compiler._compiled.clear()
        with pytest.raises(TemplateError) as caught:
            render(path, {"head": {"initials": "Е.Н. Кутейкина"}})
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "абзац «Руководитель: {{ head.initals }}»" in messages[0]


def test_the_cache_keeps_a_bounded_number_of_entries(cache_dir: Path) -> None:
    from docgen.templating import cache

    cache_dir.mkdir()
    for n in range(cache.KEEP + cache.KEEP // 2 + 1):
        entry = cache_dir / f"{n:064x}.bin"
        entry.write_bytes(b"old")
        os.utime(entry, (n, n))
    cache.put("f" * 64, b"new")
    left = sorted(p.name for p in cache_dir.glob("*.bin"))
    assert len(left) == cache.KEEP
    assert f"{'f' * 64}.bin" in left and f"{0:064x}.bin" not in left


def test_a_template_without_any_tag_equals_plain_docxtpl(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("Просто текст, без полей.")
    doc.sections[0].header.paragraphs[0].text = "Бланк ИМЦ"
    doc.save(str(path))
    assert members(render(path, {})) == members(render_plain(path, {}))
