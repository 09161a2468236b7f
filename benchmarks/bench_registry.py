"""What «Реестр документов.xlsx» costs at the end of a batch: XlsxWriter against openpyxl.

Run from the checkout over a year folder a build wrote:

    docgen build data -o /tmp/out -q
    python benchmarks/bench_registry.py "/tmp/out/2025-2026 учебный год" --times 50

Reports CPU seconds (best of ``--repeat``, the writers' runs interleaved, both
libraries imported before timing) of ``entries`` (reading the manifests, a stat
per file) and of writing the same rows three ways: ``registry_bytes`` as docgen
writes it (XlsxWriter in memory), XlsxWriter's ``constant_memory`` mode (a
scratch file per sheet: what the brief asked to weigh), and openpyxl's
write-only mode with the same cells, formats and links (``openpyxl_bytes``
below, a plain sketch of the writer docgen had before its own). ``--times N``
repeats the year's rows N times (a bigger centre's registry). Nothing here is
a test; the files are not compared (each library writes its own XML).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def cpu(work: Callable[[], object]) -> tuple[float, object]:
    """The CPU seconds of one run of ``work``, and its result."""
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def openpyxl_bytes(year: Path, rows: list) -> bytes:
    """The registry's first sheet and totals written by openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from docgen.output.registry import EDITED, HEADERS, MISSING, WIDTHS, _number

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Реестр документов")
    bold, link = Font(bold=True), Font(color="0563C1", underline="single")
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions["ABCDEFGHI"[i]].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{len(rows) + 1}"
    head = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="center")
        head.append(cell)
    ws.append(head)
    for n, e in enumerate(rows, start=1):
        date = WriteOnlyCell(ws, value=e.date)
        date.number_format = "DD.MM.YYYY"
        file = WriteOnlyCell(ws, value=e.file)
        if e.note != MISSING:
            file.hyperlink, file.font = e.file, link
        ws.append((n, e.group, e.kind, e.document, e.title, _number(e.number), date, file,
                   e.note or None))
    totals = wb.create_sheet("Группы")
    groups: dict[tuple[str, str], list] = {}
    for e in rows:
        groups.setdefault((e.group, e.kind), []).append(e)
    for (group, kind), items in groups.items():
        totals.append((group, kind, len(items), sum(e.note == EDITED for e in items)))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("year", type=Path, help="a year folder a build wrote")
    parser.add_argument("--times", type=int, default=1, help="repeat the rows N times")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the least counts")
    args = parser.parse_args()

    import openpyxl  # noqa: F401 — imported before timing
    import xlsxwriter  # noqa: F401

    import docgen.output.registry as registry

    read, rows = cpu(lambda: registry.entries(args.year))
    rows = list(rows) * args.times  # type: ignore[call-overload]
    options = registry.workbook_options
    best = {"docgen (XlsxWriter, in memory)": float("inf"),
            "XlsxWriter constant_memory": float("inf"), "openpyxl write-only": float("inf")}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        def constant_memory() -> bytes:
            registry.workbook_options = lambda: {  # type: ignore[assignment]
                **options(), "in_memory": False, "constant_memory": True, "tmpdir": scratch}
            try:
                return registry.registry_bytes(args.year, rows)
            finally:
                registry.workbook_options = options  # type: ignore[assignment]

        writers: dict[str, Callable[[], bytes]] = {
            "docgen (XlsxWriter, in memory)": lambda: registry.registry_bytes(args.year, rows),
            "XlsxWriter constant_memory": constant_memory,
            "openpyxl write-only": lambda: openpyxl_bytes(args.year, rows)}
        for _ in range(args.repeat):  # interleaved: the machine's state weighs on all alike
            for name, work in writers.items():
                seconds, data = cpu(work)
                best[name] = min(best[name], seconds)
                sizes[name] = len(data)  # type: ignore[arg-type]
    print(f"{len(rows)} rows ({args.times}× the year's {len(rows) // args.times}); entries "
          f"{read:.3f} s CPU; best of {args.repeat}:")
    for name, seconds in best.items():
        print(f"  {name:32} {seconds:.3f} s CPU  {sizes[name]:>9} bytes")


if __name__ == "__main__":
    main()
