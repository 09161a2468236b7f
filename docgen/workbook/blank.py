"""`docgen init`: the blank workbook, written from the contract in schema.py.

A clerk's first contact with docgen is this file, so it carries everything a
clerk needs without the README: dropdowns, date formats, a hint on every field
and an «Инструкция» sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docgen.errors import OutputError
from docgen.kinds import DOCUMENT_SHEETS, Kind, kind_names
from docgen.workbook.schema import (
    GROUP,
    SHEETS,
    Column,
    Sheet,
    T,
    column_for_header,
    norm,
    sheet_for_name,
)

DATA_ROWS = 300  # rows prepared with formats and dropdowns on every table sheet
LISTS_SHEET = "Списки"
INSTRUCTION_SHEET = "Инструкция"
DATE_FORMAT = "DD.MM.YYYY"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HINT_FONT = Font(italic=True, color="595959")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def sheet_order(kind: Kind | None) -> list[Sheet]:
    """Contract sheets, those the kind needs first (required, then its documents')."""
    if kind is None:
        return list(SHEETS)
    needed = {s.key for s in SHEETS if s.required}
    needed |= set(kind.rules.required_sheets) | set(kind.rules.recommended_sheets)
    for doc in kind.documents:
        needed |= set(DOCUMENT_SHEETS.get(doc, ()))
    return [s for s in SHEETS if s.key in needed] + [s for s in SHEETS if s.key not in needed]


def field_hint(col: Column) -> str:
    """The hint a clerk sees for a field: in the workbook, the instruction and the docs."""
    parts = []
    if col.required:
        parts.append("Обязательное поле.")
    if col.hint:
        parts.append(col.hint[0].upper() + col.hint[1:])
    if col.choices and col.strict_choices:
        parts.append("Выберите из списка.")
    if col.type is T.DATE and "ДД.ММ.ГГГГ" not in col.hint:
        parts.append("Дата в виде ДД.ММ.ГГГГ.")
    return " ".join(parts)


def hint_comment(text: str) -> Comment:
    comment = Comment(text, "docgen")
    comment.width = 320
    comment.height = 110
    return comment


class _Lists:
    """The hidden «Списки» sheet holding every dropdown's values."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.refs: dict[tuple[str, ...], str] = {}

    def ref(self, values: tuple[str, ...]) -> str:
        if values not in self.refs:
            col = len(self.refs) + 1
            for i, value in enumerate(values, start=1):
                self.ws.cell(row=i, column=col, value=value)
            letter = get_column_letter(col)
            self.refs[values] = (
                f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"
            )
        return self.refs[values]


def _dropdown(ws: Worksheet, lists: _Lists, values: tuple[str, ...], cells: str,
              strict: bool, title: str) -> None:
    dv = DataValidation(type="list", formula1=lists.ref(values), allow_blank=True)
    dv.showErrorMessage = strict
    dv.errorTitle = "Значение не из списка"
    dv.error = f"Выберите значение поля «{title}» из списка."
    dv.promptTitle = title[:32]
    dv.add(cells)
    ws.add_data_validation(dv)


def _choices(col: Column) -> tuple[str, ...]:
    return kind_names() if col.type is T.KIND else col.choices


def _write_group_sheet(ws: Worksheet, kind: Kind | None, lists: _Lists) -> None:
    ws.append(["Поле", "Значение", "Пояснение"])
    for i, col in enumerate(GROUP.columns, start=2):
        label = ws.cell(row=i, column=1, value=col.header)
        value = ws.cell(row=i, column=2)
        hint = ws.cell(row=i, column=3, value=field_hint(col))
        label.font = Font(bold=col.required)
        if col.required:
            label.fill = REQUIRED_FILL
        hint.font = HINT_FONT
        for cell in (label, value, hint):
            cell.alignment = WRAP
            cell.border = BORDER
        if col.type is T.KIND and kind is not None:
            value.value = kind.name
        if col.type is T.DATE:
            value.number_format = DATE_FORMAT
        if col.type is T.YEAR:
            value.number_format = "@"
        if col.type in (T.KIND, T.CHOICE):
            _dropdown(ws, lists, _choices(col), value.coordinate, col.strict_choices, col.header)
        hint_lines = -(-len(hint.value or "") // 80)
        ws.row_dimensions[i].height = 75 if col.type is T.LINES else 15 * max(1, hint_lines)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "B2"


def _write_table_sheet(ws: Worksheet, sheet: Sheet, lists: _Lists) -> None:
    last = DATA_ROWS + 1
    for c, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BORDER
        hint = field_hint(col)
        if hint:
            cell.comment = hint_comment(hint)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = col.width
        rng = f"{letter}2:{letter}{last}"
        if col.choices or col.type is T.KIND:
            _dropdown(ws, lists, _choices(col), rng, col.strict_choices, col.header)
        if col.type is T.INT:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True)
            dv.error = f"В столбце «{col.header}» нужно целое число."
            dv.errorTitle = "Нужно целое число"
            dv.add(rng)
            ws.add_data_validation(dv)
        # Column styles, not cell styles: Excel applies them to what the clerk types,
        # and the file stays small and quick to read.
        if col.type in (T.DATE, T.TERM):
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        if col.type in (T.TEXT, T.LINES) and col.width >= 30:
            ws.column_dimensions[letter].alignment = WRAP
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"


PHOTOS_STEP = ("Фото и снимки экрана для отчётов о сетевых событиях (JPEG или PNG) положите "
               "в папку, где лежит эта книга, или в её подпапку (например «фото»), а их имена "
               "впишите в столбец «Фото» листа «Мероприятия»: каждое с новой строки или через "
               "«;», например «фото/семинар 1.jpg». Можно указать имя папки — тогда возьмутся "
               "все фото из неё по порядку имён. Большие снимки с телефона программа уменьшит "
               "сама.")


LAUNCHER = "Запустить docgen.bat"  # shipped at the top of the docgen folder (and docgen-serve.sh)


INSTRUCTION_LINE = 90  # letters of a line of the «Инструкция» sheet's column B (width 100)


def event_photos(kind: Kind | None) -> bool:
    """Whether the kind's documents have event reports, the only ones with photos."""
    return kind is None or "event_report" in kind.documents


def _write_instruction(ws: Worksheet, kind: Kind | None, order: list[Sheet]) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    rows: list[tuple[str, str]] = [
        ("Как заполнить книгу", ""),
        ("1.", "На листе «Группа» заполните столбец «Значение». Обязательные поля "
               "выделены цветом."),
        ("2.", "На остальных листах одна строка — одна запись (участник, заседание, "
               "мероприятие). Подсказка к столбцу появляется при наведении на заголовок."),
        ("3.", "Даты вводите в виде ДД.ММ.ГГГГ, например 15.09.2025. В ячейке «Задачи» "
               "каждую задачу начинайте с новой строки (Alt+Enter)."),
        ("4.", f"Проверьте книгу и сформируйте документы на странице в браузере: дважды "
               f"щёлкните файл «{LAUNCHER}» в папке docgen (в Linux — docgen-serve.sh) или "
               f"наберите в терминале docgen serve. На открывшейся странице, в разделе "
               f"«Проверка и документы», перетащите книгу в окно и нажмите «Проверить» — "
               f"каждая ошибка будет названа с листом и ячейкой, — затем «Сформировать "
               f"документы»: их можно скачать архивом .zip."),
        ("5.", "Или командами в терминале: docgen check <файл>.xlsx — программа назовёт "
               "каждую ошибку с листом и ячейкой (с параметром --annotate рядом появится "
               "копия книги, где ячейки с ошибками закрашены, а текст ошибки — в "
               "примечании); docgen build <файл>.xlsx — приказы, положение, план, протоколы "
               "и отчёты появятся в папке output/<учебный год>/<группа>/."),
    ]
    if event_photos(kind):
        rows.append(("6.", PHOTOS_STEP))
    rows.append(("", ""))
    if kind is not None:
        rows.append(("Вид объединения", kind.name))
        rows.append(("", ""))
    rows.append(("Лист", "Что на нём"))
    for sheet in order:
        need = "обязательный лист" if sheet.required or (
            kind and sheet.key in kind.rules.required_sheets) else "необязательный лист"
        rows.append((sheet.name, f"{sheet.hint} ({need})"))
    for sheet in order:
        rows.append(("", ""))
        rows.append((f"Лист «{sheet.name}»", "Поле" if sheet.fields else "Столбцы"))
        for col in sheet.columns:
            rows.append((col.header, field_hint(col) or "—"))
    for r, (a, b) in enumerate(rows, start=1):
        ca = ws.cell(row=r, column=1, value=a)
        cb = ws.cell(row=r, column=2, value=b)
        cb.alignment = WRAP
        ca.alignment = TOP
        if len(b) > INSTRUCTION_LINE:  # a row tall enough for its text, in every program
            ws.row_dimensions[r].height = 15 * -(-len(b) // INSTRUCTION_LINE)
        if r == 1 or a.startswith("Лист") or a == "Вид объединения":
            ca.font = HEADER_FONT
            if a in ("Лист", "Вид объединения"):
                cb.font = HEADER_FONT
    ws["A1"].font = Font(bold=True, size=14)


def print_setup(ws: Worksheet) -> None:
    """Printed, a sheet fits the page width in landscape: clerks do print workbooks."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def blank_workbook(kind: Kind | None = None) -> Workbook:
    """The blank workbook as an openpyxl object (for ``init`` and for tests)."""
    wb = Workbook()
    default = wb.active
    order = sheet_order(kind)
    lists = _Lists(wb)
    for sheet in order:
        ws = wb.create_sheet(sheet.name)
        if sheet.fields:
            _write_group_sheet(ws, kind, lists)
        else:
            _write_table_sheet(ws, sheet, lists)
    _write_instruction(wb.create_sheet(INSTRUCTION_SHEET), kind, order)
    for ws in wb.worksheets:
        print_setup(ws)
    wb.remove(default)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = wb.sheetnames.index(GROUP.name)
    return wb


def cell_value(value: Any) -> Any:
    """Lists (tasks) become one cell with a line per item, as a clerk types with Alt+Enter."""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return value


def put_value(cell: Any, value: Any) -> None:
    cell.value = cell_value(value)
    cell.alignment = TOP
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
        return
    if not isinstance(cell.value, str):
        return
    ws = cell.parent
    width = ws.column_dimensions[cell.column_letter].width or 10
    lines = sum(max(1, -(-len(part) // int(width * 1.1))) for part in cell.value.split("\n"))
    if lines > 1:
        cell.alignment = WRAP
        row = ws.row_dimensions[cell.row]
        row.height = max(row.height or 15, 15 * lines)


def fill_workbook(wb: Workbook, content: dict[str, Any]) -> None:
    """Put ``content`` (sheet name -> fields or rows by header) into a blank workbook.

    Used for the bundled examples, the tests and the benchmark's synthetic centre.
    """
    for sheet_name, data in content.items():
        spec = sheet_for_name(sheet_name)
        if spec is None:
            raise KeyError(f"unknown sheet {sheet_name!r}")
        if spec.name not in wb.sheetnames:
            continue  # a test may have removed the sheet on purpose
        ws = wb[spec.name]
        if spec is GROUP:
            rows = {norm(ws.cell(row=r, column=1).value): r for r in range(2, ws.max_row + 1)}
            for field, value in data.items():
                if norm(field) not in rows:
                    raise KeyError(f"unknown field {field!r}")
                put_value(ws.cell(row=rows[norm(field)], column=2), value)
            continue
        columns = {}
        for c in range(1, ws.max_column + 1):
            col = column_for_header(spec, ws.cell(row=1, column=c).value)
            if col is not None:
                columns[col.key] = c
        for r, row in enumerate(data, start=2):
            for header, value in row.items():
                col = column_for_header(spec, header)
                if col is None:
                    raise KeyError(f"unknown column {header!r} on {sheet_name!r}")
                if value is not None:
                    put_value(ws.cell(row=r, column=columns[col.key]), value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def save_atomically(wb: Workbook, path: Path, when: dt.datetime | None = None) -> None:
    """Write the workbook in one step (``output.write_atomically``), with fixed timestamps.

    ``when`` becomes its created/modified properties (by default now); the zip's
    member times are fixed either way.
    """
    from docgen.runtime.files import reproducible_zip, write_atomically

    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomically(path, reproducible_zip(buffer.getvalue(), when or _now()))


def init_workbook(path: str | Path, kind: Kind | None = None, force: bool = False) -> Path:
    """Write the blank workbook to ``path``; refuse to replace a file unless ``force``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError("имя книги должно оканчиваться на .xlsx", file=path)
    if path.exists() and not force:
        raise OutputError(
            "файл уже существует; выберите другое имя или добавьте --force, чтобы "
            "заменить его пустой книгой",
            file=path,
        )
    save_atomically(blank_workbook(kind), path)
    return path


def write_workbook(path: str | Path, content: dict[str, Any], kind: Kind | None = None) -> Path:
    """A filled workbook from ``content``, as a clerk would have typed it."""
    path = Path(path)
    if kind is None and GROUP.name in content:
        from docgen.kinds import find_kind

        kind = find_kind(str(content[GROUP.name].get("Вид объединения", "")))
    wb = blank_workbook(kind)
    fill_workbook(wb, content)
    save_atomically(wb, path)
    return path
