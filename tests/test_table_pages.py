"""A table's «Итого» row is never alone on a page: it keeps the last item's row with it.

A methodologist sends back a report with a page that holds nothing but a table's
repeated header and its «Итого». The templates (``templates/source/layout.py``,
``paginate``) set what a typesetter would: the header row repeated on every page
(``tblHeader``), no row split across pages (``cantSplit``), and «keep with next» on
the paragraphs of the last item's row only (through ``loop.last``), so Word and
LibreOffice carry that row over with «Итого»; a long table stays breakable.

The fast tests read the properties in the rendered .docx of every example document
and of the year's summary («Сводный отчёт», whose tables end with «Всего»); the slow
ones lay reports and summaries out in LibreOffice with a table's tail at a page break
and read the pages back with ``pdftotext``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import runpy
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import require_soffice
from docx.oxml.ns import qn

from docgen.content.documents import build_documents
from docgen.main import load_group
from docgen.templating import compiled, find_template, pictures_from
from docgen.workbook.blank import write_workbook

DATA = Path(__file__).resolve().parent.parent / "data"
# the examples' source by its path: «data» as a package would be tests/data when this file
# runs alone (pytest puts tests/ first on the path)
EXAMPLES = runpy.run_path(str(DATA / "examples.py"))["EXAMPLES"]
NETWORK = "okhrozavodsk-setevaya.xlsx"  # the example whose report has a table of events
TOTAL = "Итого"


# --------------------------------------------------------------------------- the .docx


def _text(element) -> str:
    """The text of an element, its paragraphs (a row's cells) apart."""
    return " ".join(" ".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                             for p in element.iter(qn("w:p"))).split())


def _has(row, path: str) -> bool:
    return row.find(path) is not None


def _kept(row) -> bool:
    """Word keeps a row with the next one when every paragraph in it is «keep with next»."""
    paragraphs = list(row.iter(qn("w:p")))
    return bool(paragraphs) and all(
        p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in paragraphs)


def _is_total(text: str) -> bool:
    """«Итого» (a group's report) or «Всего» (the year's summary), not «Итоговое …»."""
    return text.split()[:1] in ([TOTAL], ["Всего"])


def _keeps_any(row) -> bool:
    return any(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
               for p in row.iter(qn("w:p")))


def table_problems(body) -> list[str]:
    """What a typesetter would fix in the item tables (those with a header row) of a body."""
    found = []
    for number, table in enumerate(body.iter(qn("w:tbl")), start=1):
        rows = table.findall(qn("w:tr"))
        header = [_has(tr, f"{qn('w:trPr')}/{qn('w:tblHeader')}") for tr in rows]
        if not any(header):
            continue  # signatures, requisites: no items, nothing to repeat
        where = f"таблица {number} («{_text(rows[0])}»)"
        if not header[0]:
            found.append(f"{where}: шапка не в первой строке")
        split = [i + 1 for i, tr in enumerate(rows)
                 if not _has(tr, f"{qn('w:trPr')}/{qn('w:cantSplit')}")]
        if split:
            found.append(f"{where}: строки {split} могут разорваться между страницами")
        totals = [i for i, tr in enumerate(rows) if _is_total(_text(tr))]
        items = [i for i, is_header in enumerate(header) if not is_header and i not in totals]
        should_keep = {i - 1 for i in totals if i - 1 in items}
        for i in totals:
            if i - 1 not in should_keep:
                found.append(f"{where}: перед «{TOTAL}» нет строки данных")
        for i in items:
            if i in should_keep and not _kept(rows[i]):
                found.append(f"{where}: строка {i + 1} перед «{TOTAL}» не держится с ним")
            elif i not in should_keep and _keeps_any(rows[i]):
                found.append(f"{where}: строка {i + 1} держится со следующей")
    return found


def document_body(package: bytes):
    return docx.Document(io.BytesIO(package)).element.body


