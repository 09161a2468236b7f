"""«Реестр документов.xlsx»: every document of a school year, for the centre to filter.

The registry is made from the manifests (``.docgen.json``) of the group folders
in a year folder, not from one run's results: building one group after another,
or the whole centre at once, gives the same complete list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.output import DERIVED, MANIFEST, GroupFolder, Manifest

REGISTRY = "Реестр документов.xlsx"
HEADERS = ("№", "Группа", "Вид объединения", "Документ", "Наименование", "Номер", "Дата",
           "Файл", "Примечание")
WIDTHS = (6, 40, 28, 30, 60, 10, 12, 70, 22)
EDITED = "изменён вручную"
MISSING = "файла нет в папке"


@dataclass(frozen=True)
class Entry:
    """One document of the registry."""

    group: str
    kind: str
    document: str
    title: str
    number: str
    date: dt.date | None
    file: str  # relative to the year folder, «/»-separated
    note: str


def entries(year: Path) -> list[Entry]:
    """Every document the group folders' manifests record, group by group."""
    found: list[Entry] = []
    folders = sorted((p for p in year.iterdir() if (p / MANIFEST).is_file()),
                     key=lambda p: p.name.casefold())
    for folder in folders:
        manifest = Manifest.read(folder)
        group = manifest.group.get("name") or folder.name
        kind = manifest.group.get("kind", "")
        for name in sorted(manifest.files, key=str.casefold):
            about = manifest.documents.get(name, {})
            if about.get(DERIVED):  # a PDF or the bundle: the document is listed already
                continue
            path = folder / name
            try:
                note = "" if manifest.unchanged(path) else EDITED
            except OSError:
                note = MISSING
            date = about.get("date", "")
            found.append(Entry(group, kind, about.get("document", ""),
                               about.get("title", Path(name).stem), about.get("number", ""),
                               dt.date.fromisoformat(date) if date else None,
                               f"{folder.name}/{name}", note))
    return found


def registry_bytes(year: Path, rows: list[Entry]) -> bytes:
    """The registry workbook: a filterable table and a sheet of totals per group.

    Built as strings by ``xlsx_write`` (a centre's year has thousands of rows,
    written in one process at the end of a batch) with exactly the bytes
    openpyxl's write-only mode gave it before: the tests compare the two.
    A text Excel cannot hold (a control character in a hand-edited
    ``.docgen.json``) is an ``OutputError`` naming the group folder and the file.
    """
    from docgen import xlsx_write as x
    from docgen.xlsx_theme import THEME

    linked = [(n, e.file) for n, e in enumerate(rows, start=2) if e.note != MISSING]
    formats = (["yyyy-mm-dd", "DD.MM.YYYY"] if rows and rows[0].date is not None
               else ["DD.MM.YYYY", "yyyy-mm-dd"] if any(e.date is not None for e in rows)
               else ["DD.MM.YYYY"] if rows else [])
    fonts = ["<font><b val=\"1\"/></font>"]
    xfs = [x.cell_format(font=1, alignment='<alignment vertical="center" wrapText="1"/>')]
    if rows:  # the dates' format, then the links' blue underlined font, as openpyxl met them
        xfs.append(x.cell_format(number_format=164 + formats.index("DD.MM.YYYY")))
    if linked:
        fonts.append('<font><color rgb="000563C1"/><u val="single"/></font>')
        xfs.append(x.cell_format(font=2))
    xfs.append(x.cell_format(font=1))  # «Всего»
    bold = f' s="{len(xfs)}"'

    table = _table(rows, linked)
    links, links_rels = x.hyperlinks([f"H{n}" for n, _ in linked], [f for _, f in linked])
    last = f"I{len(rows) + 1}"
    top = ('<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/>'
           f"</sheetPr>{_FROZEN}{x.columns(WIDTHS)}")
    tail = (f'<autoFilter ref="A1:{last}"/>{links}{_MARGINS}<pageSetup orientation="landscape" '
            'paperSize="9" fitToHeight="0" fitToWidth="1"/>')
    first = x.worksheet(top, table, tail)
    totals = _totals(rows, bold)
    second = x.worksheet('<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
                         f"</sheetPr>{_FROZEN}{x.columns((40, 28, 12, 18))}", totals, _MARGINS)
    title = f"Реестр документов, {year.name}"
    core = x.core_properties(title, "docgen", _year_start(year.name))
    if any(x.ILLEGAL.search(part) for part in (first, second, links_rels, core)):
        raise _unwritable(year, rows)
    sheet = "Реестр документов"
    names = (f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
             f"'{sheet}'!$A$1:$I${len(rows) + 1}</definedName>"
             f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
             f"'{sheet}'!$1:$1</definedName>")
    mode, memory = x.sheet_file_mode(), x.MEMORY_FILE_MODE
    parts = [("docProps/app.xml", x.APP.encode(), memory),
             ("docProps/core.xml", core.encode(), memory),
             ("xl/theme/theme1.xml", THEME.encode(), memory),
             ("xl/worksheets/sheet1.xml", first.encode("ascii", "xmlcharrefreplace"), mode)]
    if links_rels:
        parts.append(("xl/worksheets/_rels/sheet1.xml.rels", links_rels.encode(), memory))
    parts += [("xl/worksheets/sheet2.xml", second.encode("ascii", "xmlcharrefreplace"), mode),
              ("xl/styles.xml", x.stylesheet(formats, fonts, xfs).encode(), memory),
              ("_rels/.rels", x.ROOT_RELS.encode(), memory),
              ("xl/workbook.xml", x.workbook([sheet, "Группы"], names).encode(), memory),
              ("xl/_rels/workbook.xml.rels", x.workbook_rels(2).encode(), memory),
              ("[Content_Types].xml", x.content_types(2).encode(), memory)]
    return x.package(parts)


