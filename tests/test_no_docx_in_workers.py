"""A batch worker renders without importing python-docx or docxtpl, to the same bytes (issue 19).

* a docgen Picture: ``drawing.Story.picture_markup`` writes the drawing, the new
  media part, relationship and content type python-docx and docxtpl's InlineImage
  write; ``drawing._readable`` takes only the JPEG and PNG files python-docx
  certainly reads, anything else goes python-docx's way;
* ``compiler._resolve_listing`` is docgen's own (docxtpl is LGPL-2.1): compared
  here with docxtpl's on random paragraphs (and in test_batch_speed.py);
* a template loaded from the disk cache renders headers, footers, properties and
  the lxml fallback without python-docx, to the bytes a fresh compile gives;
* the cache's salt reads the packages' versions without importing them;
* building the examples (photos, charts), in one process and in forked workers,
  imports neither package.

Each comparison is shown to catch a planted difference.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import docx
import pytest
from docx.image.image import Image as DocxImage
from docxtpl import DocxTemplate, InlineImage
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from docgen.templating import Picture, cache, compiler, drawing, render, render_plain
from docgen.templating.compiler import _resolve_listing

ROOT = Path(__file__).resolve().parent.parent
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


# --- pictures ---------------------------------------------------------------------------


def picture_file(kind: str, size: tuple[int, int], mode: str = "RGB", seed: int = 0,
                 **save: Any) -> bytes:
    """An image as photos.py makes them (Pillow's JPEG or PNG), with noise for content."""
    rng = random.Random(seed)
    image = Image.new(mode, size)
    image.putdata([tuple(rng.randrange(256) for _ in range(len(mode))) if len(mode) > 1
                   else rng.randrange(256) for _ in range(size[0] * size[1])])
    buffer = io.BytesIO()
    if kind == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, **save)
    else:
        image.save(buffer, "PNG", optimize=True, **save)
    return buffer.getvalue()


FILES = [
    picture_file("JPEG", (8, 6)),
    picture_file("JPEG", (5, 9), "L", seed=1),
    picture_file("JPEG", (16, 16), seed=2, dpi=(300, 300)),
    picture_file("PNG", (4, 3)),
    picture_file("PNG", (7, 2), "L", seed=3),
    picture_file("PNG", (3, 5), seed=4, dpi=(150, 150)),  # with a pHYs chunk
    picture_file("PNG", (6, 6), "RGBA", seed=5),
]


def example_photos() -> list[bytes]:
    """The examples' photos as a build prepares them."""
    from docgen import photos

    found = sorted(p for p in ROOT.glob("data/*/**/*") if p.suffix.lower() in
                   (".jpg", ".jpeg", ".png"))[:6]
    return [photos.prepare(path).data for path in found]


def docx_markup(story: drawing.Story, picture: Picture) -> str:
    """python-docx's and docxtpl's way, as ``drawing.markup`` took it before."""
    holder = SimpleNamespace(current_rendering_part=story)
    return InlineImage(holder, io.BytesIO(picture._data), picture._width,
                       picture._height)._insert_image()


def docgen_markup(story: drawing.Story, picture: Picture) -> str:
    """``drawing.markup`` in a compiled render: docgen's way, python-docx's only if needed."""
    with drawing.rendering(lambda: story):
        return str(drawing.markup(picture))


TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         b'<Default Extension="xml" ContentType="application/xml"/>'
         b'<Default Extension="jpg" ContentType="image/pjpeg"/>'  # differs: an Override
         b'</Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="x" Target="styles.xml"/></Relationships>')


def rendered_both_ways(pictures: list[Picture], member: str = "word/document.xml",
                       next_id: int = 1, rels: tuple[tuple[str, str, str, bool], ...] = (),
                       images: tuple[tuple[str, str, str], ...] = (),
                       ours: Callable[[drawing.Story, Picture], str] = docgen_markup,
                       ) -> list[tuple[Any, ...]]:
    """Each way's markups (or error), new media, new relationships and changed members."""
    results = []
    for way in (ours, docx_markup):
        package = drawing.Package(list(images))
        story = package.story(member, next_id, rels)
        marks: list[str] = []
        try:
            for picture in pictures:
                marks.append(way(story, picture))
        except Exception as exc:  # python-docx refuses: so must docgen
            marks.append(f"{type(exc).__name__}: {exc}")
        changes = drawing.package_changes(
            package, {"[Content_Types].xml": TYPES, drawing.rels_member(member): RELS}.get)
        results.append((marks, package.added, story.added, changes))
    return results


