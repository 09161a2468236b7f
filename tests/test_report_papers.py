"""Issue 27's reports and Russian, read in the built documents: the ГМО's report against
its ТЗ, the event report's date and appendix, photo captions, names never hyphenated,
headings without a lone last word, pymorphy3 loaded only when a title needs it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import docx_text, python_output, require_soffice
from docx.oxml.ns import qn

from docgen.main import build_workbook, check_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GMO = DATA / "izhevsk-gmo.xlsx"
NETWORK = DATA / "okhrozavodsk-setevaya.xlsx"

pytestmark = pytest.mark.xdist_group("report-papers")


def _written(result, start: str) -> list[Path]:
    return [w.path for w in result.written if w.path.name.startswith(start)
            or start in w.path.name]


@pytest.fixture(scope="module")
def gmo(tmp_path_factory: pytest.TempPathFactory):
    return build_workbook(GMO, tmp_path_factory.mktemp("gmo"))


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory):
    return build_workbook(NETWORK, tmp_path_factory.mktemp("network"))


def _annual(result) -> Path:
    return next(w.path for w in result.written if w.document.doc_id == "annual_report")


def _events(result) -> list[Path]:
    return sorted(w.path for w in result.written if w.document.doc_id == "event_report")


# --- the ГМО's report against its ТЗ ----------------------------------------------------


def test_gmo_report_sets_each_tz_indicator_against_what_was_reached(gmo) -> None:
    doc = docx.Document(str(_annual(gmo)))
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Достигнуто")
    rows = [[c.text.replace("\xa0", " ") for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 5
    assert "не менее 70 % участников ГМО используют конструктор уроков" in rows[0][2]
    assert "конструктор уроков используют 10 из 12 участников ГМО (83 %)" in rows[0][3]


def test_a_tz_indicator_without_reached_is_a_blank_and_a_warning(tmp_path: Path) -> None:
    book = tmp_path / "gmo.xlsx"
    shutil.copy(GMO, book)
    for folder in GMO.with_suffix("").iterdir() if GMO.with_suffix("").is_dir() else []:
        shutil.copytree(folder, tmp_path / GMO.stem / folder.name)
    wb = openpyxl.load_workbook(book)
    ws = wb["Техническое задание"]
    column = next(c.column for c in ws[1] if c.value == "Достигнуто")
    ws.cell(row=2, column=column).value = None
    wb.save(book)
    check = check_workbook(book)
    assert any("Достигнуто" in p.message and "Техническое задание" in p.format()
               for p in check.problems if not p.is_error), check.problems
    result = build_workbook(book, tmp_path / "out")
    doc = docx.Document(str(_annual(result)))
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Достигнуто")
    assert table.rows[1].cells[3].text == "________"


# --- the event report ---------------------------------------------------------------------


def test_event_report_carries_its_own_date_line(network) -> None:
    for path in _events(network):
        text = docx_text(path)
        head = text.split("к отчёту о проведении")[0]
        assert re.search(r"«____» ____________ 20\d\d г\.", head), path.name


def test_a_single_appendix_is_not_numbered(network, tmp_path: Path) -> None:
    """ГОСТ Р 7.0.97: «Приложение» alone when there is one; «№ 1», «№ 2» when two."""
    for path in _events(network):  # every example event has photos: two appendices
        text = docx_text(path)
        assert "Приложение № 1" in text and "Приложение № 2" in text
    book = tmp_path / NETWORK.name
    shutil.copy(NETWORK, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["Мероприятия"]
    column = next(c.column for c in ws[1] if c.value == "Фото")
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=column).value = None
    wb.save(book)
    result = build_workbook(book, tmp_path / "out")
    assert result.ok
    for path in _events(result):
        text = docx_text(path)
        assert "Приложение № " not in text, path.name
        assert "\nПриложение\n" in text, path.name


def test_photo_captions_carry_the_event_name_when_the_file_name_says_nothing(gmo) -> None:
    """data/izhevsk-gmo/мастер-класс holds «фото1.jpg»…: the caption is the event's name."""
    path = next(p for p in _events(gmo) if "мастер-класс" in p.name.lower())
    captions = [line for line in docx_text(path).splitlines() if line.startswith("Рисунок")]
    assert captions and all(" – " in c for c in captions), captions
    assert all("Городской мастер-класс" in c for c in captions), captions


