"""`docgen check --annotate`: a copy of the workbook with every problem marked.

The clerk fixes mistakes where they are, in Excel: each problem cell is filled
(red for errors, yellow for warnings) and carries the message as a comment, and
a first sheet «Проверка» lists all problems with links to their cells. The
original workbook is never touched.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from docgen.errors import Location, Problem, WorkbookError
from docgen.workbook.blank import WRAP, print_setup, save_atomically

ERROR_FILL = PatternFill("solid", fgColor="FF9999")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
REPORT_SHEET = "Проверка"
SUFFIX = ".проверка.xlsx"
AUTHOR = "docgen check"  # marks our own comments, replaced rather than stacked on a re-check


def _anchor(loc: Location) -> str:
    """The cell a problem is pinned to: its own, its column's header, or A1."""
    letter = get_column_letter(loc.column) if loc.column else "A"
    return f"{letter}{loc.row or 1}"


def annotated_path(path: Path) -> Path:
    """«group.xlsx» → «group.проверка.xlsx», next to the original; a marked copy
    checked again is marked in place rather than becoming «….проверка.проверка.xlsx»."""
    if path.name.lower().endswith(SUFFIX):
        return path
    return path.with_name(path.stem + SUFFIX)


def annotate(path: str | Path, problems: list[Problem]) -> Path:
    """Write the marked copy of ``path`` and return its path."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError("пометки ставятся только в копии книги Excel (.xlsx): откройте "
                            "книгу и сохраните её как «Книга Excel (.xlsx)»", file=path.name)
    try:
        wb = load_workbook(path, keep_links=True)
    except Exception as exc:
        raise WorkbookError("книгу не удалось открыть для пометок", file=path.name) from exc
    notes: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        loc = p.location
        if loc.sheet not in wb.sheetnames:
            continue
        notes.setdefault((loc.sheet, _anchor(loc)), []).append(p)
    for (sheet, ref), found in notes.items():
        cell = wb[sheet][ref]
        cell.fill = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
        text = "\n".join(f"{p.severity.label}: {p.message}" for p in found)
        if cell.comment is not None and cell.comment.author != AUTHOR:
            text = f"{text}\n\n{cell.comment.text}"  # keep the clerk's (or the hint's) note
        comment = Comment(text, AUTHOR)
        comment.width = 360
        comment.height = 60 + 40 * len(found)
        cell.comment = comment
    if REPORT_SHEET in wb.sheetnames:
        del wb[REPORT_SHEET]
    report = wb.create_sheet(REPORT_SHEET, 0)
    report.append(["Вид", "Лист", "Ячейка", "Что не так и как исправить"])
    for cell in report[1]:
        cell.font = Font(bold=True)
    for p in problems:
        loc = p.location
        report.append([p.severity.label, loc.sheet or "", loc.cell or "", p.message])
        row = report.max_row
        report.cell(row=row, column=1).fill = ERROR_FILL if p.is_error else WARNING_FILL
        if loc.sheet in wb.sheetnames:
            target = _anchor(loc)
            link = report.cell(row=row, column=3)
            link.hyperlink = f"#{quote_sheetname(loc.sheet)}!{target}"
            link.font = Font(color="0563C1", underline="single")
            link.value = link.value or target
    for letter, width in zip("ABCD", (16, 22, 10, 100), strict=True):
        report.column_dimensions[letter].width = width
    for row in report.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    report.freeze_panes = "A2"
    print_setup(report)
    wb.active = 0
    out = annotated_path(path)
    save_atomically(wb, out)
    return out
