"""Pictures in templates: docxtpl's InlineImage and docgen's Picture, in both engines.

The two templates under tests/data/docxtpl are upstream docxtpl's own
(tests/templates/inline_image_tpl.docx and header_footer_inline_image_tpl.docx of
github.com/elapouya/python-docx-template, LGPL-2.1), rendered with the contexts of
its scripts tests/inline_image.py and tests/header_footer_inline_image.py. The PNG
logos are upstream's; python_jpeg.jpg and python_logo.png are small stand-ins.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from docgen.templating import Picture, render, render_plain

DATA = Path(__file__).parent / "data" / "docxtpl"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def inline_image_context(tpl: DocxTemplate) -> dict:
    """tests/inline_image.py's context, with paths into tests/data/docxtpl."""
    def image(name: str, **size) -> InlineImage:
        return InlineImage(tpl, str(DATA / name), **size)

    return {
        "myimage": image("python_logo.png", width=Mm(20)),
        "myimageratio": image("python_jpeg.jpg", width=Mm(30), height=Mm(60)),
        "frameworks": [
            {"image": image("django.png", height=Mm(10)),
             "desc": "The web framework for perfectionists with deadlines"},
            {"image": image("zope.png", height=Mm(10)),
             "desc": "Zope is a leading Open Source Application Server "
                     "and Content Management Framework"},
            {"image": image("pyramid.png", height=Mm(10)),
             "desc": "Pyramid is a lightweight Python web framework aimed at taking "
                     "small web apps into big web apps."},
            {"image": image("bottle.png", height=Mm(10)),
             "desc": "Bottle is a fast, simple and lightweight WSGI micro web-framework "
                     "for Python"},
            {"image": image("tornado.png", height=Mm(10)),
             "desc": "Tornado is a Python web framework and asynchronous networking "
                     "library."},
        ],
    }


def header_footer_context(tpl: DocxTemplate) -> dict:
    """tests/header_footer_inline_image.py's context."""
    return {
        "inline_image": InlineImage(tpl, str(DATA / "django.png"), height=Mm(10)),
        "images": [InlineImage(tpl, str(DATA / "python.png"), height=Mm(10))
                   for _ in range(3)],
    }


def upstream(name: str, make_context, env: jinja2.Environment | None = None) -> bytes:
    """The template rendered by plain docxtpl exactly as upstream's script does."""
    tpl = DocxTemplate(str(DATA / name))
    tpl.render(make_context(tpl), env)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


CASES = [
    ("inline_image_tpl.docx", inline_image_context, jinja2.Environment(autoescape=True)),
    ("header_footer_inline_image_tpl.docx", header_footer_context, None),
]


@pytest.mark.parametrize(("name", "make_context", "env"), CASES, ids=["inline", "header_footer"])
def test_upstream_image_templates_render_as_docxtpl_does(name, make_context, env):
    """The same context (its InlineImages made for upstream's own DocxTemplate) through
    docgen's compiled engine gives the document and header parts docxtpl gives."""
    template = DATA / name
    context = make_context(DocxTemplate(str(template)))
    ours = members(render(template, context))
    plain = members(render_plain(template, context))
    theirs = members(upstream(name, make_context, env))
    xml_parts = [n for n in theirs if n == "word/document.xml"
                 or n.startswith(("word/header", "word/footer"))]
    assert "word/document.xml" in xml_parts
    for part in xml_parts:
        assert ours[part] == plain[part] == theirs[part], part
    media = sorted(n for n in theirs if n.startswith("word/media/"))
    assert media and sorted(n for n in ours if n.startswith("word/media/")) == media
    for part in media:
        assert ours[part] == theirs[part]
    for rels in (n for n in theirs if n.endswith(".rels") and n.startswith("word/")):
        assert _relationships(ours[rels]) == _relationships(theirs[rels]), rels
    # and it opens as a Word document, with its pictures where docxtpl put them
    doc = Document(io.BytesIO(render(template, context)))
    assert doc.inline_shapes


def _relationships(xml: bytes) -> set[tuple[str, str, str]]:
    from lxml import etree

    return {(r.get("Id"), r.get("Type"), r.get("Target")) for r in etree.fromstring(xml)}


def test_header_pictures_are_in_the_header_parts():
    template = DATA / "header_footer_inline_image_tpl.docx"
    context = header_footer_context(DocxTemplate(str(template)))
    parts = members(render(template, context))
    headers = [n for n in parts if n.startswith("word/header") and b"<pic:pic" in parts[n]]
    assert headers
    for header in headers:
        assert f"word/_rels/{header[5:]}.rels" in parts


def test_a_rerun_with_pictures_is_byte_identical():
    template = DATA / "inline_image_tpl.docx"
    first = render(template, inline_image_context(DocxTemplate(str(template))))
    again = render(template, inline_image_context(DocxTemplate(str(template))))
    assert first == again


def _jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_docgen_picture_renders_in_both_engines(tmp_path):
    from docx.shared import Cm

    doc = Document()
    doc.add_paragraph("{{ photo }}")
    doc.add_paragraph("{{ photo|picture(width=20) }}")
    template = tmp_path / "t.docx"
    doc.save(template)
    context = {"photo": Picture(_jpeg(400, 300), 80, 60, "сцена.jpg", (400, 300))}
    ours, plain = members(render(template, context)), members(render_plain(template, context))
    assert ours["word/document.xml"] == plain["word/document.xml"]
    result = Document(io.BytesIO(render(template, context)))
    shapes = result.inline_shapes
    assert len(shapes) == 2
    assert shapes[0].width == Cm(8) and shapes[0].height == Cm(6)
    assert shapes[1].width == Cm(2) and shapes[1].height == Cm(1.5)
    # one image part for the same picture twice, as python-docx does
    assert len([n for n in ours if n.startswith("word/media/")]) == 1


def test_picture_is_text_in_a_context_dump():
    from docgen.templating import context_json

    picture = Picture(b"", 80, 60, "сцена.jpg", (400, 300))
    assert "сцена.jpg" in context_json({"p": picture})
    assert "80×60 мм" in str(picture)
