"""Real office software opens every document: each example's documents made into PDFs by
LibreOffice, and checked from the PDF (pages, A4, the requisites in the text).

These tests need LibreOffice. Without it they are skipped, unless
DOCGEN_REQUIRE_SOFFICE=1 (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import require_soffice
from pypdf import PdfReader

from docgen.cli import cli
from docgen.content.documents import build_documents, is_online
from docgen.language import typography
from docgen.language.russian import count, decline, full_name, initials
from docgen.main import load_group
from docgen.output.bundle import BUNDLE
from docgen.output.folders import MANIFEST, Manifest
from docgen.output.registry import REGISTRY
from docgen.runtime.files import safe_name
from docgen.workbook.model import Group

DATA = Path(__file__).resolve().parent.parent / "data"
YEAR = "2025-2026 учебный год"
A4 = (595.3, 841.9)  # points

# Real LibreOffice in every test; one worker takes them all, so the examples are converted once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pdf")]

# Pages a document of each type may plausibly have, from the five examples (what
# they have, in brackets) with room for longer groups: a one-page form that
# spills onto a second page, or a положение of one page, is a broken layout.
PAGES = {
    "Приказ о создании": (1, 3),  # [2] the order and its appendix «Состав»
    "Приказ о назначении руководителя": (1, 2),  # [1-2]
    "Приказ о внесении изменений в состав": (1, 2),  # [1]
    "Положение": (3, 8),  # [4-5]
    "План работы": (1, 4),  # [2]
    "Протокол заседания": (1, 3),  # [2]
    "Заявка педагога (приложение 1)": (1, 1),  # [1]
    "Заявка организации (приложение 2)": (1, 1),  # [1]
    "Техническое задание": (1, 3),  # [2]
    "Отчёт о сетевом событии": (2, 6),  # [2-4] with its registration sheet
    "Отчёт за год": (2, 5),  # [2-3]
}


def words(text: str) -> str:
    """Text with every run of spaces, line breaks and no-break spaces made one space."""
    return " ".join(text.replace("\xa0", " ").split())


@dataclass
class Pdf:
    pages: list[tuple[float, float]]  # width, height of each page as shown
    text: str  # all pages, spaces normalised
    fonts: set[str]  # the fonts used, without the subset prefix: «LiberationSerif-Bold»

    @classmethod
    def read(cls, path: Path) -> Pdf:
        reader = PdfReader(path)
        pages, fonts = [], set()
        for page in reader.pages:
            for font in (page.get("/Resources") or {}).get("/Font", {}).values():
                fonts.add(str(font.get_object().get("/BaseFont", "")).split("+")[-1])
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if (page.get("/Rotate") or 0) % 180:
                width, height = height, width
            pages.append((width, height))
        return cls(pages, words(" ".join(page.extract_text() for page in reader.pages)), fonts)


def docx_text(path: Path) -> str:
    """The document's body text, tables included, as Word would lay it out."""
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def page_size(path: Path) -> tuple[float, float]:
    section = docx.Document(str(path)).sections[0]
    return section.page_width.pt, section.page_height.pt


