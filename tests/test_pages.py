"""The page check: every example document as LibreOffice lays it out, read back from the PDF.

Every .docx the five examples make is converted in one LibreOffice start (in a
temporary folder), and each PDF's text is taken with ``pdftotext``. A page fails
when a careful reader would send it back:

* a word in the PDF that is no word of the document: a word broken at the end of
  a line without a hyphen («взаимопосещени|е»), usually in a too narrow column;
* a page whose last line is a heading, or a line ending with «:» (it introduces
  what is on the next page);
* a signature block split from its name, or alone at the top of a page without
  the text it signs.

How a new document type gets covered: nothing to add here. The test takes every
.docx that ``docgen build data`` writes, so a new document type is checked as soon
as one example workbook (``data/examples.py``, then ``python data/make_examples.py``)
makes it. A signature is found by its shape (a borderless row: position, an empty
cell to sign in, «И.О. Фамилия»), a heading by its bold or heading style, so a new
template built with ``layout.Template`` needs nothing either.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import require_soffice

from docgen.language import typography
from docgen.main import build_workbook

DATA = Path(__file__).resolve().parent.parent / "data"
WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*-?")

# A true exception: (document name start, the line) that may end a page, and why.
PAGE_END_EXCEPTIONS: dict[tuple[str, str], str] = {}  # (file name, line): why


@dataclass
class Layout:
    """What the page check needs to know of one document, taken from its .docx."""

    words: set[str]
    headings: list[str]
    signatures: list[tuple[str, str]]  # (position, name)


def _text(element) -> str:
    from docx.oxml.ns import qn

    shown = {qn("w:br"): " ", qn("w:tab"): " "}
    text = "".join(shown.get(el.tag) or el.text or "" for el in element.iter(qn("w:t"), *shown))
    return " ".join(text.replace(typography.WJ, "").replace("\u00a0", " ").split())


def layout_of(path: Path) -> Layout:
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    body = doc.element.body
    heading_styles = {s.style_id for s in doc.styles
                      if s.name in ("Заголовок документа", "Заголовок раздела")}
    words: set[str] = set()
    headings: list[str] = []
    for p in body.iter(qn("w:p")):
        text = _text(p)
        for w in WORD.findall(text):
            words.add(w.lower())
            words.add(w.lower().replace("-", ""))  # «информационно-|методический»
            words.update(part.lower() for part in w.split("-") if part)
        if p.getparent() is not body or not text:
            continue
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        runs = [r for r in p.iter(qn("w:r")) if _text(r)]
        bold = bool(runs) and all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in runs)
        if bold or (style is not None and style.get(qn("w:val")) in heading_styles):
            headings.append(text)
    signatures = []
    for table in body.iter(qn("w:tbl")):
        for tr in table.iter(qn("w:tr")):
            cells = [_text(tc) for tc in tr.iter(qn("w:tc"))]
            if len(cells) == 3 and cells[0] and not cells[1] and cells[2] and \
                    re.search(r"[А-ЯЁ]\.[А-ЯЁ]\. [А-ЯЁ]", cells[2]):
                signatures.append((cells[0], cells[2]))
    return Layout(words, headings, signatures)


def pdf_pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines, as pdftotext lays them out (``-layout``: a table row
    is one line, its cells apart; a hyphen at a line's end is kept)."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = [[" ".join(line.split()) for line in page.splitlines() if line.strip()]
             for page in text.split("\f")]
    return [p for p in pages if p]


def broken_words(pages: list[list[str]], layout: Layout) -> list[str]:
    """Words of the PDF that the document does not have.

    A piece ending with a hyphen («конструк-», «дагогов-навигато-») must be part of
    a word of the document, and a piece without one that is no word must end one
    («тор»): the rest of a hyphenated word. What is left is a word broken without
    a hyphen («взаимопосещени»). pdftotext puts the cells of a table row on one
    line, so a word's pieces need not be on adjacent lines.
    """
    found = []
    for page in pages:
        for line in page:
            for token in WORD.findall(line):
                word = token.lower()
                if word in layout.words or word.strip("-").isdigit():
                    continue
                if word.endswith("-"):
                    if not any(word[:-1] in w for w in layout.words):
                        found.append(f"«{token}» в строке «{line}»")
                elif not any(w.endswith(word) for w in layout.words):
                    found.append(f"«{token}» в строке «{line}»")
    return found


def _is_heading_end(line: str, headings: list[str]) -> bool:
    """The line is a heading, or the last line of a long one."""
    return any(h == line or (len(line) >= 20 and h.endswith(line)) for h in headings)


def page_end_problems(name: str, pages: list[list[str]], layout: Layout) -> list[str]:
    found = []
    for number, page in enumerate(pages[:-1], start=1):
        last = page[-1]
        if (name, last) in PAGE_END_EXCEPTIONS:
            continue
        if last.endswith(":"):
            found.append(f"страница {number} кончается строкой с двоеточием: «{last}»")
        elif _is_heading_end(last, layout.headings):
            found.append(f"страница {number} кончается заголовком: «{last}»")
    # «С приказом ознакомлен(а)» refers to the order: on the page of its signature, its date
    # line with it (issue 27)
    for n, page in enumerate(pages):
        lines = [line for line in page if not re.fullmatch(r"\d+", line)]
        for i, line in enumerate(lines):
            if line.startswith("С приказом ознакомлен"):
                signers = {person for _, person in layout.signatures}
                if not any(person in above for above in lines[max(0, i - 3):i]
                           for person in signers):
                    found.append(f"«{line}» на странице {n + 1} отделено от подписи приказа")
                if not any(rest.startswith("«____»") for rest in lines[i + 1:]):
                    found.append(f"у «{line}» на странице {n + 1} нет строки даты")
    keys = [" ".join(position.split()[:2]) for position, _ in layout.signatures]
    for (_, person), key in zip(layout.signatures, keys, strict=True):
        for n, page in enumerate(pages):
            # a signature row has no colon; «Председатель методического совета: …» in a
            # report's text is not one
            starts = [i for i, line in enumerate(page) if line.startswith(key)
                      and ":" not in line]
            if not starts:
                continue
            i = starts[0]
            if not any(person in line for line in page[i:i + 3]):
                found.append(f"подпись «{key}» на странице {n + 1} отделена от «{person}»")
            before = [line for line in page[:i] if not re.fullmatch(r"\d+", line)
                      and not any(line.startswith(k) for k in keys)]
            if not before:
                found.append(f"подпись «{person}» одна на странице {n + 1}, без текста")
    return found


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    """(docx, pdf) of every document of every example: one LibreOffice start."""
    require_soffice()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is not installed")
    from docgen.pdf.convert import convert, find_soffice

    root = tmp_path_factory.mktemp("pages")
    for book in sorted(DATA.glob("*.xlsx")):
        result = build_workbook(book, root / "out")
        assert result.ok, book
    docs = sorted((root / "out").rglob("*.docx"))
    assert len(docs) > 60
    pdfs = root / "pdf"
    pdfs.mkdir()
    pairs = []
    for chunk in convert(docs, find_soffice(), instances=1, chunk_size=len(docs)):
        for converted in chunk:
            assert converted.pdf is not None, (converted.source, converted.error)
            target = pdfs / f"{len(pairs):03d}.pdf"
            shutil.move(converted.pdf, target)
            pairs.append((converted.source, target))
    return pairs


@pytest.mark.slow
@pytest.mark.xdist_group("pages")  # one worker converts the examples once
def test_no_word_is_broken_without_a_hyphen(example_pdfs: list[tuple[Path, Path]]) -> None:
    problems = [f"{docx.name}: {p}" for docx, pdf in example_pdfs
                for p in broken_words(pdf_pages(pdf), layout_of(docx))]
    assert problems == []


@pytest.mark.slow
@pytest.mark.xdist_group("pages")  # one worker converts the examples once
def test_no_page_ends_with_a_heading_or_a_colon_nor_strands_a_signature(
        example_pdfs: list[tuple[Path, Path]]) -> None:
    problems = [f"{docx.name}: {p}" for docx, pdf in example_pdfs
                for p in page_end_problems(docx.name, pdf_pages(pdf), layout_of(docx))]
    assert problems == []


# --- the checks can fail: pages made to break each rule ---------------------------

LAYOUT = Layout(words={"взаимопосещение", "занятий", "семинар-практикум", "семинар",
                       "практикум", "решили", "секретарь", "п", "а", "гусь", "текст"},
                headings=["РЕШИЛИ:", "1. Общие положения"],
                signatures=[("Секретарь", "П.А. Гусь")])


def test_a_word_broken_without_a_hyphen_is_found() -> None:
    pages = [["взаимопосещени", "е занятий"]]
    assert broken_words(pages, LAYOUT) == ["«взаимопосещени» в строке «взаимопосещени»"]


def test_a_word_broken_with_a_hyphen_or_at_its_own_hyphen_passes() -> None:
    assert broken_words([["взаимопо-", "сещение занятий", "семинар-", "практикум"]],
                        LAYOUT) == []


def test_a_page_ending_with_a_heading_or_a_colon_is_found() -> None:
    assert "кончается строкой с двоеточием" in page_end_problems(
        "05 Протокол", [["текст", "РЕШИЛИ:"], ["текст"]], LAYOUT)[0]
    assert "кончается заголовком" in page_end_problems(
        "04 Положение", [["текст", "1. Общие положения"], ["текст"]], LAYOUT)[0]


def test_a_signature_alone_on_a_page_is_found() -> None:
    problems = page_end_problems("05 Протокол", [["текст"], ["2", "Секретарь П.А. Гусь"]],
                                 LAYOUT)
    assert problems == ["подпись «П.А. Гусь» одна на странице 2, без текста"]
    split = page_end_problems("05 Протокол", [["текст", "Секретарь"], ["2", "текст",
                                                                      "П.А. Гусь"]], LAYOUT)
    assert split == ["подпись «Секретарь» на странице 1 отделена от «П.А. Гусь»"]


def test_an_acknowledgement_apart_from_its_order_is_found() -> None:
    """Issue 27: «С приказом ознакомлен» alone on a page, or its date line on the next."""
    layout = Layout(words=set(), headings=[], signatures=[
        ("Директор МКУ ИМЦ", "Н.В. Соколова"), ("Учитель", "О.В. Шевченко")])
    apart = [["3. Контроль …", "Директор МКУ ИМЦ Н.В. Соколова"],
             ["2", "С приказом ознакомлена:", "Учитель О.В. Шевченко", "«____» ____ 20___ г."]]
    assert any("отделено от подписи" in p for p in page_end_problems("x", apart, layout))
    dateless = [["Директор МКУ ИМЦ Н.В. Соколова", "С приказом ознакомлена:",
                 "Учитель О.В. Шевченко"], ["«____» ____ 20___ г."]]
    assert any("нет строки даты" in p for p in page_end_problems("x", dateless, layout))
    together = [["3. Контроль …", "Директор МКУ ИМЦ Н.В. Соколова", "С приказом ознакомлена:",
                 "Учитель О.В. Шевченко", "«____» ____ 20___ г."]]
    assert page_end_problems("x", together, layout) == []
