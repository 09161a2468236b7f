"""A rendered body skips lxml's round trip only where lxml would give it back unchanged.

``canonical.body_shape`` accepts a template once, from its shape; the compiler
then checks each render's bytes (``_spliced``) and sends anything lxml would
write differently through lxml, as docxtpl does. Every test here compares the
two ways, or the fast way with plain docxtpl, byte for byte.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import made
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.templating import builtin_templates, compiled, compiler, render_plain
from docgen.templating.canonical import body_shape

BODY = "<w:body>{}</w:body>"
PARA = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"


def document_xml(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read("word/document.xml")


def both_ways(template: Path, context: dict[str, Any]) -> tuple[bytes, bytes]:
    """document.xml rendered with the splice (when the template has one) and through lxml."""
    fast = compiled(template)
    slow = dataclasses.replace(fast, splice=None)
    return document_xml(fast.render(context)), document_xml(slow.render(context))


@pytest.fixture
def spliced_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any render that falls back to lxml fails the test: the splice must be taken."""
    def refused(xml: str) -> None:
        raise AssertionError("fell back to lxml")

    monkeypatch.setattr(compiler, "_body_tree", refused)


# --------------------------------------------------------------------------- the shape


def test_every_builtin_template_takes_the_fast_path() -> None:
    """A change to a template that loses it is seen here, not as a slower batch."""
    refused = {p.name: body_shape(compiled(p).body.source)
               for p in sorted(builtin_templates().glob("*.docx"))
               if compiled(p).splice is None}
    assert refused == {}


def test_every_example_document_is_spliced(spliced_only: None) -> None:
    """…and every document of the examples (photos, charts, tables) takes it."""
    from docgen.content.documents import build_documents
    from docgen.main import load_group
    from docgen.templating import find_template, pictures_from

    data = Path(__file__).resolve().parent.parent / "data"
    rendered = 0
    for workbook in sorted(data.glob("*.xlsx")):
        group = load_group(workbook)
        with pictures_from(workbook.parent):
            for d in build_documents(group)[0]:
                compiled(find_template(d.doc_id, d.kind_id)).render(d.context)
                rendered += 1
    assert rendered > 70


def test_the_check_can_fail(spliced_only: None, tmp_path: Path) -> None:
    path = made(tmp_path, ["{{ v }}"])
    compiled(path).render({"v": "обычный текст"})
    with pytest.raises(AssertionError, match="fell back"):
        compiled(path).render({"v": "{_{ x }_}"})  # written «{&#95;{»: lxml's to write


@pytest.mark.parametrize("body", [
    PARA.format("{{ a }}"),
    PARA.format("{% if a %}да{% else %}нет{% endif %}"),
    "{% for x in xs %}" + PARA.format("{{ x }}") + "{% endfor %}",
    "{% if a %}" + PARA.format("1") + "{% elif b %}" + PARA.format("2") + "{% endif %}",
    "{% set n = 3 %}{% with m = n %}" + PARA.format("{{ m }}") + "{% endwith %}",
    '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
    '<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
    '{% for r in rows %}<w:tr><w:tc>' + PARA.format("{{ r }}") + '</w:tc><w:tc><w:p/></w:tc>'
    '</w:tr>{% endfor %}</w:tbl>',
    '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'  # a merged row spans both
    '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
])
def test_shapes_that_keep_the_xml(body: str) -> None:
    assert body_shape(BODY.format(body)) is None


GRID2 = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{}</w:tbl>"
ROW2 = "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"


@pytest.mark.parametrize(("body", "why"), [
    ("<w:p>{% if a %}<w:r>{% endif %}<w:t>x</w:t></w:r></w:p>", "not closed"),  # left open
    ("<w:p><w:r><w:t>{% if a %}</w:t></w:r>{% endif %}</w:p>", "not closed"),
    ('<w:p><w:r><w:rPr><w:color w:val="{{ c }}"/></w:rPr></w:r></w:p>', "inside an XML tag"),
    (PARA.format("{% filter upper %}x{% endfilter %}"), "filter"),
    (PARA.format("{% set x %}x{% endset %}{{ x }}"), "block set"),
    ("{% macro m() %}" + PARA.format("x") + "{% endmacro %}{{ m() }}", "macro"),
    (PARA.format("{% raw %}{{ x }}{% endraw %}"), "raw"),
    (PARA.format("x") + "<!-- a comment -->", "comment"),
    ("<w:p><w:r><w:t xml:space='preserve'>x</w:t></w:r></w:p>", "single-quoted"),
    ('<w:p xmlns:x="urn:x"><w:r><w:t>x</w:t></w:r></w:p>', "namespace"),
    (GRID2.format("<w:tr><w:tc><w:p/></w:tc>{% if a %}<w:tc><w:p/></w:tc>{% endif %}</w:tr>"),
     "cells"),  # a column loop: {%tc %}
    (GRID2.format("{% if a %}" + ROW2 + "{% endif %}"), "table"),  # the only full row may go
    (GRID2.format("<w:tr><w:tc><w:p/></w:tc></w:tr>"), "table"),  # no row spans the grid
    (GRID2.format(ROW2 + "<w:tr>" + "<w:tc><w:p/></w:tc>" * 3 + "</w:tr>"), "table"),  # wider
    (GRID2.format('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{{ n }}"/></w:tcPr><w:p/></w:tc>'
                  "</w:tr>"), "tag"),
])
def test_shapes_left_to_lxml(body: str, why: str) -> None:
    reason = body_shape(BODY.format(body))
    assert reason is not None and why in reason


