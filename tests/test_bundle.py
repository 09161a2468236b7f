"""«Комплект документов»: combined by pdf_combine when the documents share their styles,
by docxcompose otherwise (issue 29); the same structure either way."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.output.bundle import BUNDLE, _compose, compose

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The documents of the mentoring workshop's example, in the kind's order."""
    out = tmp_path_factory.mktemp("комплект")
    result = CliRunner().invoke(cli, ["build", str(ROOT / "data" / "klin-masterskaya.xlsx"),
                                      "-o", str(out), "--bundle"])
    assert result.exit_code == 0, result.output + result.stderr
    [folder] = {p.parent for p in out.rglob(f"{BUNDLE}.docx")}
    from docgen.output.folders import Manifest

    manifest = Manifest.read(folder)
    names = [n for n in manifest.documents if n != f"{BUNDLE}.docx"]
    return sorted((folder / n for n in names), key=lambda p: list(manifest.files).index(p.name))


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_documents_alike_are_combined_as_docxcompose_would(documents: list[Path],
                                                            tmp_path: Path) -> None:
    fast = tmp_path / "быстро.docx"
    fast.write_bytes(compose(documents, title="Комплект"))
    slow = tmp_path / "docxcompose.docx"
    slow.write_bytes(_compose(documents, title="Комплект"))
    bundle = docx.Document(str(fast))
    assert texts(fast) == texts(slow) == [t for p in documents for t in texts(p)]
    assert bundle.core_properties.title == "Комплект"
    assert len(bundle.element.body.xpath("./w:p/w:pPr/w:sectPr")) == len(documents) - 1
    sections = bundle.sections
    assert [(s.orientation, s.page_width, s.page_height, s.left_margin) for s in sections] == [
        (s.orientation, s.page_width, s.page_height, s.left_margin)
        for s in (docx.Document(str(p)).sections[0] for p in documents)]
    assert all(s._sectPr.xpath("./w:pgNumType/@w:start") == ["1"] for s in sections[1:])
    assert all(s.different_first_page_header_footer for s in sections)
    # every section's header is its own document's: page numbers from the second page
    assert all(s.header.is_linked_to_previous is False for s in sections)
    assert not bundle.element.body.xpath(".//w:bookmarkStart")  # the PDF stage's marks
    with zipfile.ZipFile(fast) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None
    assert compose(documents, title="Комплект") == fast.read_bytes()  # reruns: same bytes


def test_a_document_with_its_own_styles_goes_docxcompose_s_way(documents: list[Path],
                                                               tmp_path: Path) -> None:
    """A document re-saved by another program (here python-docx's default styles and Word's
    list numbering) cannot share the first one's styles: docxcompose carries them in."""
    other = docx.Document()
    other.add_paragraph("Записка от руки")
    other.add_paragraph("пункт первый", style="List Number")
    path = tmp_path / "записка.docx"
    other.save(str(path))
    bundle = tmp_path / "комплект.docx"
    bundle.write_bytes(compose([documents[0], path, documents[1]]))
    assert texts(bundle) == texts(documents[0]) + texts(path) + texts(documents[1])
    opened = docx.Document(str(bundle))
    assert len(opened.sections) == 3
    assert opened.part.numbering_part.element.xpath("./w:num")