def test_a_photo_and_a_png_in_the_body_are_written_as_python_docx_writes_them() -> None:
    pictures = [Picture(FILES[0], 40, 30), Picture(FILES[3], 17.5, 12.25)]
    ours, theirs = rendered_both_ways(pictures, next_id=7,
                                      rels=(("rId1", "x", "/word/styles.xml", False),))
    assert ours == theirs
    marks, added, _rels, changes = ours
    assert marks[0].startswith("</w:t></w:r><w:r><w:drawing><wp:inline ")
    assert 'r:embed="rId2"' in marks[0] and 'r:embed="rId3"' in marks[1]
    assert set(added) == {"/word/media/image1.jpg", "/word/media/image2.png"}
    assert b'<Override PartName="/word/media/image1.jpg" ContentType="image/jpeg"/>' in \
        changes["[Content_Types].xml"]
    assert b'Target="media/image2.png"' in changes["word/_rels/document.xml.rels"]


def test_python_docx_keeps_a_pictures_size_as_given() -> None:
    """Why the drawing is written with the Picture's own EMU: given both sides,
    python-docx's scaled_dimensions returns them unchanged, whatever the file says."""
    for data in FILES:
        image = DocxImage.from_blob(data)
        for cx, cy in ((0, 0), (1, 2), (360_000, 1_234_567), (6_120_000, 9_000_001)):
            assert image.scaled_dimensions(cx, cy) == (cx, cy)
        picture = Picture(data, 33.3, 12.345)
        assert image.scaled_dimensions(picture._width, picture._height) == (
            picture._width, picture._height) == (1_198_800, 444_420)


