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
    """Every document the group folders' manifests record, group by group.

    A stat per file (is it still what docgen wrote?); a date in a hand-edited
    ``.docgen.json`` that is not one is an ``OutputError`` naming the file.
    """
    found: list[Entry] = []
    folders = sorted((p for p in year.iterdir() if (p / MANIFEST).is_file()),
                     key=lambda p: p.name.casefold())
    for folder in folders:
        manifest = Manifest.read(folder)
        group = manifest.group.get("name") or folder.name
        kind = manifest.group.get("kind", "")
        prefix = f"{folder.name}/"
        for name in sorted(manifest.files, key=str.casefold):
            about = manifest.documents.get(name, {})
            if about.get(DERIVED):  # a PDF or the bundle: the document is listed already
                continue
            try:
                note = "" if manifest.unchanged(folder / name) else EDITED
            except OSError:
                note = MISSING
            title = about["title"] if "title" in about else Path(name).stem
            date = about.get("date", "")
            found.append(Entry(group, kind, about.get("document", ""), title,
                               about.get("number", ""), _date(date, folder, name) if date
                               else None, prefix + name, note))
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
    fonts = ['<font><b val="1"/></font>']
    xfs = [x.cell_format(font=1, alignment='<alignment vertical="center" wrapText="1"/>')]
    if rows:  # the dates' format, then the links' blue underlined font, as openpyxl met them
        xfs.append(x.cell_format(number_format=164 + formats.index("DD.MM.YYYY")))
    if linked:
        fonts.append('<font><color rgb="000563C1"/><u val="single"/></font>')
        xfs.append(x.cell_format(font=2))
    xfs.append(x.cell_format(font=1))  # «Всего»

    ends = x.CellEnds()
    try:
        table = _table(rows, bool(linked), ends)
        totals = _totals(rows, f' s="{len(xfs)}"', ends)
        links, links_rels = x.hyperlinks([f"H{n}" for n, _ in linked],
                                         [x.check(f) for _, f in linked])
        title = x.check(f"Реестр документов, {year.name}")
    except x.Unwritable as exc:
        raise _unwritable(year, rows, exc.value) from None
    top = ('<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/>'
           f"</sheetPr>{_FROZEN}{x.columns(WIDTHS)}")
    tail = (f'<autoFilter ref="A1:I{len(rows) + 1}"/>{links}{_MARGINS}<pageSetup '
            'orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/>')
    first = x.worksheet(top, table, tail)
    second = x.worksheet('<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
                         f"</sheetPr>{_FROZEN}{x.columns((40, 28, 12, 18))}", totals, _MARGINS)
    core = x.core_properties(title, "docgen", _year_start(year.name))
    sheet = "Реестр документов"
    names = (f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
             f"'{sheet}'!$A$1:$I${len(rows) + 1}</definedName>"
             f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
             f"'{sheet}'!$1:$1</definedName>")
    mode, memory = x.sheet_file_mode(), x.MEMORY_FILE_MODE
    parts = [("docProps/app.xml", x.APP.encode(), memory),
             ("docProps/core.xml", core.encode(), memory),
             ("xl/theme/theme1.xml", THEME.encode(), memory),
             ("xl/worksheets/sheet1.xml", first, mode)]
    if links_rels:
        parts.append(("xl/worksheets/_rels/sheet1.xml.rels", links_rels.encode(), memory))
    parts += [("xl/worksheets/sheet2.xml", second, mode),
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


def _header(titles: tuple[str, ...], ends: dict[str, str]) -> str:
    """Row 1: bold wrapped titles (cell format 1)."""
    from docgen.errors import column_letter

    return '<row r="1">' + "".join(f'<c r="{column_letter(i)}1" s="1"{ends[title]}'
                                   for i, title in enumerate(titles, start=1)) + "</row>"


def _table(rows: list[Entry], linked: bool, ends: dict[str, str]) -> list[str]:
    """The rows of «Реестр документов»: one per document, the file linked unless missing.

    One f-string a row, each distinct text escaped once (``ends``): the
    registry of a centre's 4,000 documents is written in hundredths of a second.
    """
    from docgen.xlsx_write import date_end, number

    link = ' s="3"' if linked else ""
    dates: dict[dt.date | None, str] = {}
    numbers: dict[str, str] = {}
    out = [_header(HEADERS, ends)]
    append = out.append
    for r, entry in enumerate(rows, start=2):
        number_end = numbers.get(entry.number)
        if number_end is None:
            value = _number(entry.number)
            number_end = numbers[entry.number] = (
                f' t="n"><v>{number(value)}</v></c>' if isinstance(value, int) else ends[value])
        date = dates.get(entry.date)
        if date is None:
            date = dates[entry.date] = date_end(entry.date)
        missing = entry.note == MISSING
        note = f'<c r="I{r}"{ends[entry.note]}' if entry.note else ""
        append(f'<row r="{r}"><c r="A{r}" t="n"><v>{r - 1}</v></c><c r="B{r}"{ends[entry.group]}'
               f'<c r="C{r}"{ends[entry.kind]}<c r="D{r}"{ends[entry.document]}'
               f'<c r="E{r}"{ends[entry.title]}<c r="F{r}"{number_end}<c r="G{r}" s="2"{date}'
               f'<c r="H{r}"{"" if missing else link}{ends[entry.file]}{note}</row>')
    return out


def _totals(rows: list[Entry], bold: str, ends: dict[str, str]) -> list[str]:
    """The rows of «Группы»: documents and hand-edited ones per group, then «Всего»."""
    by_group: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        by_group.setdefault((entry.group, entry.kind), []).append(entry)
    out = [_header(("Группа", "Вид объединения", "Документов", "Изменено вручную"), ends)]
    for r, ((group, kind), items) in enumerate(by_group.items(), start=2):
        out.append(f'<row r="{r}"><c r="A{r}"{ends[group]}<c r="B{r}"{ends[kind]}'
                   f'<c r="C{r}" t="n"><v>{len(items)}</v></c><c r="D{r}" t="n">'
                   f"<v>{sum(e.note == EDITED for e in items)}</v></c></row>")
    r = len(by_group) + 2
    out.append(f'<row r="{r}"><c r="A{r}"{bold}{ends["Всего"]}<c r="C{r}" t="n">'
               f'<v>{len(rows)}</v></c><c r="D{r}" t="n">'
               f"<v>{sum(e.note == EDITED for e in rows)}</v></c></row>")
    return out


def _unwritable(year: Path, rows: list[Entry], value: str) -> Exception:
    """The error for a text Excel cannot hold, naming where it came from.

    Only a ``.docgen.json`` edited by hand (or damaged) can hold one: docgen
    writes no such character itself.
    """
    from docgen.errors import OutputError
    from docgen.text import visible
    from docgen.xlsx_write import ILLEGAL

    found = ILLEGAL.search(value)
    sign = f"знак U+{ord(found.group()):04X}" if found else "знак"
    for entry in rows:
        if value in (entry.group, entry.kind, entry.document, entry.title, entry.number,
                     entry.file, entry.note):
            folder, _, name = entry.file.partition("/")
            return OutputError(
                f"в списке документов папки «{visible(folder)}» (файл .docgen.json) у файла "
                f"«{visible(name)}» есть {sign}, который нельзя записать в Excel: сформируйте "
                f"документы этой группы заново или исправьте этот файл .docgen.json",
                file=year / folder / MANIFEST)
    return OutputError(f"в имени папки «{visible(year.name)}» есть {sign}, который нельзя "
                       f"записать в Excel: переименуйте папку", file=year)


def _date(text: str, folder: Path, name: str) -> dt.date:
    """A document's date as its manifest records it (``2025-09-01``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from docgen.errors import OutputError
        from docgen.text import visible

        raise OutputError(
            f"в списке документов папки «{visible(folder.name)}» (файл .docgen.json) у файла "
            f"«{visible(name)}» дата «{visible(text)}» — не дата: сформируйте документы этой "
            f"группы заново или исправьте этот файл .docgen.json",
            file=folder / MANIFEST) from None


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