def render(workbook: Path) -> list[tuple[str, bytes]]:
    """Every document of a workbook as ``docgen build`` renders it (charts included):
    (its document id, the .docx)."""
    group = load_group(workbook)
    rendered = []
    with pictures_from(workbook.parent):
        for d in build_documents(group)[0]:
            package = compiled(find_template(d.doc_id, d.kind_id)).render(d.context)
            rendered.append((d.doc_id, package))
    return rendered


def network_workbook(folder: Path, events: int = 3, members: int = 0) -> Path:
    """The network group's example with ``events`` events (their photos left out) and
    ``members`` more members, each from an organization of their own."""
    content = copy.deepcopy(EXAMPLES[NETWORK])
    base = content["Мероприятия"]
    rows = []
    for i in range(events):
        row = {k: v for k, v in base[i % len(base)].items() if k != "Фото"}
        row.update({"№": i + 1, "Дата": dt.date(2025, 10, 1) + dt.timedelta(days=3 * i),
                    "Название": f"{row['Название']} ({i + 1})"})
        rows.append(row)
    content["Мероприятия"] = rows
    last = content["Участники"][-1]
    if members:  # the protocols name who was absent of the example's members only
        for meeting in content["Заседания"]:
            meeting.pop("Отсутствовали", None)
    for i in range(members):
        school = f"МКОУ «Школа № {i + 10}»"
        content["Участники"].append({
            **last, "Фамилия": "Иванова" + "абвгдежзиклмнопрстуфхцчшщэюя"[i % 28] * (1 + i // 28),
            "Организация": school, "Роль": "участник", "Эл. почта": f"x{i}@mail.ru"})
        content["Организации"].append({
            "Краткое наименование": school, "Полное наименование":
                f"Муниципальное казённое общеобразовательное учреждение «Школа № {i + 10}»"})
    return write_workbook(folder / f"group-{events}-{members}.xlsx", content)


def annual_report(folder: Path, events: int = 3, members: int = 0) -> bytes:
    return next(package for doc_id, package in render(network_workbook(folder, events, members))
                if doc_id == "annual_report")


# --------------------------------------------------------------------------- fast checks


def test_every_example_document_sets_its_tables_as_a_typesetter_would() -> None:
    checked = totals = 0
    for workbook in sorted(DATA.glob("*.xlsx")):
        for doc_id, package in render(workbook):
            body = document_body(package)
            assert table_problems(body) == [], (workbook.name, doc_id)
            checked += 1
            totals += sum(_is_total(_text(tr)) for tr in body.iter(qn("w:tr")))
    assert checked > 70
    assert totals >= 11  # every report: organizations, categories; the networks: events


def test_the_years_summary_sets_its_tables_as_a_typesetter_would(tmp_path: Path) -> None:
    """«Сводный отчёт»: a table per figure, each with «Всего» (a centre's may be pages long)."""
    from docgen.main import build_workbook
    from docgen.output.summary import write_summary

    for workbook in sorted(DATA.glob("*.xlsx")):
        assert build_workbook(workbook, tmp_path).ok
    (year,) = [folder for folder in tmp_path.iterdir() if folder.is_dir()]
    report = next(path for path in write_summary(year) if path.suffix == ".docx")
    body = docx.Document(str(report)).element.body
    assert table_problems(body) == []
    totals = [tr for tr in body.iter(qn("w:tr")) if _is_total(_text(tr))]
    assert len(totals) == 5
    assert all(_kept(tr.getprevious()) and not _keeps_any(tr) for tr in totals)


@pytest.mark.parametrize("events", [1, 2, 30])
def test_only_the_row_before_the_total_is_kept_with_it(tmp_path: Path, events: int) -> None:
    body = document_body(annual_report(tmp_path, events))
    assert table_problems(body) == []
    tables = [t for t in body.iter(qn("w:tbl")) if _text(t).startswith("№ Мероприятие")]
    assert len(tables) == 1
    rows = tables[0].findall(qn("w:tr"))
    assert len(rows) == events + 2  # the header, the events, «Итого»
    assert [i for i, tr in enumerate(rows) if _keeps_any(tr)] == [events]
    assert _kept(rows[events]) and _text(rows[events]).startswith(f"{events} ")
    assert _is_total(_text(rows[-1]))
    assert all(_has(tr, f"{qn('w:trPr')}/{qn('w:cantSplit')}") for tr in rows)
    assert _has(rows[0], f"{qn('w:trPr')}/{qn('w:tblHeader')}")


def _table(rows: list[str], *, header: bool = True, cant_split: bool = True,
           kept: tuple[int, ...] = ()):
    """A rendered item table of one column: a header row, then ``rows``."""
    document = docx.Document()
    table = document.add_table(rows=len(rows) + 1, cols=1)
    for i, text in enumerate(["Организация", *rows]):
        table.cell(i, 0).text = text
        tr = table.rows[i]._tr
        if cant_split:
            tr.get_or_add_trPr().append(tr.makeelement(qn("w:cantSplit"), {}))
        if i == 0 and header:
            tr.get_or_add_trPr().append(tr.makeelement(qn("w:tblHeader"), {}))
        if i in kept:
            table.cell(i, 0).paragraphs[0].paragraph_format.keep_with_next = True
    return document.element.body


@pytest.mark.parametrize(("body", "problem"), [
    (_table(["А", "Б", "Итого 2"]), "строка 3 перед «Итого» не держится с ним"),
    (_table(["А", "Б", "Итого 2"], kept=(1, 2)), "строка 2 держится со следующей"),
    (_table(["Итого 0"]), "перед «Итого» нет строки данных"),
    (_table(["А", "Б"], kept=(1,)), "строка 2 держится со следующей"),
    (_table(["А", "Итого 1"], kept=(1,), cant_split=False), "могут разорваться"),
])
def test_the_table_check_can_fail(body, problem: str) -> None:
    assert any(problem in p for p in table_problems(body)), table_problems(body)


def test_a_well_set_table_passes_the_check() -> None:
    assert table_problems(_table(["А", "Б", "Итого 2"], kept=(2,))) == []
    assert table_problems(_table(["А", "Б"])) == []


# --------------------------------------------------------------------------- the pages


def pdf_pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines as ``pdftotext -layout`` gives them (a row a line)."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()]
            for page in text.split("\f")]