def test_docgens_way_takes_no_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons above are not python-docx compared with itself."""
    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("python-docx's way taken")

    monkeypatch.setattr(drawing.Story, "new_pic_inline", refused)
    package = drawing.Package([])
    story = package.story("word/document.xml", 3, ())
    for data in FILES + example_photos():
        assert "<pic:pic>" in docgen_markup(story, Picture(data, 10, 10))


NAMES = ["image.png", "image.jpeg", "logo&1.png", "фото.jpg"]  # those lxml escapes: its way


@pytest.mark.parametrize("member", ["word/document.xml", "word/header1.xml",
                                    "word/footer2.xml"])
def test_many_ids_sizes_and_pictures_in_one_part(member: str) -> None:
    rng = random.Random(member)
    files = FILES + example_photos()
    for _ in range(40):
        pictures = [Picture(rng.choice(files), rng.uniform(0, 300), rng.uniform(0, 300))
                    for _ in range(rng.randint(1, 6))]
        taken = rng.sample(range(1, 12), rng.randint(0, 6))
        rels = tuple((f"rId{n}", "x", f"/word/p{n}.xml", False) for n in taken)
        existing = rng.sample(files, rng.randint(0, 3))
        numbers = rng.sample(range(1, 6), len(existing))
        images = tuple((f"/word/media/image{n}.{DocxImage.from_blob(d).ext}",
                        DocxImage.from_blob(d).sha1, rng.choice(NAMES))
                       for n, d in zip(numbers, existing, strict=True))
        ours, theirs = rendered_both_ways(pictures, member, rng.randint(0, 10**6), rels,
                                          images)
        assert ours == theirs


@settings(max_examples=150, deadline=None)
@given(sizes=st.lists(st.tuples(st.integers(-5, 10**14), st.integers(-5, 10**14)),
                      min_size=1, max_size=4),
       chosen=st.lists(st.integers(0, len(FILES) - 1), min_size=4, max_size=4),
       next_id=st.one_of(st.integers(0, 5000), st.integers(2**32 - 3, 2**32 + 3)),
       taken=st.sets(st.integers(1, 9), max_size=5),
       rid_text=st.sampled_from(["rId", "rId&", "r<", "rId-"]))
def test_any_size_id_and_relationships_give_what_python_docx_gives(
        sizes: list[tuple[int, int]], chosen: list[int], next_id: int, taken: set[int],
        rid_text: str) -> None:
    """Out-of-range sizes and ids, and relationship ids lxml must escape, go python-docx's
    way: refused or written, as before."""
    pictures = []
    for (cx, cy), n in zip(sizes, chosen, strict=False):
        picture = Picture(FILES[n], 1, 1)
        picture._width, picture._height = cx, cy
        pictures.append(picture)
    rels = tuple((f"{rid_text}{n}", RT_IMAGE if n % 2 else "x", f"/word/media/image{n}.png",
                  False) for n in sorted(taken))
    ours, theirs = rendered_both_ways(pictures, next_id=next_id, rels=rels)
    assert ours == theirs


def test_a_planted_difference_in_the_drawing_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = [Picture(FILES[0], 40, 30)]
    monkeypatch.setattr(drawing, "_INLINE", drawing._INLINE.replace('prst="rect"',
                                                                    'prst="rect" '))
    ours, theirs = rendered_both_ways(pictures)
    assert ours[0] != theirs[0] and ours[1:] == theirs[1:]


PARTNAMES = ["/word/media/image1.png", "/word/media/image12.jpeg", "/word/media/image.png",
             "/word/media/image0.png", "/word/media/img1x.png", "/word/media/1.png",
             "/word/media/image01.gif", "/word/media/рисунок3.png", "/word/image7.emf",
             "/word/media/image3", "/media/image4.png", "/image5.png"]
BASES = ["/", "/word", "/word/media", "/customXml", "/word/glossary"]


def packuri_differences(idx: Callable[[str], Any], relative: Callable[[str, str], str],
                        ) -> list[tuple[str, str]]:
    """Where docgen's numbers and references of parts differ from python-docx's PackURI."""
    from docx.opc.packuri import PackURI

    wrong = [(name, "") for name in PARTNAMES if idx(name) != PackURI(name).idx]
    return wrong + [(name, base) for name in PARTNAMES for base in BASES
                    if relative(name, base) != PackURI(name).relative_ref(base)]


def test_part_numbers_and_references_are_python_docxs() -> None:
    assert packuri_differences(drawing._partname_idx, drawing._relative_ref) == []
    from docx.opc.packuri import PackURI

    assert [PackURI("/" + m).baseURI for m in ("word/document.xml", "word/header1.xml")] == \
        ["/word", "/word"]  # what package_changes takes as the base


def test_a_planted_difference_in_part_numbers_or_references_is_caught() -> None:
    def full_match(name: str) -> int | None:  # the whole stem, not PackURI's prefix match
        stem = name.rsplit("/", 1)[1].rsplit(".", 1)[0]
        found = re.fullmatch("([a-zA-Z]+)([1-9][0-9]*)?", stem)
        return int(found[2]) if found and found[2] else None

    assert packuri_differences(full_match, drawing._relative_ref)
    assert packuri_differences(drawing._partname_idx, lambda name, base: name[len(base):])


def test_the_first_gap_in_the_media_numbers_is_filled() -> None:
    images = (("/word/media/image1.png", "0" * 40, "image.png"),
              ("/word/media/image3.png", "1" * 40, "image.png"))
    ours, theirs = rendered_both_ways([Picture(FILES[0], 5, 5)], images=images)
    assert ours == theirs
    assert ours[1] == {"/word/media/image2.jpg": (FILES[0], "image/jpeg")}


def mutations(data: bytes, rng: random.Random) -> list[bytes]:
    """Truncated, bitten and padded copies of an image file."""
    found = [data[:n] for n in range(0, min(len(data), 400), 3)]
    for _ in range(150):
        at = rng.randrange(min(len(data), 300))
        found.append(data[:at] + bytes([rng.randrange(256)]) + data[at + 1:])
        found.append(data[:at] + bytes([0xFF] * rng.randint(1, 3)) + data[at:])
    return found


def disagreements(reader: Callable[[bytes], Any], blobs: list[bytes]) -> list[bytes]:
    """Files ``reader`` takes that python-docx refuses or reads otherwise."""
    wrong = []
    for blob in blobs:
        image = reader(blob)
        if image is None:
            continue
        try:
            theirs = DocxImage.from_blob(blob)
            same = (theirs.ext, theirs.content_type, theirs.sha1, theirs.filename) == (
                image.ext, image.content_type, image.sha1, image.filename)
        except Exception:
            same = False
        if not same:
            wrong.append(blob)
    return wrong


def test_docgen_reads_only_files_python_docx_reads_the_same() -> None:
    rng = random.Random(19)
    blobs = [m for data in FILES for m in mutations(data, rng)]
    blobs += [b"GIF89a" + bytes(40), b"BM" + bytes(60), b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00"]
    assert all(drawing._readable(data) is not None for data in FILES + example_photos())
    assert disagreements(drawing._readable, blobs) == []
    assert sum(drawing._readable(b) is None for b in blobs) > len(blobs) // 2  # many refused


def test_a_reader_trusting_the_signature_alone_is_caught() -> None:
    import hashlib

    def trusting(data: bytes) -> Any:
        sha1 = hashlib.sha1(data).hexdigest()
        if data.startswith(drawing._PNG_SIGNATURE):
            return drawing._Image(data, "png", "image/png", sha1)
        if data[6:10] == b"JFIF":
            return drawing._Image(data, "jpg", "image/jpeg", sha1)
        return None

    blobs = [m for data in FILES for m in mutations(data, random.Random(1))]
    assert disagreements(trusting, blobs)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FILES), st.integers(0, 400), st.binary(min_size=0, max_size=4),
       st.integers(0, 6))
def test_a_damaged_file_is_read_or_refused_as_python_docx_does(
        data: bytes, at: int, bite: bytes, cut: int) -> None:
    """Through ``markup``: the same drawing, or the same refusal, as python-docx's way."""
    damaged = data[:at] + bite + data[at + cut:]
    ours, theirs = rendered_both_ways([Picture(damaged, 10, 10)])
    assert ours == theirs


