"""Today's «Реестр документов.xlsx» writer (openpyxl, write-only), kept as the reference.

Moved here unchanged from ``docgen/registry.py`` when the registry got its own
writer: the tests compare the new writer's bytes with these, so every byte of
the registry stays what it was. ``reference_bytes`` runs it as ``write_registry``
did, with openpyxl's scratch files in the year folder (their file mode is in
the zip). The bytes are openpyxl 3.1.5's with lxml (app.xml names the version):
another openpyxl may write others, and the comparisons then say where.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docgen.output import reproducible_zip
from docgen.registry import EDITED, HEADERS, MISSING, WIDTHS, Entry


def reference_bytes(year: Path, rows: list[Entry], scratch: Path | None = None) -> bytes:
    """The registry as docgen wrote it before its own writer, scratch files in ``scratch``."""
    scratch = scratch or year
    scratch.mkdir(parents=True, exist_ok=True)
    with _scratch_in(scratch):
        return registry_bytes(year, rows)


def registry_bytes(year: Path, rows: list[Entry]) -> bytes:
    """The registry workbook: a filterable table and a sheet of totals per group.

    Written in openpyxl's write-only mode: a centre's year has thousands of rows.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    try:
        return _registry_into(wb, year, rows)
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Any) -> None:
    """End a write-only workbook's sheet writers after a failure (a full disk).

    Left to the garbage collector, each one would print an ignored exception
    with a traceback at exit.
    """
    for sheet in getattr(wb, "_sheets", []):
        rows = getattr(sheet, "_rows", None)  # its «with xf.element(…)» ends while xf is open
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        writer = getattr(sheet, "_writer", None)
        stream = getattr(writer, "xf", None)
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()


def _registry_into(wb: Any, year: Path, rows: list[Entry]) -> bytes:
    """The registry's sheets written into the write-only ``wb``; its bytes."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("Реестр документов")
    bold = Font(bold=True)
    link = Font(color="0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="center")

    def header(sheet: Any, titles: tuple[str, ...]) -> list[Any]:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font, cell.alignment = bold, wrap
            cells.append(cell)
        return cells

    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"  # printed: all columns on the page's width
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    ws.append(header(ws, HEADERS))
    for n, entry in enumerate(rows, start=1):
        date = WriteOnlyCell(ws, value=entry.date)
        date.number_format = "DD.MM.YYYY"
        file = WriteOnlyCell(ws, value=entry.file)
        if entry.note != MISSING:
            file.hyperlink = entry.file  # relative to the registry: opens from Excel
            file.font = link
        ws.append((n, entry.group, entry.kind, entry.document, entry.title,
                   _number(entry.number), date, file, entry.note or None))

    totals = wb.create_sheet("Группы")
    for letter, width in zip("ABCD", (40, 28, 12, 18), strict=True):
        totals.column_dimensions[letter].width = width
    totals.freeze_panes = "A2"
    totals.append(header(totals, ("Группа", "Вид объединения", "Документов",
                                  "Изменено вручную")))
    by_group: dict[tuple[str, str], list[Entry]] = {}
    for entry in rows:
        by_group.setdefault((entry.group, entry.kind), []).append(entry)
    for (group, kind), items in by_group.items():
        totals.append((group, kind, len(items), sum(e.note == EDITED for e in items)))
    total = WriteOnlyCell(totals, value="Всего")
    total.font = bold
    totals.append((total, None, len(rows), sum(e.note == EDITED for e in rows)))
    wb.properties.title = f"Реестр документов, {year.name}"
    wb.properties.creator = "docgen"
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible_zip(buffer.getvalue(), _year_start(year.name))


def _year_start(folder: str) -> dt.datetime:
    """1 September of the folder's school year («2025-2026 учебный год»): a stable date.

    The registry's «created» property must not be the time of the run, or two
    runs over the same documents would give different files.
    """
    digits = folder[:4]
    return dt.datetime(int(digits), 9, 1) if digits.isdigit() else dt.datetime(2000, 1, 1)


def _number(text: str) -> int | str:
    """A protocol's «3» as a number, so Excel sorts 2 before 10; «24-3» stays text."""
    return int(text) if text.isdigit() else text


_scratch = threading.local()  # the folder of this thread's registry being written, if any


@contextmanager
def _scratch_in(folder: Path) -> Iterator[None]:
    """openpyxl's write-only scratch files in ``folder``, not in the system temp folder.

    openpyxl keeps each write-only sheet in «/tmp/openpyxl.*» until saved; a run
    killed meanwhile left them there forever (with the registry's data), and a
    full system temp folder failed the registry. Here they are docgen's own
    temporary names, which the next run in this folder removes. The hook is
    per thread: another thread's openpyxl files (a web server's) stay as they were.
    """
    import openpyxl.worksheet._writer as writer

    if not getattr(writer.create_temporary_file, "docgen_hook", False):
        writer.create_temporary_file = _hooked(writer.create_temporary_file)
    previous = getattr(_scratch, "folder", None)
    _scratch.folder = folder
    try:
        yield
    finally:
        _scratch.folder = previous


def _hooked(original: Any) -> Any:
    import openpyxl.worksheet._writer as writer

    from docgen.output import temporary_file

    def create(suffix: str = "") -> str:
        folder = getattr(_scratch, "folder", None)
        if folder is None:
            return original(suffix)
        path, fd = temporary_file(folder)
        os.close(fd)
        writer.ALL_TEMP_FILES.append(str(path))
        return str(path)

    create.docgen_hook = True  # type: ignore[attr-defined]
    return create
