"""Issue 19: a PDF made the fast way (a group's documents converted as one combined file,
then cut) is the PDF each document gets converted alone, to a reader: the same pages, the
same text page by page (pdftotext), its fonts embedded (pdffonts) — for every document of
every example workbook.

Needs LibreOffice and poppler-utils; skipped without them, failed instead when
DOCGEN_REQUIRE_SOFFICE=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import require_soffice
from pypdf import PdfReader

from docgen.cli import cli
from docgen.pdf import combine as pdf_combine
from docgen.pdf import convert as pdf

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parent.parent / "data"
YEAR = "2025-2026 учебный год"


def require_poppler() -> None:
    if shutil.which("pdftotext") and shutil.which("pdffonts"):
        return
    if os.environ.get("DOCGEN_REQUIRE_SOFFICE") == "1":
        pytest.fail("pdftotext and pdffonts (poppler-utils) are not installed")
    pytest.skip("pdftotext and pdffonts (poppler-utils) are not installed")


@dataclass(frozen=True)
class Seen:
    """A PDF as a reader sees it."""

    pages: int
    text: list[str]  # each page's text, laid out as on the page
    unembedded: list[str]  # fonts pdffonts says are not embedded
    title: str  # what a PDF reader shows in its title bar
    size: int  # bytes


def page_text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True).stdout


def unembedded(path: Path) -> list[str]:
    """The fonts of a PDF that are not embedded, by pdffonts' «emb» column."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    header = lines[0]
    column = header.index(" emb ") + 1
    return [line.split()[0] for line in lines[2:] if line[column:column + 3] != "yes"]


def seen(path: Path) -> Seen:
    reader = PdfReader(path)
    pages = len(reader.pages)
    return Seen(pages, [page_text(path, n) for n in range(1, pages + 1)], unembedded(path),
                str((reader.metadata or {}).get("/Title", "")), path.stat().st_size)


def differences(alone: dict[Path, Seen], combined: dict[Path, Seen]) -> list[str]:
    """What a reader would see differ between the two ways, document by document."""
    found = []
    for source in sorted(alone.keys() | combined.keys()):
        old, new = alone.get(source), combined.get(source)
        if old is None or new is None:
            found.append(f"{source.name}: PDF made only {'combined' if old is None else 'alone'}")
            continue
        if old.pages != new.pages:
            found.append(f"{source.name}: {old.pages} pages alone, {new.pages} combined")
        for n, (a, b) in enumerate(zip(old.text, new.text, strict=False), start=1):
            if a != b:
                found.append(f"{source.name}: page {n} reads differently")
        if old.title != new.title:
            found.append(f"{source.name}: titled «{old.title}» alone, «{new.title}» combined")
        if new.unembedded:
            found.append(f"{source.name}: fonts not embedded: {new.unembedded}")
    return found


def convert(paths: list[Path], combine: bool, into: Path) -> dict[Path, Seen]:
    """Each document's PDF, made one way; the PDFs are kept in ``into``."""
    into.mkdir()
    made = {}
    for chunk in pdf.convert(paths, pdf.find_soffice(), instances=2, combine=combine):
        for converted in chunk:
            assert converted.error is None, (converted.source, converted.error)
            assert converted.pdf is not None
            copy = into / f"{len(made):04d}.pdf"
            shutil.copyfile(converted.pdf, copy)
            made[converted.source] = seen(copy)
    return made


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every example's documents and bundle, as `docgen build data --pdf --bundle` converts."""
    require_soffice()
    require_poppler()
    out = tmp_path_factory.mktemp("equivalence") / "out"
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "--bundle", "-q"])
    assert result.exit_code == 0, result.output
    return sorted((out / YEAR).glob("*/*.docx"))


def test_every_example_pdf_is_the_same_combined_as_alone(documents: list[Path],
                                                         tmp_path: Path) -> None:
    assert len(documents) == 79 + 5  # 5 amendment orders, no appointment order in the мастерская
    parts = [pdf_combine.read(p.read_bytes()) for p in documents]
    units = pdf_combine.units([p.parent for p in documents], parts)
    combined = sum(len(u) for u in units if len(u) > 1)
    assert combined == 79  # every document but the bundles goes the fast way
    alone = convert(documents, combine=False, into=tmp_path / "alone")
    fast = convert(documents, combine=True, into=tmp_path / "combined")
    assert len(alone) == len(fast) == len(documents)
    assert all(s.pages >= 1 and "".join(s.text).strip() for s in fast.values())
    assert differences(alone, fast) == []
    assert not any(s.unembedded for s in alone.values())
    # each PDF carries only its own images: a little more font, never the group's photos
    assert sum(s.size for s in fast.values()) < 1.5 * sum(s.size for s in alone.values())


def test_the_comparison_sees_a_different_document(documents: list[Path], tmp_path: Path) -> None:
    """The failing example: a document one paragraph longer, or a font not embedded."""
    original = next(p for p in documents if "Положение" in p.name)
    longer = tmp_path / "другая" / original.name
    longer.parent.mkdir()
    doc = docx.Document(str(original))
    doc.add_page_break()
    doc.add_paragraph("Дописано вручную.")
    doc.save(str(longer))
    made = convert([original, longer], combine=False, into=tmp_path / "pdfs")
    found = differences({original: made[original]}, {original: made[longer]})
    assert found == [f"{original.name}: {made[original].pages} pages alone, "
                     f"{made[original].pages + 1} combined"]
    bare = Seen(made[original].pages, made[original].text, ["Helvetica"],
                made[original].title, made[original].size)
    assert differences({original: made[original]}, {original: bare}) == [
        f"{original.name}: fonts not embedded: ['Helvetica']"]
    assert differences({original: made[original]}, {}) == [
        f"{original.name}: PDF made only alone"]


def test_unembedded_reads_pdffonts(tmp_path: Path) -> None:
    """A PDF whose font is only named (the standard Helvetica) is seen as not embedded."""
    require_poppler()
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    data = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    bare = tmp_path / "bare.pdf"
    bare.write_bytes(data)
    assert unembedded(bare) == ["Helvetica"]