def docx_with_pictures(tmp_path: Path) -> Path:
    """A template with a picture of its own, pictures in its body, header and footer."""
    path = tmp_path / "с рисунками.docx"
    doc = docx.Document()
    doc.add_picture(io.BytesIO(FILES[3]))  # the same PNG as «a»: its part is reused
    doc.add_paragraph("Фото: {{ a }} и {{ b }}, снова {{ a }}")
    doc.add_paragraph("{% for p in many %}{{ p }}{% endfor %}")
    doc.sections[0].header.paragraphs[0].text = "Логотип {{ logo }}"
    doc.sections[0].footer.paragraphs[0].text = "{{ b }}"
    doc.save(str(path))
    return path


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def assert_as_plain(ours: dict[str, bytes], plain: dict[str, bytes]) -> None:
    """Every member as plain docxtpl writes it; the content types' entries too, in their
    order but for the Defaults: the compiled engine puts a picture's new one first, where
    python-docx sorts them (as before this change: its bytes are kept)."""
    types = "[Content_Types].xml"
    assert {n: v for n, v in ours.items() if n != types} == {
        n: v for n, v in plain.items() if n != types}

    def entries(xml: bytes) -> tuple[list[bytes], list[bytes]]:
        items = xml.split(b"<")
        return sorted(i for i in items if i.startswith(b"Default")), [
            i for i in items if not i.startswith(b"Default")]

    assert entries(ours[types]) == entries(plain[types])


def test_a_template_with_pictures_everywhere_renders_as_docxtpl_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = docx_with_pictures(tmp_path)
    context = {"a": Picture(FILES[3], 30, 20), "b": Picture(FILES[0], 25.5, 19),
               "logo": Picture(FILES[5], 12, 20),
               "many": [Picture(data, 10 + n, 10) for n, data in enumerate(FILES)]}
    plain = members(render_plain(path, context))

    with monkeypatch.context() as patch:  # the compiled engine as before: python-docx's way
        patch.setattr(drawing.Story, "picture_markup", lambda _story, _picture: None)
        before = members(render(path, context))

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("python-docx's way taken")

    monkeypatch.setattr(drawing.Story, "new_pic_inline", refused)
    ours = members(render(path, context))
    assert ours == before
    assert_as_plain(ours, plain)
    types = ours["[Content_Types].xml"]
    doc = docx.Document(io.BytesIO(render(path, context)))
    assert len(doc.inline_shapes) == 1 + 3 + len(FILES)
    header = next(n for n in ours if n.startswith("word/header"))
    assert b"<pic:pic>" in ours[header]
    assert b"image/png" in types


# --- resolve_listing ----------------------------------------------------------------------


PROPERTIES = ["", "<w:pPr><w:jc w:val=\"center\"/></w:pPr>",
              "<w:pPr><w:pStyle w:val=\"a\tb\"/></w:pPr>",
              "<w:pPr><w:pStyle w:val=\"a\fb\"/></w:pPr>"]
