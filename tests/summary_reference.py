"""Today's «Сводная таблица.xlsx» writer (openpyxl, normal mode), kept as the reference.

Moved here unchanged from ``docgen/summary.py`` when the summary table got its
own writer (``docgen/xlsx_write.py``): the tests compare the new writer's bytes
with these, so every byte of the table stays what it was. openpyxl kept each
sheet in a scratch file of the system temp folder (``mkstemp``: mode 0o600, less
the umask), and that mode is in the zip. The bytes are openpyxl 3.1.5's with
lxml (app.xml names the version): another openpyxl may write others, and the
comparisons then say where.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docgen.output import reproducible_zip
from docgen.summary import TABLE_HEADERS, TABLE_SHEETS, TABLE_WIDTHS, totals


def table_bytes(groups: list[dict[str, Any]], when: dt.datetime) -> bytes:
    """«Сводная таблица»: a row per group with filters, the kinds, and Excel's own charts."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sums = totals(groups)
    wb = Workbook()
    ws = wb.active
    ws.title = TABLE_SHEETS[0]
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(list(TABLE_HEADERS))
    for cell in ws[1]:
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="center")
    for i, width in enumerate(TABLE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for n, g in enumerate(groups, start=1):
        # the year's-end состав, as the report's «входят 8 …» (older figures: the year's)
        ws.append([n, g["name"], g["kind"], g.get("members_end", g["members"]),
                   len(g.get("organizations_end", g["organizations"])),
                   g["meetings_planned"], g["meetings_held"], g["meetings_minimum"],
                   "нет" if g["short"] else "да", g["events"], g["events_participants"],
                   sum(g["products"].values()), "\n".join(g["problems"]) or None,
                   "\n".join(g["proposals"]) or None])
        for cell in ws[n + 1][-2:]:  # the long texts; styling every cell costs a lot
            cell.alignment = wrap
    last = len(groups) + 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TABLE_HEADERS))}{last}"
    ws.freeze_panes = "C2"
    total_row = last + 2  # below the filtered rows, so filtering does not hide it
    ws.cell(row=total_row, column=2, value="Всего").font = bold
    for column, value in ((4, sums["members_end"]), (6, sums["meetings_planned"]),
                          (7, sums["meetings_held"]), (10, sums["events"]),
                          (11, sums["events_participants"]), (12, sums["products_total"])):
        ws.cell(row=total_row, column=column, value=value).font = bold
    ws.cell(row=total_row, column=5, value=sums["organizations_end"]).font = bold
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    kinds = wb.create_sheet(TABLE_SHEETS[1])
    kinds.append(["Вид объединения", "Количество"])
    for cell in kinds[1]:
        cell.font = bold
    for kind, number in sums["by_kind"]:
        kinds.append([kind, number])
    kinds.column_dimensions["A"].width = 40
    kinds.column_dimensions["B"].width = 14

    charts = wb.create_sheet(TABLE_SHEETS[2])
    by_kind = BarChart()
    by_kind.type = "bar"
    by_kind.title = "Объединения по видам"
    by_kind.style = 2  # greys: prints well
    by_kind.legend = None
    by_kind.add_data(Reference(kinds, min_col=2, min_row=1, max_row=len(sums["by_kind"]) + 1),
                     titles_from_data=True)
    by_kind.set_categories(Reference(kinds, min_col=1, min_row=2,
                                     max_row=len(sums["by_kind"]) + 1))
    by_kind.width, by_kind.height = 18, 8
    charts.add_chart(by_kind, "A1")
    meetings = BarChart()
    meetings.type = "col"
    meetings.title = "Заседания: проведено и минимум по положению"
    meetings.style = 2
    meetings.add_data(Reference(ws, min_col=7, max_col=8, min_row=1, max_row=last),
                      titles_from_data=True)
    meetings.set_categories(Reference(ws, min_col=2, min_row=2, max_row=last))
    meetings.width, meetings.height = 24, 10
    charts.add_chart(meetings, "A18")

    wb.properties.title = f"Сводная таблица, {sums['year']} учебный год"
    wb.properties.creator = "docgen"
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible_zip(buffer.getvalue(), when)