@dataclass
class Built:
    out: Path
    result: Result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every example built with --pdf --bundle in one run: one batch of conversions."""
    require_soffice()
    out = tmp_path_factory.mktemp("pdf") / "out"
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out), "--pdf", "--bundle",
                                      "--jobs", "2"])
    assert result.exit_code == 0, result.output + result.stderr
    return Built(out, result)


def group_folders(out: Path) -> list[Path]:
    return sorted(p for p in (out / YEAR).iterdir() if p.is_dir())


def test_every_document_and_bundle_has_its_pdf(built: Built) -> None:
    documents = sorted((built.out / YEAR).glob("*/*.docx"))
    pdfs = sorted((built.out / YEAR).glob("*/*.pdf"))
    # the examples' documents (5 amendment orders, no appointment order in the мастерская)
    # and one bundle per group
    assert len(documents) == 79 + 5
    assert [p.with_suffix(".docx") for p in pdfs] == documents
    assert all(p.stat().st_size > 1000 for p in pdfs)
    # a «Сводный отчёт» per методическая служба, beside them, each with its PDF
    summary = sorted((built.out / YEAR).glob("Сводный отчёт*"))
    assert [p.suffix for p in summary] == [".docx", ".pdf"] * 5
    assert all(p.stat().st_size > 1000 for p in summary)
    assert built.result.output.splitlines()[-1] == "PDF: записано 89."


def expected_requisites(kind: str, about: dict[str, str], group: Group) -> list[str]:
    """What the document must say, from the workbook, in the forms the document uses."""
    found = [group.name]
    date = dt.date.fromisoformat(about["date"]) if about.get("date") else None
    if kind in ("Приказ о создании", "Приказ о назначении руководителя"):
        # issued and signed by whom the kind's seed says; an appointment order the
        # workbook gives no number for carries blanks, never the creation order's
        creation = kind == "Приказ о создании"
        by = group.kind.power("create" if creation else "appoint")
        number = group.order_number if creation else group.head_order_number
        date = group.order_date if creation else group.head_order_date
        found += ["ПРИКАЗ", f"{date:%d.%m.%Y}" if date else "________", f"№ {number or '____'}"]
        if by == "authority":
            assert group.authority and group.authority_head
            found += [group.authority.upper(), initials(group.authority_head)]
        else:
            found += [group.service, initials(group.service_head)]
    if kind == "Приказ о внесении изменений в состав":
        # by the body that approved the состав, with the workbook's number or blanks
        found += ["ПРИКАЗ", f"{date:%d.%m.%Y}" if date else "________",
                  f"№ {about.get('number') or '____'}"]
        if group.kind.power("create") == "authority":
            assert group.authority and group.authority_head
            found += [group.authority.upper(), initials(group.authority_head)]
        else:
            found += [group.service, initials(group.service_head)]
    if kind == "Приказ о назначении руководителя":
        found.append(f"Назначить {full_name(decline(group.head, 'acc'))}")
    if kind == "Положение" and group.regulation_order_number:
        # approved earlier by its own order: the kind's general text, no group named
        assert group.regulation_order_date
        found = ["ПОЛОЖЕНИЕ", f"от {group.regulation_order_date:%d.%m.%Y} "
                              f"№ {group.regulation_order_number}"]
    elif kind == "Положение":
        found += ["ПОЛОЖЕНИЕ", f"от {group.order_date:%d.%m.%Y} № {group.order_number}"]
    if kind == "Протокол заседания":
        assert date is not None
        found += ["ПРОТОКОЛ", f"{date:%d.%m.%Y}", f"№ {about['number']}",
                  f"Председатель – {initials(group.head)}"]
    if kind.startswith("Заявка"):
        found += ["ЗАЯВКА", initials(decline(group.service_head, "dat"))]
    if kind == "Заявка педагога (приложение 1)":
        name = about["title"].split(" — ", 1)[1]
        member = next(m for m in group.members if full_name(m) == name)
        found.append(f"Прошу включить {full_name(decline(member, 'acc'))}")
    if kind == "Техническое задание":
        found.append("ТЕХНИЧЕСКОЕ ЗАДАНИЕ")
    if kind == "Отчёт о сетевом событии":
        assert date is not None
        event = next(e for e in group.events if e.date == date)
        online = is_online(event.form)  # an online event's list has no signatures
        found += [event.name, "Список участников" if online else "Лист регистрации"]
        if event.photos:
            found.append("Снимки экрана" if online else "Фотоотчёт")
        if event.participants:
            found.append(f"Количество участников "
                         f"{count(event.participants, 'человек', 'человека', 'человек')}")
    if kind == "Отчёт за год":
        found += [group.kind.report_title, initials(group.head)]  # «АНАЛИЗ ДЕЯТЕЛЬНОСТИ»
    return [words(typography.typeset(text).replace(typography.WJ, ""))  # as documents print
            for text in found]


def test_each_pdf_has_its_pages_size_and_requisites(built: Built) -> None:
    problems: list[str] = []
    landscape = 0
    for folder in group_folders(built.out):
        manifest = Manifest.read(folder)
        group = load_group(manifest.group["workbook"])
        for name, about in manifest.documents.items():
            if not name.endswith(".docx") or about.get("derived"):
                continue
            document = folder / name
            pdf = Pdf.read(document.with_suffix(".pdf"))
            where = f"{folder.name}/{name}"
            low, high = PAGES[about["document"]]
            if not low <= len(pdf.pages) <= high:
                problems.append(f"{where}: {len(pdf.pages)} pages, expected {low}-{high}")
            width, height = page_size(document)
            assert sorted((round(width), round(height))) == [595, 842], where  # A4 in the .docx
            landscape += width > height
            for n, (w, h) in enumerate(pdf.pages, start=1):
                if abs(w - width) > 1 or abs(h - height) > 1:
                    problems.append(f"{where}: page {n} is {w:.0f}×{h:.0f} pt, "
                                    f"not {width:.0f}×{height:.0f}")
            if not any(re.match(r"(TimesNewRoman|LiberationSerif)", f) for f in pdf.fonts):
                problems.append(f"{where}: no Times New Roman or Liberation Serif (metric "
                                f"twins) among its fonts {sorted(pdf.fonts)}: page breaks "
                                f"would differ from Word's")
            joined = re.sub(r"(\w)- (\w)", r"\1\2", pdf.text)  # a cell's hyphenation undone
            for requisite in expected_requisites(about["document"], about, group):
                if requisite not in pdf.text and requisite not in joined:
                    problems.append(f"{where}: «{requisite}» is not in the PDF")
            ours = re.findall(r"\w+", docx_text(document))
            theirs = set(re.findall(r"\w+", pdf.text))
            # A table cell hyphenates a long word: its first piece ends with «-».
            starts = {p for p in re.findall(r"(\w+)-(?!\w)", pdf.text) if len(p) > 1}
            lost = [w for w in ours if w not in theirs
                    and not any(w.startswith(p) for p in starts)]
            if len(lost) > max(3, len(ours) // 100):  # a word a table cell breaks is allowed
                problems.append(f"{where}: {len(lost)} of {len(ours)} words not in the PDF: "
                                f"{lost[:10]}")
    assert not problems, "\n".join(problems)
    assert landscape == 5 + 1  # every plan and the ГМО's technical task: their templates are


def test_the_bundle_is_every_document_in_order_each_from_a_new_page(built: Built) -> None:
    for folder in group_folders(built.out):
        manifest = Manifest.read(folder)
        documents, _ = build_documents(load_group(manifest.group["workbook"]))
        parts = [folder / f"{safe_name(d.file_stem)}.docx" for d in documents]  # built order
        bundle = docx.Document(str(folder / f"{BUNDLE}.docx"))
        texts = [p.text for p in bundle.paragraphs if p.text.strip()]
        expected = [p.text for part in parts for p in docx.Document(str(part)).paragraphs
                    if p.text.strip()]
        assert texts == expected, folder.name
        body = bundle.element.body
        breaks = body.xpath("./w:p/w:pPr/w:sectPr")
        assert len(breaks) == len(parts) - 1
        sections = bundle.sections
        assert [(s.page_width, s.page_height) for s in sections] == [
            (s.page_width, s.page_height) for s in (docx.Document(str(p)).sections[0]
                                                   for p in parts)]
        assert all(s._sectPr.xpath("./w:pgNumType/@w:start") == ["1"] for s in sections[1:])
        assert all(s.different_first_page_header_footer for s in sections)
        assert bundle.part.numbering_part.element.xpath("./w:abstractNum")
        pages = [len(PdfReader(p.with_suffix(".pdf")).pages) for p in parts]
        shown = Pdf.read(folder / f"{BUNDLE}.pdf")
        assert len(shown.pages) == sum(pages), folder.name  # nothing lost, no blank page
        first = 0
        for part, length in zip(parts, pages, strict=True):
            # to a hundredth of a point: a PDF cut from a combined one (issue 19) writes
            # 595.303937 where LibreOffice wrote 595.30393700787
            alone = Pdf.read(part.with_suffix(".pdf")).pages[0]
            assert shown.pages[first] == pytest.approx(alone, abs=0.01), part.name
            first += length


def test_the_registry_lists_documents_not_pdfs_or_bundles(built: Built) -> None:
    import openpyxl

    rows = list(openpyxl.load_workbook(built.out / YEAR / REGISTRY).active
                .iter_rows(values_only=True))
    assert len(rows) == 1 + 79  # 5 of them amendment orders
    assert all(str(row[7]).endswith(".docx") and BUNDLE not in str(row[7]) for row in rows[1:])


def test_a_rerun_does_not_convert_unchanged_documents(built: Built) -> None:
    pdfs = {p: p.stat().st_mtime_ns for p in (built.out / YEAR).glob("*/*.pdf")}
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(built.out), "--pdf",
                                      "--bundle"])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.splitlines()[-1] == (
        "PDF: записано 0; не переделаны 89 — их документы не менялись.")
    assert {p: p.stat().st_mtime_ns for p in pdfs} == pdfs


def test_blank_pdf(tmp_path: Path) -> None:
    require_soffice()
    result = CliRunner().invoke(cli, ["blank", "registration", "-o", str(tmp_path), "--pdf"])
    assert result.exit_code == 0, result.output + result.stderr
    pdf = Pdf.read(tmp_path / "Бланки" / "Лист регистрации.pdf")
    assert f"PDF: {tmp_path / 'Бланки' / 'Лист регистрации.pdf'}" in result.output
    assert all(abs(w - A4[0]) <= 1 and abs(h - A4[1]) <= 1 for w, h in pdf.pages)
    assert "ЛИСТ РЕГИСТРАЦИИ" in pdf.text
    assert ".docgen.json" in os.listdir(tmp_path / "Бланки")
    assert "Лист регистрации.pdf" in Manifest.read(tmp_path / "Бланки").files


def test_a_damaged_document_is_reported_and_the_others_converted(tmp_path: Path) -> None:
    """Real LibreOffice refuses a file that only looks like a .docx; the rest still convert."""
    require_soffice()
    from docgen.main import convert_to_pdf

    folder = tmp_path / "группа"
    folder.mkdir()
    good = []
    for n in range(3):
        doc = docx.Document()
        doc.add_paragraph(f"Документ номер {n + 1}")
        doc.save(str(folder / f"{n + 1}.docx"))
        good.append(folder / f"{n + 1}.docx")
    broken = folder / "2a.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = convert_to_pdf([good[0], good[1], broken, good[2]], jobs=1)
    assert [source for source, _ in result.failed] == [broken]
    assert "LibreOffice" in result.failed[0][1].message
    assert sorted(w.path.name for w in result.written) == ["1.pdf", "2.pdf", "3.pdf"]
    assert "Документ номер 3" in Pdf.read(folder / "3.pdf").text
    assert not (folder / "2a.pdf").exists()
    assert MANIFEST in os.listdir(folder)


def test_list_numbering_starts_again_in_each_document_of_a_bundle(tmp_path: Path) -> None:
    """A clerk's template may number a list with Word's numbering, not typed numbers."""
    require_soffice()
    from docgen.main import convert_to_pdf
    from docgen.output.bundle import compose

    parts = []
    for n, items in enumerate((["альфа", "бета"], ["гамма", "дельта", "эпсилон"])):
        doc = docx.Document()
        doc.add_paragraph(f"Документ {n + 1}")
        for item in items:
            doc.add_paragraph(item, style="List Number")
        doc.save(str(tmp_path / f"{n + 1}.docx"))
        parts.append(tmp_path / f"{n + 1}.docx")
    bundle = tmp_path / "комплект.docx"
    bundle.write_bytes(compose(parts))
    assert convert_to_pdf([bundle], jobs=1).ok
    text = Pdf.read(bundle.with_suffix(".pdf")).text
    assert "1. альфа 2. бета" in text
    assert "1. гамма 2. дельта 3. эпсилон" in text