RUN_PROPERTIES = ["", "<w:rPr><w:b/></w:rPr>", "<w:rPr><w:rStyle w:val=\"x\ay\"/></w:rPr>",
                  "<w:rPr><w:rStyle w:val=\"x\fy\"/></w:rPr>"]
TEXTS = ["а", "\t", "\a", "\n", "\f", "б\tв\nг", " ", "&amp;"]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    runs = []
    for _ in range(draw(st.integers(0, 3))):
        texts = "".join(
            draw(st.sampled_from(["<w:t>", '<w:t xml:space="preserve">']))
            + "".join(draw(st.lists(st.sampled_from(TEXTS), max_size=4))) + "</w:t>"
            for _ in range(draw(st.integers(0, 2))))
        runs.append(f'<w:r>{draw(st.sampled_from(RUN_PROPERTIES))}{texts}</w:r>')
    return f'<w:p>{draw(st.sampled_from(PROPERTIES))}{"".join(runs)}</w:p>'


def body(*parts: str) -> str:
    return ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(parts) + "</w:body>")


def docxtpl_listing(xml: str) -> str:
    return DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.lists(paragraphs(), max_size=5))
def test_listing_of_random_paragraphs_is_docxtpls(found: list[str]) -> None:
    xml = body(*found)
    assert _resolve_listing(xml) == docxtpl_listing(xml)


def test_properties_holding_the_characters_are_replaced_in_docxtpls_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A tab brings the run's properties, whose «\\a» the next replacement turns into a
    paragraph; replacing in another order would differ, and the comparison says so."""
    xml = body(f"<w:p>{PROPERTIES[1]}<w:r>{RUN_PROPERTIES[2]}<w:t>а\tб</w:t></w:r></w:p>")
    assert _resolve_listing(xml) == docxtpl_listing(xml)
    assert _resolve_listing(xml).count(PROPERTIES[1]) == 3  # two paragraphs the \a opened

    def paragraphs_first(run: str, p_pr: str) -> str:  # \a before \t: a planted mistake
        r_pr = RUN_PROPERTIES[2]
        return run.replace("\a", f'</w:t></w:r></w:p><w:p>{p_pr}<w:r>{r_pr}<w:t '
                                  'xml:space="preserve">').replace(
            "\t", f'</w:t></w:r><w:r>{r_pr}<w:tab/></w:r><w:r>{r_pr}<w:t xml:space="preserve">')

    monkeypatch.setattr(compiler, "_listing_run", paragraphs_first)
    assert _resolve_listing(xml) != docxtpl_listing(xml)


# --- a template loaded from the cache -----------------------------------------------------


def test_a_cached_template_renders_headers_properties_and_the_lxml_way_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loaded without python-docx (plain lxml elements): the same bytes as compiled now."""
    monkeypatch.setenv("DOCGEN_CACHE", str(tmp_path / "кэш"))
    monkeypatch.setattr(compiler, "_compiled", {})
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ x }}")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{{ y }}"
    doc.sections[0].header.paragraphs[0].text = "Верхний: {{ x }}"
    doc.sections[0].footer.paragraphs[0].text = "Нижний:  {{ y|upper }}  "
    doc.core_properties.title = "Протокол {{ x }}"
    doc.save(str(path))
    contexts = [{"x": "«Ромашка» & Co", "y": "в\tтаблице"},
                {"x": 'кавычки " и \'', "y": "ё"},  # a character reference: lxml's way
                {"x": "рисунки", "y": Picture(FILES[3], 5, 5)}]
    fresh = [render(path, c) for c in contexts]
    compiler._compiled.clear()
    loaded = compiler.compiled(path)
    assert not hasattr(loaded.shell, "body")  # a plain lxml element, not python-docx's
    for context, first in zip(contexts, fresh, strict=True):
        again = loaded.render(context)
        assert again == first
        assert_as_plain(members(again), members(render_plain(path, context)))
    title = docx.Document(io.BytesIO(fresh[0])).core_properties.title
    assert title.startswith("Протокол «Ромашка»")  # (escaped as plain docxtpl escapes it)


def test_a_planted_difference_in_a_reparsed_header_is_caught(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ x }}")
    doc.sections[0].header.paragraphs[0].text = "Верхний: {{ x }}"
    doc.save(str(path))
    plain = members(render_plain(path, {"x": "а"}))
    assert_as_plain(members(render(path, {"x": "а"})), plain)
    monkeypatch.setattr(compiler, "_serialized", lambda root: etree.tostring(
        root, encoding="UTF-8"))  # no standalone="yes"
    monkeypatch.setattr(compiler, "_compiled", {})
    with pytest.raises(AssertionError):
        assert_as_plain(members(render(path, {"x": "а"})), plain)