# --- names never hyphenated, headings without a lone word --------------------------------


def _suppressed(paragraph) -> bool:
    ppr = paragraph._p.pPr
    found = ppr.find(qn("w:suppressAutoHyphens")) if ppr is not None else None
    return found is not None and found.get(qn("w:val")) in (None, "1", "true")


def test_name_cells_are_never_hyphenated(gmo) -> None:
    """Every table cell holding a member's name or an organisation suppresses automatic
    hyphenation (the cell style allows it for long words elsewhere)."""
    order = next(w.path for w in gmo.written if w.document.doc_id == "order_open")
    doc = docx.Document(str(order))
    cells = [c for t in doc.tables for r in t.rows for c in r.cells
             if "Перевощикова" in c.text or "Геннадьевна" in c.text]
    assert cells
    assert all(_suppressed(p) for c in cells for p in c.paragraphs if p.text)
    annual = docx.Document(str(_annual(gmo)))
    orgs = next(t for t in annual.tables if t.rows[0].cells[0].text == "Организация")
    assert all(_suppressed(r.cells[0].paragraphs[0]) for r in orgs.rows[1:-1])


def test_report_title_keeps_its_last_two_words_together(network) -> None:
    doc = docx.Document(str(_annual(network)))
    title = next(p.text for p in doc.paragraphs if p.text.startswith("о деятельности"))
    assert title.endswith("сетевой\u00a0формат»"), repr(title)


# --- pymorphy3 only when needed -----------------------------------------------------------


def test_the_cli_does_not_load_pymorphy3() -> None:
    code = ("import sys, docgen.cli, docgen.language.russian; "
            "print('pymorphy3' in sys.modules)")
    assert python_output(code).strip() == "False"


# --- LibreOffice pages ----------------------------------------------------------------------


@pytest.mark.slow
def test_names_are_whole_on_the_pdf_pages(gmo, tmp_path: Path) -> None:
    """No «Ген-/надьевна»: the order's состав and the report's organisations as LibreOffice
    lays them out, with the hyphenation that narrow cells would otherwise get."""
    require_soffice()
    from pypdf import PdfReader

    from docgen.main import convert_to_pdf

    copies = []
    for doc_id in ("order_open", "annual_report"):
        source = next(w.path for w in gmo.written if w.document.doc_id == doc_id)
        copy = tmp_path / f"{doc_id}.docx"
        shutil.copy(source, copy)
        copies.append(copy)
    result = convert_to_pdf(copies, jobs=1)
    assert result.ok
    names = {"Геннадьевна", "Перевощикова", "Эдуардович", "Ильдаровна", "Вахрушев"}
    for written in result.written:
        text = "\n".join(page.extract_text() for page in PdfReader(str(written.path)).pages)
        for name in names:
            for cut in range(2, len(name) - 1):
                assert f"{name[:cut]}-\n{name[cut:]}" not in text, (written.path.name, name)
        # a list of authors never wraps before its comma («Перевощикова / , М.И. Ушакова»)
        assert not re.search(r"^\s*,", text, re.M), written.path.name


def test_summary_group_names_are_never_hyphenated(tmp_path: Path) -> None:
    """The summary's first column holds the groups' names: no «Маленькие инже-/неры»."""
    from docgen.main import write_summaries

    out = tmp_path / "out"
    written = write_summaries([build_workbook(DATA / "amursk-tvorcheskaya.xlsx", out),
                               build_workbook(NETWORK, out)])
    report = next(p for p in written if p.suffix == ".docx")
    doc = docx.Document(str(report))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Объединение")
    assert all(_suppressed(r.cells[0].paragraphs[0]) for r in table.rows[1:])


def test_a_plan_meeting_without_a_mark_takes_its_status_from_the_protocol(
        tmp_path: Path) -> None:
    """ТГ's «Итоговое заседание» (май 2026) has no mark; meeting 5 of 20.05.2026 has its
    attendance, so its protocol exists: the report says it was held, and counts it done."""
    result = build_workbook(DATA / "amursk-tvorcheskaya.xlsx", tmp_path)
    text = docx_text(_annual(result))
    assert "выполнено – 9, не выполнено – 1." in text
    assert "без отметки" not in text.lower()
    assert ("По протоколам заседаний:\n– Итоговое заседание: анализ работы группы, презентация "
            "методических рекомендаций – проведено (протокол от 20.05.2026 № 5).") in text
