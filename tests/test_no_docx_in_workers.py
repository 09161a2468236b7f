"""A batch worker renders without importing docxtpl, to the same bytes (issue 19).

* a template with pictures in its body, header and footer renders as plain docxtpl
  renders it (pictures take python-docx's way, as docxtpl's InlineImage does);
* ``compiler._resolve_listing`` is docgen's own (docxtpl is LGPL-2.1): compared
  here with docxtpl's on random paragraphs (and in test_batch_speed.py);
* a template loaded from the disk cache renders headers, footers, properties and
  the lxml fallback without python-docx, to the bytes a fresh compile gives;
* the caches' one salt reads the packages' versions without importing them;
* building the examples (photos, charts), in one process and in forked workers,
  imports neither docxtpl nor docxcompose (python-docx only for the pictures).

Each comparison is shown to catch a planted difference.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from docgen.runtime import diskcache
from docgen.templating import Picture, cache, compiler, render, render_plain
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
    ours = members(render(path, context))
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


def test_the_one_cache_salt_changes_with_each_packages_version(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates, photos and charts are keyed with one salt: any package's version in it
    (read from its files, PIL's and matplotlib's _version.py too) changes it."""
    import docxtpl
    import matplotlib
    import PIL

    for module in (docxtpl, docx, PIL, matplotlib):
        name, old = module.__name__, module.__version__.encode()
        assert module.__version__.encode() in diskcache._version_source(name), name
        real = diskcache._version_source
        diskcache.salt.cache_clear()
        before = diskcache.salt()
        monkeypatch.setattr(diskcache, "_version_source", lambda n, name=name, real=real, old=old: (
            real(n).replace(old, b"99.0") if n == name else real(n)))
        diskcache.salt.cache_clear()
        try:
            assert diskcache.salt() != before, name
        finally:
            monkeypatch.undo()
            diskcache.salt.cache_clear()
    assert cache.key(b"x") != cache.key(b"y")


def test_a_package_without_a_source_file_is_imported_for_its_version(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    assert diskcache._version_source("docx") == docx.__version__.encode()
    assert diskcache._version_source("no_such_package_docgen") == b""


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


def test_building_the_examples_imports_no_docxtpl(tmp_path: Path) -> None:
    """After a first run has compiled the templates into the cache (which needs docxtpl),
    a build in one process or in forked workers renders without it; photos and charts
    take python-docx's image reading and drawing, as docxtpl's InlineImage does."""
    run_build(tmp_path, "первый", "--jobs", "2")  # fills the cache
    for jobs in ("1", "2"):
        loaded = run_build(tmp_path, f"jobs-{jobs}", "--jobs", jobs)
        workers = {k for k in loaded if k != "parent"}
        assert len(workers) == len(list((ROOT / "data").glob("*.xlsx")))
        assert loaded == {k: [m for m in v if m == "docx"] for k, v in loaded.items()}, jobs
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


def test_a_bundle_of_the_examples_imports_neither_docxcompose_nor_docxtpl(
        tmp_path: Path) -> None:
    """Documents made from docgen's templates share their styles: the bundle is combined
    by pdf_combine, ten to twenty times faster than docxcompose on python-docx (issue 29)."""
    run_build(tmp_path, "первый", "--jobs", "1")  # fills the cache
    loaded = run_build(tmp_path, "комплект", "--jobs", "1", "--bundle")
    assert loaded == {k: [m for m in v if m == "docx"] for k, v in loaded.items()}
    assert len(list((tmp_path / "комплект").rglob("Комплект документов.docx"))) == 5
