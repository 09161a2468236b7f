"""«Реестр документов.xlsx»: every document of a school year, for the centre to filter.

The registry is made from the manifests (``.docgen.json``) of the group folders
in a year folder, not from one run's results: building one group after another,
or the whole centre at once, gives the same complete list.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from docgen.output import MANIFEST, GroupFolder, Manifest

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
    """The registry workbook: a filterable table and a sheet of totals per group."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Реестр документов"
    ws.append(HEADERS)
    bold = Font(bold=True)
    link = Font(color="0563C1", underline="single")
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for n, entry in enumerate(rows, start=1):
        ws.append((n, entry.group, entry.kind, entry.document, entry.title,
                   _number(entry.number), entry.date, entry.file, entry.note))
        r = n + 1
        ws.cell(r, 7).number_format = "DD.MM.YYYY"
        if entry.note != MISSING:
            cell = ws.cell(r, 8)
            cell.hyperlink = entry.file  # relative to the registry: opens from Excel
            cell.font = link
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"

    totals = wb.create_sheet("Группы")
    totals.append(("Группа", "Вид объединения", "Документов", "Изменено вручную"))
    for cell in totals[1]:
        cell.font = bold
    by_group: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        by_group.setdefault((entry.group, entry.kind), []).append(entry)
    for (group, kind), items in by_group.items():
        totals.append((group, kind, len(items), sum(e.note == EDITED for e in items)))
    totals.append(("Всего", "", len(rows), sum(e.note == EDITED for e in rows)))
    totals.cell(totals.max_row, 1).font = bold
    for letter, width in zip("ABCD", (40, 28, 12, 18), strict=True):
        totals.column_dimensions[letter].width = width
    totals.freeze_panes = "A2"
    wb.properties.title = f"Реестр документов, {year.name}"
    wb.properties.creator = "docgen"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _number(text: str) -> int | str:
    """A protocol's «3» as a number, so Excel sorts 2 before 10; «24-3» stays text."""
    return int(text) if text.isdigit() else text


def write_registry(year: Path) -> Path:
    """Write the year folder's registry; a copy the clerk edited is kept, as documents are."""
    with GroupFolder(year) as folder:
        target, _kept = folder.write(REGISTRY, registry_bytes(year, entries(year)))
        folder.save()
    return target