def header_words(package: bytes) -> set[str]:
    body = document_body(package)
    return {word for tr in body.iter(qn("w:tr"))
            if _has(tr, f"{qn('w:trPr')}/{qn('w:tblHeader')}") for word in _text(tr).split()}


def lone_totals(pages: list[list[str]], header: set[str]) -> list[str]:
    """Pages on which «Итого» has nothing before it but the page number and a header."""
    found = []
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page if not re.fullmatch(r"\d+", line)]
        for i, line in enumerate(lines):
            if _is_total(line):
                if all(set(before.split()) <= header for before in lines[:i]):
                    found.append(f"страница {number}: {' / '.join(lines[:i + 1])}")
                break
    return found


def test_a_lone_total_is_found() -> None:
    header = {"№", "Мероприятие", "Дата", "Форма", "Участников"}
    pages = [["текст", "№ Мероприятие Дата Форма Участников", "1 Семинар 01.10.2025 семинар 5"],
             ["2", "№ Мероприятие Дата Форма Участников", "Итого 5", "5. Продукты"]]
    assert lone_totals(pages, header) == [
        "страница 2: № Мероприятие Дата Форма Участников / Итого 5"]
    pages[1].insert(2, "1 Семинар 01.10.2025 семинар 5")
    assert lone_totals(pages, header) == []


def _without_row_keeps(package: bytes) -> bytes:
    """The report as the templates made it before: no «keep with next» in any table."""
    source = zipfile.ZipFile(io.BytesIO(package))
    xml = source.read("word/document.xml").decode("utf-8")

    def strip(table: re.Match[str]) -> str:
        return table[0].replace("<w:keepNext/>", "")

    xml = re.sub(r"<w:tbl>.*?</w:tbl>", strip, xml, flags=re.S)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml.encode("utf-8") if info.filename == "word/document.xml" \
                else source.read(info.filename)
            target.writestr(info, data)
    return out.getvalue()