def test_the_cache_salt_changes_with_the_packages_versions(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import docxtpl

    source = cache._version_source("docxtpl")
    assert f'__version__ = "{docxtpl.__version__}"'.encode() in source
    assert f'__version__ = "{docx.__version__}"'.encode() in cache._version_source("docx")
    cache._salt.cache_clear()
    before = cache._salt()
    monkeypatch.setattr(cache, "_version_source", lambda name: source.replace(
        docxtpl.__version__.encode(), b"99.0") if name == "docxtpl" else b"")
    cache._salt.cache_clear()
    try:
        assert cache._salt() != before
    finally:
        cache._salt.cache_clear()


def test_a_package_without_a_source_file_is_imported_for_its_version(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    assert cache._version_source("docx") == docx.__version__.encode()


# --- a whole build ---------------------------------------------------------------------------


PROBE = r"""
import json, os, sys
from pathlib import Path

import docgen.api.build as build

BANNED = ("docx", "docxtpl", "docxcompose")
report = Path(sys.argv[1])
original = build._build_safely


def probe(path, *args, **kwargs):
    result = original(path, *args, **kwargs)
    loaded = [m for m in BANNED if m in sys.modules]
    (report / f"{os.getpid()}-{path.stem}.json").write_text(json.dumps(loaded))
    return result


build._build_safely = probe
from docgen.cli import main

sys.argv = ["docgen", "build", *sys.argv[2:]]
try:
    main()
finally:
    (report / "parent.json").write_text(json.dumps([m for m in BANNED if m in sys.modules]))
"""


def run_build(tmp_path: Path, name: str, *args: str) -> dict[str, list[str]]:
    """``docgen build data`` in a new process: what each workbook's worker and the main
    process had imported of python-docx, docxtpl and docxcompose."""
    report = tmp_path / f"отчёт-{name}"
    report.mkdir()
    env = {**os.environ, "DOCGEN_CACHE": str(tmp_path / "кэш"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", PROBE, str(report), str(ROOT / "data"), "-o",
                           str(tmp_path / name), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return {p.stem: json.loads(p.read_text()) for p in report.glob("*.json")}


def test_building_the_examples_imports_no_python_docx_or_docxtpl(tmp_path: Path) -> None:
    """After a first run has compiled the templates into the cache (which needs docxtpl),
    a build in one process or in forked workers renders photos and charts without them."""
    run_build(tmp_path, "первый", "--jobs", "2")  # fills the cache
    for jobs in ("1", "2"):
        loaded = run_build(tmp_path, f"jobs-{jobs}", "--jobs", jobs)
        workers = {k for k in loaded if k != "parent"}
        assert len(workers) == len(list((ROOT / "data").glob("*.xlsx")))
        assert loaded == {k: [] for k in loaded}, jobs
    written = list((tmp_path / "jobs-2").rglob("*.docx"))
    with_media = [p for p in written if any(
        n.startswith("word/media/") for n in zipfile.ZipFile(p).namelist())]
    assert len(with_media) >= 5  # the event reports' photos, the annual reports' charts


def test_the_probe_sees_docxtpl_where_it_is_loaded(tmp_path: Path) -> None:
    """A first run compiles the templates with docxtpl, in the worker: the probe reports
    it, so its silence above means something. (It was a bundle's docxcompose until issue
    29: a bundle of documents alike is combined now without either.)"""
    loaded = run_build(tmp_path, "первый", "--jobs", "1")
    assert any("docxtpl" in modules for modules in loaded.values()), loaded


def test_a_bundle_of_the_examples_imports_neither_docxcompose_nor_python_docx(
        tmp_path: Path) -> None:
    """Documents made from docgen's templates share their styles: the bundle is combined
    by pdf_combine, ten to twenty times faster than docxcompose on python-docx (issue 29)."""
    run_build(tmp_path, "первый", "--jobs", "1")  # fills the cache
    loaded = run_build(tmp_path, "комплект", "--jobs", "1", "--bundle")
    assert loaded == {k: [] for k in loaded}
    assert len(list((tmp_path / "комплект").rglob("Комплект документов.docx"))) == 5
