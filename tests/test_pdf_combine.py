"""Combining a group's documents for one LibreOffice conversion (docgen/pdf/combine.py),
without LibreOffice: which documents may be combined, what the combined file holds, and
cutting a PDF at its named destinations.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter

from docgen.cli import cli
from docgen.pdf import combine as pdf_combine

YEAR = "2025-2026 учебный год"
W = pdf_combine.W


@pytest.fixture
def group_documents(content: dict, make_workbook: Callable, tmp_path: Path) -> list[Path]:
    """The documents of one built group, in their order."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(make_workbook(content)), "-o", str(out),
                                      "-q"])
    assert result.exit_code == 0, result.output
    return sorted((out / YEAR).glob("*/*.docx"))


def variant(path: Path, change: Callable[[docx.document.Document], None]) -> bytes:
    doc = docx.Document(str(path))
    change(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return buffer.getvalue()


def field(doc: docx.document.Document, instruction: str) -> None:
    run = doc.add_paragraph().add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)


def test_a_groups_documents_share_one_signature_and_make_one_unit(
        group_documents: list[Path]) -> None:
    batch = pdf_combine.Batch()
    parts = [pdf_combine.read(p.read_bytes(), batch) for p in group_documents]
    assert len(parts) == 10
    # one copy of the styles for the whole batch, not one a document
    assert all(p.members["word/styles.xml"] is parts[0].members["word/styles.xml"]
               for p in parts)
    assert parts[0].signature is not None
    assert {p.signature for p in parts} == {parts[0].signature}
    folders = [p.parent for p in group_documents]
    assert pdf_combine.units(folders, parts) == [list(range(10))]
    # another folder, or a different signature, starts another unit
    elsewhere = [Path("другая"), *folders[1:]]
    assert pdf_combine.units(elsewhere, parts) == [[0], list(range(1, 10))]


def test_what_could_look_different_combined_is_converted_alone(
        group_documents: list[Path]) -> None:
    path = group_documents[0]
    base = pdf_combine.read(path.read_bytes()).signature
    assert base is not None
    alone = {
        # a list would go on numbering from the previous document
        "list": variant(path, lambda d: d.add_paragraph("пункт", style="List Number")),
        # NUMPAGES would count the pages of the whole combined file
        "numpages": variant(path, lambda d: field(d, " NUMPAGES ")),
        "two sections": variant(path, lambda d: d.add_section()),
        "footnotes": with_member(path.read_bytes(), "word/footnotes.xml", b"<x/>"),
        "not a docx": b"PK broken",
    }
    for name, data in alone.items():
        assert pdf_combine.read(data).signature is None, name
    # a PAGE field is the same alone and combined (each section is numbered from 1)
    assert pdf_combine.read(variant(path, lambda d: field(d, " PAGE "))).signature == base
    # other styles: combined only with documents of the same styles
    def restyle(d: docx.document.Document) -> None:
        d.styles["Normal"].font.size = docx.shared.Pt(15)

    other = pdf_combine.read(variant(path, restyle)).signature
    assert other is not None and other != base


def test_the_combined_file_has_each_document_in_its_section_with_its_headers_and_mark(
        group_documents: list[Path], tmp_path: Path) -> None:
    chosen = group_documents[:3]
    parts = [pdf_combine.read(p.read_bytes()) for p in chosen]
    combined = tmp_path / "combined.docx"
    combined.write_bytes(pdf_combine.combine(parts))
    doc = docx.Document(str(combined))
    originals = [docx.Document(str(p)) for p in chosen]
    assert len(doc.sections) == 3
    for section, original in zip(doc.sections, originals, strict=True):
        mine = original.sections[0]
        assert (section.page_width, section.page_height) == (mine.page_width, mine.page_height)
        assert (section.top_margin, section.left_margin) == (mine.top_margin, mine.left_margin)
        assert section.different_first_page_header_footer == \
            mine.different_first_page_header_footer
        for kind in ("header", "first_page_header"):
            theirs = [p.text for p in getattr(mine, kind).paragraphs]
            assert [p.text for p in getattr(section, kind).paragraphs] == theirs
            assert not getattr(section, kind).is_linked_to_previous
        numbering = section._sectPr.find(qn("w:pgNumType"))
        assert numbering is not None and numbering.get(qn("w:start")) == "1"
    text = [p.text for p in doc.paragraphs if p.text]
    assert text == [p.text for o in originals for p in o.paragraphs if p.text]
    marks = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))
             if b.get(qn("w:name")).startswith(pdf_combine.MARK)]
    assert marks == [f"{pdf_combine.MARK}{n}" for n in range(3)]
    headers = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/header")}
    assert len(headers) == 6  # two per document, none shared


def marked_pdf(path: Path, pages: int, marks: dict[str, int]) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    for name, page in marks.items():
        writer.add_named_destination(name, page)
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def test_the_pdf_is_cut_at_its_destinations(tmp_path: Path) -> None:
    mark = pdf_combine.MARK
    pdf = marked_pdf(tmp_path / "all.pdf", 5, {f"{mark}0": 0, f"{mark}1": 2, f"{mark}2": 3})
    out = [tmp_path / f"{n}.pdf" for n in range(3)]
    pdf_combine.split(pdf, 3, out)
    assert [len(PdfReader(p).pages) for p in out] == [2, 1, 2]


@pytest.mark.parametrize("marks", [{"0": 0, "2": 3},  # one is missing
                                   {"0": 0, "1": 3, "2": 2},  # out of order
                                   {"0": 1, "1": 2, "2": 3}])  # the first not on page 1
def test_a_pdf_without_its_destinations_in_order_is_refused(tmp_path: Path,
                                                            marks: dict[str, int]) -> None:
    named = {f"{pdf_combine.MARK}{n}": page for n, page in marks.items()}
    pdf = marked_pdf(tmp_path / "all.pdf", 5, named)
    with pytest.raises(ValueError):
        pdf_combine.split(pdf, 3, [tmp_path / f"{n}.pdf" for n in range(3)])