def laid_out_twice(folder: Path, packages: dict[str, bytes]) -> dict[str, list[str]]:
    """Each document laid out by LibreOffice as it is and without its rows' «keep with
    next» (as before): the lone totals of the «before-…» copies; none in the others."""
    require_soffice()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is not installed")
    from docgen.pdf.convert import convert, find_soffice

    header: set[str] = set()
    paths = []
    for name, package in packages.items():
        header |= header_words(package)
        for way, data in (("kept", package), ("before", _without_row_keeps(package))):
            paths.append(folder / f"{way}-{name}.docx")
            paths[-1].write_bytes(data)
    pages: dict[str, list[list[str]]] = {}
    for chunk in convert(paths, find_soffice(), instances=1, chunk_size=len(paths),
                         combine=False):
        for converted in chunk:
            assert converted.pdf is not None, (converted.source, converted.error)
            pages[converted.source.stem] = pdf_pages(converted.pdf)
    lone = {name: lone_totals(p, header) for name, p in pages.items()}
    assert {name: found for name, found in lone.items() if name.startswith("kept")
            and found} == {}
    before = {name: found for name, found in lone.items() if name.startswith("before") and found}
    for name in before:  # the same document now: the row before the total went over with it
        kept = pages[name.replace("before", "kept")]
        page = int(before[name][0].split()[1].rstrip(":")) - 1
        lines = [line for line in kept[page] if not re.fullmatch(r"\d+", line)]
        total = next(i for i, line in enumerate(lines) if _is_total(line))
        assert total >= 2 and not set(lines[total - 1].split()) <= header, (name, lines)
    return before


def _tables(before: dict[str, list[str]]) -> set[str]:
    """The first word of each lone total's header: which tables met the page break."""
    return {found[0].split(": ", 1)[1].split()[0] for found in before.values()}


# Where the tables' tails met a page break in LibreOffice 7.4 with the fonts of .ci/run:
# the events table at 13 and 30 events, the categories' and the organizations' tables at
# 19 and 27 more members (each range has room for the layout to drift a little).
GROWN = [*((n, 0) for n in (*range(11, 16), *range(28, 33))),
         *((3, n) for n in (*range(17, 22), *range(25, 30)))]


@pytest.mark.slow
def test_no_page_holds_only_the_header_and_the_total(tmp_path: Path) -> None:
    """Reports grown until a table's tail falls at a page break, laid out by LibreOffice.

    The same reports without the rows' «keep with next» (as the templates were) must
    show the lone «Итого», or the ranges no longer reach the page break (other fonts,
    another layout) and must be moved.
    """
    before = laid_out_twice(tmp_path, {f"{events:02d}-{members:02d}":
                                       annual_report(tmp_path, events, members)
                                       for events, members in GROWN})
    assert _tables(before) >= {"№", "Категория", "Организация"}, before


@pytest.mark.slow
def test_no_page_of_the_years_summary_holds_only_the_header_and_the_total(
        tmp_path: Path) -> None:
    """«Сводный отчёт» of 6–17 and 27–32 groups (the examples' figures, repeated): without
    the keeps «Всего» meets a page's top at 6 (members, events), 16 (meetings) and 28
    (products). (The counts move with the layout: the service's name over the title and
    the conclusions section moved them from 9, 17 and 37, the sentence on the regulations'
    minimum of meetings from 13 and 31.)"""
    from docgen.main import build_workbook
    from docgen.output.summary import report_bytes, year_figures

    for workbook in sorted(DATA.glob("*.xlsx")):
        assert build_workbook(workbook, tmp_path / "out").ok
    (year,) = list((tmp_path / "out").iterdir())
    groups = year_figures(year)
    reports = {}
    for count in (*range(6, 18), *range(27, 33)):
        grown = [{**groups[i % len(groups)], "title": f"{groups[i % len(groups)]['title']} {i}"}
                 for i in range(count)]
        reports[f"{count:02d}"] = report_bytes(grown, dt.datetime(2025, 9, 1))
    before = laid_out_twice(tmp_path, reports)
    assert _tables(before) >= {"Объединение", "Вид"}, before