_FROZEN = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
           'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
           'activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
           '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
_MARGINS = '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'


def _header(titles: tuple[str, ...]) -> str:
    """Row 1: bold wrapped titles (cell format 1)."""
    from docgen.errors import column_letter
    from docgen.xlsx_write import string_cell

    return '<row r="1">' + "".join(string_cell(f"{column_letter(i)}1", title, ' s="1"')
                                   for i, title in enumerate(titles, start=1)) + "</row>"


def _table(rows: list[Entry], linked: list[tuple[int, str]]) -> str:
    """The rows of «Реестр документов»: one per document, the file linked unless missing."""
    from docgen.xlsx_write import date_cell, number_cell, string_cell

    link = ' s="3"' if linked else ""
    out = [_header(HEADERS)]
    append = out.append
    for r, entry in enumerate(rows, start=2):
        number = _number(entry.number)
        append(f'<row r="{r}">'
               f"{number_cell(f'A{r}', r - 1)}{string_cell(f'B{r}', entry.group)}"
               f"{string_cell(f'C{r}', entry.kind)}{string_cell(f'D{r}', entry.document)}"
               f"{string_cell(f'E{r}', entry.title)}"
               + (number_cell(f"F{r}", number) if isinstance(number, int)
                  else string_cell(f"F{r}", number))
               + date_cell(f"G{r}", entry.date, ' s="2"')
               + string_cell(f"H{r}", entry.file, "" if entry.note == MISSING else link)
               + (string_cell(f"I{r}", entry.note) if entry.note else "")
               + "</row>")
    return "".join(out)


def _totals(rows: list[Entry], bold: str) -> str:
    """The rows of «Группы»: documents and hand-edited ones per group, then «Всего»."""
    from docgen.xlsx_write import number_cell, string_cell

    by_group: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        by_group.setdefault((entry.group, entry.kind), []).append(entry)
    out = [_header(("Группа", "Вид объединения", "Документов", "Изменено вручную"))]
    for r, ((group, kind), items) in enumerate(by_group.items(), start=2):
        out.append(f'<row r="{r}">{string_cell(f"A{r}", group)}{string_cell(f"B{r}", kind)}'
                   f'{number_cell(f"C{r}", len(items))}'
                   f'{number_cell(f"D{r}", sum(e.note == EDITED for e in items))}</row>')
    r = len(by_group) + 2
    out.append(f'<row r="{r}">{string_cell(f"A{r}", "Всего", bold)}'
               f'{number_cell(f"C{r}", len(rows))}'
               f'{number_cell(f"D{r}", sum(e.note == EDITED for e in rows))}</row>')
    return "".join(out)


def _unwritable(year: Path, rows: list[Entry]) -> Exception:
    """The error for a text Excel cannot hold, naming where it came from.

    Only a ``.docgen.json`` edited by hand (or damaged) can hold one: docgen
    writes no such character itself.
    """
    from docgen.errors import OutputError
    from docgen.text import visible
    from docgen.xlsx_write import ILLEGAL

    for entry in rows:
        for value in (entry.group, entry.kind, entry.document, entry.title, entry.number,
                      entry.file, entry.note):
            found = ILLEGAL.search(value)
            if found:
                folder, _, name = entry.file.partition("/")
                return OutputError(
                    f"в списке документов папки «{visible(folder)}» (файл .docgen.json) у "
                    f"файла «{visible(name)}» есть знак U+{ord(found.group()):04X}, который "
                    f"нельзя записать в Excel: сформируйте документы этой группы заново "
                    f"или исправьте этот файл .docgen.json", file=year / folder / MANIFEST)
    return OutputError(f"в имени папки «{visible(year.name)}» есть знак, который нельзя "
                       f"записать в Excel: переименуйте папку", file=year)


def _year_start(folder: str) -> dt.datetime:
    """1 September of the folder's school year («2025-2026 учебный год»): a stable date.

    The registry's «created» property must not be the time of the run, or two
    runs over the same documents would give different files.
    """
    digits = folder[:4]
    return dt.datetime(int(digits), 9, 1) if digits.isdigit() else dt.datetime(2000, 1, 1)


def _number(text: str) -> int | str:
    """A protocol's «3» as a number, so Excel sorts 2 before 10; «24-3» stays text.

    So does what only looks like digits («²») or is too big for Excel's numbers:
    openpyxl failed on those with a traceback.
    """
    if not text.isdigit():
        return text
    try:
        value = int(text)
        float(value)
    except (ValueError, OverflowError):
        return text
    return value


def write_registry(year: Path) -> Path:
    """Write the year folder's registry; a copy the clerk edited is kept, as documents are."""
    from docgen.errors import OutputError
    from docgen.output import os_problem

    with GroupFolder(year) as folder:
        try:
            data = registry_bytes(year, entries(year))
        except OSError as exc:
            raise OutputError(os_problem(exc, year / REGISTRY, writing=True)) from exc
        folder.expect([data])
        target, _kept = folder.write(REGISTRY, data)
        folder.finish()
    return target