def test_a_refused_shape_is_one_the_splice_would_get_wrong(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why a table whose only full row can disappear must go through lxml.

    With the check switched off the template would be spliced, and the render
    without the row would differ from docxtpl, which fixes the table's grid.
    """
    path = made(tmp_path, ["Таблица:"], table=[["{%tr if show %}", ""], ["а", "б"],
                                                ["{%tr endif %}", ""]])
    assert compiled(path).splice is None  # refused: docxtpl's way, always
    for show in (True, False):
        assert document_xml(compiled(path).render({"show": show})) == \
            document_xml(render_plain(path, {"show": show}))
    monkeypatch.setattr(compiler, "body_shape", lambda source: None)
    forced = made(tmp_path, ["Таблица (та же, не из кэша):"], name="forced.docx",
                  table=[["{%tr if show %}", ""], ["а", "б"], ["{%tr endif %}", ""]])
    assert compiled(forced).splice is not None
    assert document_xml(compiled(forced).render({"show": False})) != \
        document_xml(render_plain(forced, {"show": False}))


# --------------------------------------------------------------------------- the values

TRICKY = [
    "", " ", "  два пробела  ", 'кавычки "двойные" и \'одинарные\'', "a & b < c > d",
    "строка\r\nвторая", "таб\tи\nперевод\fстраницы", "\x01управляющий\x1f", "\ufffe\uffff",
    "{_{ x }_} и {_% y %_}", "😀 эмодзи", 'xmlns:r="urn:x"', "docPr", '"></', "<w:t></w:t>",
    "&#1043;", "нераз\u00a0рывный", "МАОУ «Лицей № 1»", "]]>", "a\u2028b",
]


@pytest.fixture(scope="module")
def tricky_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tricky")
    return made(folder, ["Перед: {{ v }}", "{{ v }}", "После {{ w }}."],
                table=[["Номер", "Значение"], ["{%tr for x in xs %}", ""],
                       ["{{ loop.index }}", "{{ x }}"], ["{%tr endfor %}", ""]])


@pytest.mark.parametrize("value", TRICKY, ids=[repr(v)[:30] for v in TRICKY])
def test_any_value_gives_what_lxml_gives(tricky_template: Path, value: str) -> None:
    assert compiled(tricky_template).splice is not None
    context = {"v": value, "w": value[::-1], "xs": [value, "", value * 2]}
    fast, slow = both_ways(tricky_template, context)
    assert fast == slow
    assert document_xml(render_plain(tricky_template, context)) == fast


PIECES = [*"aя \t\n\r\f\x00\x0b&<>\"'{}_%#;:=/\\«»—", "\ufffe", "😀", "\u00a0", "docPr",
          "<w:t>", "></", "xmlns:w", "&#", "{_{", "}_}"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
                min_size=1, max_size=4))
def test_random_values_give_what_lxml_gives(tricky_template: Path, values: list[str]) -> None:
    context = {"v": values[0], "w": values[-1], "xs": values}
    fast, slow = both_ways(tricky_template, context)
    assert fast == slow


def test_a_lone_surrogate_comes_out_the_same(tricky_template: Path) -> None:
    fast, slow = both_ways(tricky_template, {"v": "\ud800", "w": "x\udfffy", "xs": ["\ud800"]})
    assert fast == slow


def test_a_value_printed_as_markup_goes_through_lxml(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``|safe`` prints whatever XML it is given: only lxml knows how it comes out."""
    path = made(tmp_path, ["{{ v|safe }}"])
    context = {"v": "</w:t></w:r><w:r><w:t  xml:space='preserve'>сырой текст</w:t></w:r>"
                    "<w:r><w:t>"}
    fast, slow = both_ways(path, context)
    assert fast == slow == document_xml(render_plain(path, context))
    from docgen.templating import sandbox

    monkeypatch.setattr(compiler, "printed_markup", lambda: False)  # as if not noticed
    assert sandbox.printed_markup() is False
    wrong, _ = both_ways(path, context)
    assert wrong != slow


def test_pictures_are_numbered_and_declared_as_lxml_does(tmp_path: Path) -> None:
    """Two pictures: their ids from 1001, their namespaces as in document.xml."""
    from PIL import Image

    from docgen.templating import Picture

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    png = buffer.getvalue()
    path = made(tmp_path, ["{{ a }}", "текст", "{{ b }}"])
    context = {"a": Picture(png, 20, 20, "a.png", (1, 1)),
               "b": Picture(png, 30, 30, "b.png", (1, 1))}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiler, "_body_tree", None)  # the splice or nothing
        fast = document_xml(compiled(path).render(context))
    assert fast == document_xml(dataclasses.replace(compiled(path), splice=None).render(context))
    assert fast.count(b'<wp:docPr id="100') == 2
    assert b"xmlns:wp=" not in fast.split(b"<w:body>", 1)[1]


def test_a_recurring_picture_is_deflated_once_to_the_same_bytes(tmp_path: Path) -> None:
    """The media cache: the second document's picture member is the first one's."""
    from PIL import Image

    from docgen.templating import Picture

    buffer = io.BytesIO()
    Image.effect_noise((64, 48), 40).convert("RGB").save(buffer, "JPEG")
    photo = Picture(buffer.getvalue(), 40, 30, "фото.jpg", (64, 48))
    path = made(tmp_path, ["{{ p }}", "{{ n }}"])
    compiler._MEDIA.clear()
    first = compiled(path).render({"p": photo, "n": 1})
    assert len(compiler._MEDIA) == 1
    second = compiled(path).render({"p": photo, "n": 2})
    compiler._MEDIA.clear()
    again = compiled(path).render({"p": photo, "n": 2})  # deflated afresh
    assert second == again
    with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
        media = [n for n in a.namelist() if n.startswith("word/media/")]
        assert media and a.read(media[0]) == b.read(media[0]) == buffer.getvalue()
