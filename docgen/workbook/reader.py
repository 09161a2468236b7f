"""Read a workbook into typed rows, keeping every value's cell for messages.

The reader is forgiving in what it accepts (real dates, text dates, serial
numbers, numbers typed as text, loose headers) and strict in what it reports:
a value it cannot convert becomes a Problem naming the cell, never an exception,
so a clerk sees all of them at once. The file is opened for reading only and is
never written.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import Location, Problem, Severity, WorkbookError, column_letter
from docgen.kinds import find_kind, kind_names
from docgen.text import fold_spaces, latin_letters, xml_safe
from docgen.workbook.book import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MB,
    OLE_MAGIC,
    WINDOWS_EPOCH,
    ZIP_MAGIC,
    Book,
    BookError,
    CellError,
    Encrypted,
    OtherFormat,
    SheetExtras,
    SheetValues,
    TooLarge,
    serial_date,
)
from docgen.workbook.schema import (
    DATE_HINT,
    GROUP,
    SHEETS,
    Column,
    Sheet,
    T,
    column_for_header,
    norm,
    sheet_for_name,
)

# What a Russian Excel shows for each error code a formula can leave.
RUSSIAN_ERRORS = {"#N/A": "#Н/Д", "#REF!": "#ССЫЛКА!", "#DIV/0!": "#ДЕЛ/0!", "#VALUE!": "#ЗНАЧ!",
                  "#NAME?": "#ИМЯ?", "#NUM!": "#ЧИСЛО!", "#NULL!": "#ПУСТО!"}
HEADER_SEARCH_ROWS = 10


@dataclass
class Row:
    """One data row of a sheet: typed values by column key, and their columns."""

    sheet: str
    number: int  # the Excel row number
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)  # key -> Excel column

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value


@dataclass
class SheetData:
    """A sheet as read: ``present`` is False when the workbook has no such sheet."""

    spec: Sheet
    title: str  # the sheet's title in the workbook (may differ in case from the contract)
    present: bool = False
    header_row: int = 1
    columns: dict[str, int] = field(default_factory=dict)  # key -> Excel column
    rows: list[Row] = field(default_factory=list)


@dataclass
class WorkbookData:
    """Everything read from one workbook, plus the problems met while reading."""

    path: Path
    sheets: dict[str, SheetData]
    fields: Row  # the «Группа» sheet: key -> value, column B
    problems: list[Problem] = field(default_factory=list)

    def location(self, sheet_key: str, row: int | None = None,
                 column_key: str | None = None) -> Location:
        """Where a value sits, for a Problem. On «Группа» a field's value is in column B
        of the field's own row; on a table, in the column whose header matched."""
        data = self.sheets[sheet_key]
        column = None
        if column_key is not None:
            if sheet_key == GROUP.key:
                column = 2
                row = self.fields.columns.get(column_key)
            else:
                column = data.columns.get(column_key)
        return Location(file=self.path.name, sheet=data.title, row=row, column=column)

    def rows(self, sheet_key: str) -> list[Row]:
        return self.sheets[sheet_key].rows


def _problem(problems: list[Problem], loc: Location, message: str,
             severity: Severity = Severity.ERROR) -> None:
    problems.append(Problem(severity, message, loc))


# --------------------------------------------------------------------------- opening


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read once, after checking it can be a workbook at all.

    Every way it can fail becomes one Russian line naming the file and saying
    what to do. A file larger than any group's workbook is refused by its size,
    before it is read.
    """
    name = path.name
    if not path.exists():
        raise WorkbookError("файл не найден; проверьте путь и имя файла", file=name)
    if path.is_dir():
        raise WorkbookError("это папка, а не книга Excel; укажите файл книги (.xlsx)",
                            file=name)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError("это не обычный файл; укажите файл книги Excel (.xlsx)",
                                file=name)
        if info.st_size > MAX_FILE_BYTES:
            raise damaged(name, TooLarge("file", info.st_size, MAX_FILE_BYTES))
        with path.open("rb") as handle:
            data = handle.read(info.st_size)  # no more than was checked, if it grows
    except PermissionError as exc:
        raise WorkbookError(
            "нет доступа к файлу: нет прав на его чтение или он занят другой программой; "
            "закройте его в других программах или скопируйте книгу в свою папку и повторите",
            file=name) from exc
    except OSError as exc:
        from docgen.runtime.files import os_problem

        raise WorkbookError(f"файл не открывается: {os_problem(exc, path, writing=False)}",
                            file=name) from exc
    if not data:
        raise WorkbookError("файл пустой (0 байт): книга не была сохранена или скопировалась "
                            "не полностью; возьмите целую копию книги", file=name)
    if data.startswith(OLE_MAGIC):
        # An encrypted .xlsx is an OLE container with an «EncryptionInfo» stream.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(PASSWORD, file=name)
        # A Word 97–2003 document has a «WordDocument» stream; an .xls with a Word
        # object inside it has one too, but also its own «Workbook».
        if ("WordDocument".encode("utf-16-le") in data
                and "Workbook".encode("utf-16-le") not in data):
            raise WorkbookError(_OTHER_FORMATS["docx"], file=name)
        return data  # an Excel 97–2003 workbook (.xls)
    if data.startswith(b"%PDF"):
        raise WorkbookError("это документ PDF, а не книга Excel; укажите книгу Excel (.xlsx) "
                            "группы", file=name)
    if path.suffix.lower() == ".fods":
        raise WorkbookError(_OTHER_FORMATS["fods"], file=name)
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError(_OTHER_FORMATS["zip"], file=name)
    return data


PASSWORD = ("книга защищена паролем; откройте её в Excel, снимите пароль "
            "(Файл → Сведения → Защита книги) и сохраните как .xlsx")


def open_workbook(data: bytes, name: str) -> Book:
    """The workbook held in ``data`` (.xlsx, .xlsm, .xls or .ods), ready to read sheet by sheet."""
    try:
        return Book(data, Path(name).suffix.lower())
    except BookError as exc:
        raise damaged(name, exc) from exc


_OTHER_FORMATS = {
    "fods": "это таблица LibreOffice в виде одного XML (.fods); откройте её и сохраните как "
            "«Электронная таблица ODF (.ods)» или «Excel 2007–365 (.xlsx)»",
    "opendocument": "это документ LibreOffice (OpenDocument), а не книга Excel; укажите "
                    "книгу Excel (.xlsx) группы",
    "docx": "это документ Word, а не книга Excel; укажите книгу Excel (.xlsx) группы",
    "pptx": "это презентация PowerPoint, а не книга Excel; укажите книгу Excel (.xlsx) группы",
    "xlsb": "это двоичная книга Excel (.xlsb); откройте её в Excel и сохраните как «Книга "
            "Excel (.xlsx)»",
    "strict": "книга сохранена в строгом формате Open XML, который docgen не читает; "
              "откройте её в Excel и сохраните как обычную «Книга Excel (.xlsx)»",
    "zip": "файл не является книгой Excel (.xlsx); откройте его в Excel и сохраните как "
           "«Книга Excel (.xlsx)»",
}
_USUAL = "а у книги одной группы обычно меньше 1 МБ"


def _size(n: int) -> str:
    """A size as a clerk reads it: «850 КБ», «2,5 МБ», «83 МБ»."""
    if n < MB:
        return f"{max(1, round(n / 1024))} КБ"
    if n < 10 * MB:
        return f"{n / MB:.1f} МБ".replace(".", ",")
    return f"{_number(round(n / MB))} МБ"


def _number(n: int) -> str:
    """«10 000»: thousands apart, as Russian writes them."""
    return f"{n:,}".replace(",", " ")


def _too_large(exc: TooLarge) -> str:
    """What limit a file passed, in the clerk's words, and what to do about it."""
    if exc.what == "file":
        return (f"файл занимает {_size(exc.size)} (допускается до {_size(exc.limit)}, "
                f"{_USUAL}); проверьте, та ли это книга, и не вставлены ли в неё большие "
                f"картинки или лишние данные")
    if exc.what == "rows":
        return (f"на листе «{exc.sheet}» больше {_number(exc.limit)} заполненных строк; в книге "
                f"одной группы столько не бывает — удалите лишние строки или проверьте, не "
                f"вставлены ли данные целиком из другой таблицы")
    if exc.what in ("parts", "directory"):
        found = (f"число частей в нём — {_number(exc.size)}, а в книге Excel их несколько "
                 f"десятков (допускается до {_number(exc.limit)})" if exc.what == "parts" else
                 f"его оглавление занимает {_size(exc.size)}, а у книги Excel — несколько "
                 f"килобайт (допускается до {_size(exc.limit)})")
        return (f"файл устроен не как книга Excel: {found}; файл повреждён или создан не в "
                f"Excel — откройте его в Excel и сохраните заново")
    if exc.what == "area":
        return (f"на листе «{exc.sheet}» заполнена ячейка {exc.cell}, далеко за таблицей: "
                f"такой лист не помещается в память; удалите значения за пределами таблицы "
                f"(выделите лишние строки и столбцы и выберите «Удалить») и сохраните книгу")
    if exc.what == "total":
        return (f"книга слишком велика: после распаковки она занимает {_size(exc.size)} "
                f"(допускается до {_size(exc.limit)}, {_USUAL}); удалите лишние листы, "
                f"картинки и данные и сохраните книгу")
    part = exc.part or ""
    if exc.sheet is not None:
        what = f"лист «{exc.sheet}»"
        fix = ("удалите на этом листе пустые строки и столбцы под таблицей и справа от неё "
               "(выделите их и выберите «Удалить») и сохраните книгу")
    elif part.startswith("xl/media/"):
        what = f"картинка «{part.rsplit('/', 1)[-1]}»"
        fix = "удалите картинку или сожмите её («Формат рисунка → Сжать рисунки»)"
    elif part == "xl/sharedStrings.xml":
        what = "текст ячеек"
        fix = "проверьте, не вставлены ли в книгу лишние данные"
    else:
        what = f"часть файла «{part}»"
        fix = "проверьте, не вставлены ли в книгу картинки или лишние данные"
    if exc.what == "ratio":
        packed = max(exc.packed or 0, 1)
        return (f"книга не читается: {what} распаковывается из {_size(packed)} в "
                f"{_size(exc.size)}, в {_number(exc.size // packed)} раз; так сильно "
                f"сжимаются только повреждённые или специально подготовленные файлы; если это "
                f"ваша книга, откройте её в Excel и сохраните заново")
    return (f"книга слишком велика: {what} после распаковки занимает {_size(exc.size)} "
            f"(допускается до {_size(exc.limit)}, {_USUAL}); {fix}")


def damaged(name: str, exc: BookError | None = None) -> WorkbookError:
    """The one Russian line for a file Book could not read: why, and what to do."""
    if isinstance(exc, Encrypted):
        message = PASSWORD
    elif isinstance(exc, TooLarge):
        message = _too_large(exc)
    elif isinstance(exc, OtherFormat):
        message = _OTHER_FORMATS[exc.format]
    elif exc is not None and exc.sheet is not None:
        message = (f"файл повреждён: лист «{exc.sheet}» не читается; откройте книгу в Excel "
                   f"и сохраните её заново")
    else:
        message = ("файл повреждён или не является книгой Excel (.xlsx); откройте его в Excel "
                   "и сохраните заново")
    return WorkbookError(message, file=name)


def _cut_off(ws: SheetValues, file: str) -> Problem:
    """A warning that values right of MAX_COLUMNS were left out, at the first of them."""
    assert ws.extras.beyond is not None
    row, column = ws.extras.beyond
    more = ws.extras.beyond_count
    return Problem(
        Severity.WARNING,
        f"значения правее столбца {column_letter(MAX_COLUMNS)} ({MAX_COLUMNS}-го) не "
        f"читаются: в книге одной группы столько столбцов не бывает; перенесите нужные "
        f"данные левее или удалите их" + (f" (таких ячеек на листе: {more})" if more > 1 else ""),
        Location(file, ws.title, row, column))


# --------------------------------------------------------------------------- values

DATE_TEXT = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:\s*г\.?|\s*года)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
INT_TEXT = re.compile(r"^([+-]?\d+)(?:[.,]0+)?\s*(?:чел\.?|человека?|лет|года?|шт\.?)?$")
TIME_TEXT = re.compile(r"^(\d{1,2})[:.\-ч ]\s*(\d{2})(?:\s*мин\.?)?$")
YEAR_TEXT = re.compile(
    r"^(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})(?:\s*(?:уч\.?|учебный)?\s*г(?:од|\.)?)?$"
)
LIST_BULLET = re.compile(r"^(?:[-–—•·*]\s*|\d{1,2}[.)]\s+)")


class BadValue(ValueError):
    """A cell's value cannot be converted; the message says what would be right."""



def as_text(value: Any) -> str:
    """Any cell value as text: 109.0 → «109», a date → «05.06.2026»."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def parse_date(value: Any, epoch: dt.datetime | None = None) -> dt.date:
    """A real date, an Excel serial number or text ДД.ММ.ГГГГ → date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            try:
                return serial_date(value, epoch or WINDOWS_EPOCH).date()
            except OverflowError:  # past 31.12.9999 in the 1904 calendar
                pass
        raise BadValue(f"число «{as_text(value)}» не похоже на дату; нужна {DATE_HINT}")
    text = fold_spaces(str(value))
    m = DATE_TEXT.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000
    else:
        m = ISO_DATE.match(text)
        if not m:
            raise BadValue(f"«{text}» — не дата; нужна {DATE_HINT}")
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(f"дата «{text}» не существует; проверьте день и месяц") from None


def parse_int(value: Any) -> int:
    """Whole numbers, also typed as text («12», «12,0», «12 человек»)."""
    if isinstance(value, bool):
        raise BadValue("нужно целое число")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise BadValue(f"«{as_text(value)}» — не целое число; укажите целое число")
    text = fold_spaces(str(value))
    m = INT_TEXT.match(text)
    if not m:
        raise BadValue(f"«{text}» — не целое число; укажите число цифрами, например 12")
    return int(m[1])


def parse_time(value: Any) -> str:
    """«15:00», «15.00», a real time or a fraction of a day → «15:00»; ranges kept."""
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
        value = value / dt.timedelta(days=1)  # LibreOffice's time of day (.ods), «[ч]:мм»
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = fold_spaces(as_text(value))
    parts = re.split(r"\s*[–—-]\s*(?=\d{1,2}[:.]\d{2})", text) if ":" in text or "." in text else []
    if len(parts) == 2:
        return "–".join(_one_time(p, text) for p in parts)
    return _one_time(text, text)


def _one_time(part: str, whole: str) -> str:
    m = TIME_TEXT.match(part.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise BadValue(f"«{whole}» — не время; укажите время в виде ЧЧ:ММ, например 15:00")
    return f"{int(m[1]):02d}:{m[2]}"


def parse_year(value: Any) -> str:
    """«2025/2026», «2025-2026», «2025–2026», «2025/26» → «2025/2026»."""
    text = fold_spaces(as_text(value))
    m = YEAR_TEXT.match(text)
    if not m:
        raise BadValue(f"«{text}» — не учебный год; укажите его в виде 2025/2026")
    first = int(m[1])
    second = int(m[2]) if len(m[2]) == 4 else (first // 100) * 100 + int(m[2])
    if second != first + 1:
        raise BadValue(
            f"учебный год «{text}»: второй год должен быть следующим за первым, "
            f"например {first}/{first + 1}"
        )
    return f"{first}/{second}"


def parse_term(value: Any, epoch: dt.datetime | None = None) -> dt.date | str:
    """A plan's «Срок»: a date stays a date; text («октябрь 2025») is kept as typed."""
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_date(value, epoch)
    text = fold_spaces(str(value))
    if DATE_TEXT.match(text) or ISO_DATE.match(text):
        return parse_date(text)
    return text


def parse_lines(value: Any) -> list[str]:
    """One item per line; bullets and numbers typed by hand are dropped."""
    text = as_text(value).replace("\r\n", "\n").replace("\r", "\n")
    items = []
    for line in text.split("\n"):
        line = fold_spaces(LIST_BULLET.sub("", fold_spaces(line)))
        if line:
            items.append(line.rstrip(";"))
    return items


def parse_files(value: Any) -> list[str]:
    """File names as typed: one a line or separated by «;», no bullets dropped.

    A file's name may hold anything a bullet or a number looks like («1. Открытие.jpg»),
    so only the spaces around each name go.
    """
    from docgen.workbook.photos import split_items

    return split_items(as_text(value))


def parse_choice(value: Any, column: Column) -> str:
    """One of the column's choices, accepting aliases and loose spelling."""
    text = fold_spaces(as_text(value))
    wanted = norm(text)
    for choice in column.choices:
        if norm(choice) == wanted:
            return choice
    for alias, canonical in column.aliases.items():
        if norm(alias) == wanted:
            return canonical
    if not column.strict_choices:
        return text
    listed = ", ".join(f"«{c}»" for c in column.choices)
    latin = latin_letters(text)
    extra = f" (в значении есть латинские буквы: {', '.join(latin)})" if latin else ""
    raise BadValue(f"значение «{text}» не из списка{extra}; выберите одно из: {listed}")


def parse_kind(value: Any) -> str:
    text = fold_spaces(as_text(value))
    kind = find_kind(text)
    if kind is None:
        listed = ", ".join(f"«{n}»" for n in kind_names())
        raise BadValue(f"неизвестный вид объединения «{text}»; выберите один из: {listed}")
    return kind.name


# The types ``convert`` keeps as folded text (the others are parsed).
_AS_TEXT = frozenset({T.TEXT, T.NAME, T.PHONE, T.EMAIL})


def convert(value: Any, column: Column, epoch: dt.datetime | None = None) -> Any:
    """Convert a raw cell value to the column's type; empty text becomes None."""
    if isinstance(value, str):
        if column.type is T.LINES:
            items = parse_lines(value)
            return items or None
        if column.type is T.FILES:
            return parse_files(value) or None
        value = fold_spaces(value)
        if not value:
            return None
        if column.type in _AS_TEXT:
            return value  # what the last line gives a folded str, without folding it again
    kind = column.type
    if kind is T.DATE:
        return parse_date(value, epoch)
    if kind is T.INT:
        return parse_int(value)
    if kind is T.TIME:
        return parse_time(value)
    if kind is T.YEAR:
        return parse_year(value)
    if kind is T.TERM:
        return parse_term(value, epoch)
    if kind is T.LINES:
        return parse_lines(value) or None
    if kind is T.FILES:
        return parse_files(value) or None
    if kind is T.CHOICE:
        return parse_choice(value, column)
    if kind is T.KIND:
        return parse_kind(value)
    return fold_spaces(as_text(value))


# --------------------------------------------------------------------------- sheets


def find_header_row(rows: list[tuple[Any, ...]],
                     spec: Sheet) -> tuple[int, dict[int, Column]] | None:
    """The row (among the first few) that matches most of the contract's headers."""
    best: tuple[int, dict[int, Column]] | None = None
    for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        found: dict[int, Column] = {}
        for c, value in enumerate(cells, start=1):
            col = column_for_header(spec, value)
            if col is not None and col not in found.values():
                found[c] = col
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found)
    return best


class _SheetReader:
    """Reads one worksheet against its contract, collecting problems."""

    def __init__(self, ws: SheetValues, spec: Sheet, file: str, epoch: dt.datetime,
                 extras: SheetExtras, problems: list[Problem]) -> None:
        self.ws = ws
        self.spec = spec
        self.file = file
        self.epoch = epoch
        self.uncached = extras.uncached
        self.merged = extras.merged
        self.problems = problems
        self.failed: set[tuple[int, int]] = set(self.uncached)  # already reported cells

    def loc(self, row: int | None, column: int | None) -> Location:
        return Location(self.file, self.ws.title, row, column)

    def value(self, raw: Any, row: int, column: int, col: Column) -> Any:
        """A converted value, or None with a problem recorded."""
        if (row, column) in self.uncached:
            _problem(self.problems, self.loc(row, column),
                     "в ячейке формула без сохранённого значения; откройте файл в Excel "
                     "и сохраните его, чтобы формула была вычислена")
            return None
        if isinstance(raw, CellError):
            shown = RUSSIAN_ERRORS.get(raw)
            shown = f" (в русском Excel — {shown})" if shown else ""
            _problem(self.problems, self.loc(row, column),
                     f"формула даёт ошибку {raw}{shown}; исправьте формулу или впишите "
                     f"значение")
            self.failed.add((row, column))
            return None
        if raw is None:
            return None
        if isinstance(raw, str):
            raw, removed = xml_safe(raw)
            if removed:
                _problem(self.problems, self.loc(row, column),
                         f"удалены невидимые символы ({', '.join(removed)}), которые нельзя "
                         f"поместить в документ Word: так бывает при копировании текста из "
                         f"других программ; проверьте текст ячейки", Severity.WARNING)
        try:
            return convert(raw, col, self.epoch)
        except BadValue as exc:
            _problem(self.problems, self.loc(row, column), str(exc))
            self.failed.add((row, column))
            return None

    def read_table(self) -> SheetData:
        data = SheetData(self.spec, self.ws.title, present=True)
        all_rows = list(self.ws.iter_rows(values_only=True))  # one pass over the sheet XML
        header = find_header_row(all_rows, self.spec)
        if header is None:
            expected = ", ".join(f"«{c.header}»" for c in self.spec.columns)
            _problem(self.problems, self.loc(None, None),
                     f"не найдена строка заголовков; в первой строке должны быть "
                     f"столбцы: {expected}")
            return data
        data.header_row, by_index = header
        data.columns = {col.key: c for c, col in by_index.items()}
        for col in self.spec.columns:
            if col.required and col.key not in data.columns:
                _problem(self.problems, self.loc(data.header_row, None),
                         f"нет обязательного столбца «{col.header}»; добавьте его в строку "
                         f"заголовков (строка {data.header_row})")
        formula_rows = {r for r, _c in self.uncached}  # empty-looking, but not empty
        for r, cells in enumerate(
            all_rows[data.header_row:],
            start=data.header_row + 1,
        ):
            if r not in formula_rows and all(
                    v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            row = Row(self.ws.title, r, columns=data.columns)  # shared, never changed
            for c, col in by_index.items():
                raw = cells[c - 1] if c - 1 < len(cells) else None
                row.values[col.key] = self.value(raw, r, c, col)
            if all(v is None for v in row.values.values()):
                continue  # only unknown columns are filled: a note, not a member
            self._check_required(row)
            data.rows.append(row)
        return data

    def _check_required(self, row: Row) -> None:
        for col in self.spec.columns:
            if col.key in row.columns and row.values.get(col.key) is None:
                c = row.columns[col.key]
                if (row.number, c) in self.failed:
                    continue
                if col.required:
                    merged = self.merged.get((row.number, c))
                    why = (f"; ячейка входит в объединённую область {merged}, её значение "
                           f"читается один раз — разъедините ячейки и впишите значение в "
                           f"каждую строку") if merged else ""
                    _problem(self.problems, self.loc(row.number, c),
                             f"не заполнено обязательное поле «{col.header}»{why}")

    def read_fields(self) -> tuple[SheetData, Row]:
        """The «Группа» sheet: field names in column A, values in column B."""
        data = SheetData(self.spec, self.ws.title, present=True)
        fields = Row(self.ws.title, 0)
        by_norm = {norm(col.header): col for col in self.spec.columns}
        for col in self.spec.columns:
            for alias in col.header_aliases:
                by_norm[norm(alias)] = col
        for r, cells in enumerate(self.ws.iter_rows(max_col=2, values_only=True), start=1):
            label = cells[0] if cells else None
            raw = cells[1] if len(cells) > 1 else None
            if label is None or not str(label).strip():
                if raw is not None and str(raw).strip():
                    _problem(self.problems, self.loc(r, 1),
                             "значение без названия поля; впишите название поля в столбец A "
                             "или удалите значение", Severity.WARNING)
                continue
            key = norm(label)
            if key in {"поле", norm(self.spec.name)}:
                continue
            col = by_norm.get(key)
            if col is None:
                _problem(self.problems, self.loc(r, 1),
                         f"неизвестное поле «{fold_spaces(str(label))}», оно не используется; "
                         f"проверьте написание", Severity.WARNING)
                continue
            if col.key in fields.columns:
                _problem(self.problems, self.loc(r, 1),
                         f"поле «{col.header}» указано второй раз (первый раз в строке "
                         f"{fields.columns[col.key]}); оставьте одно")
                continue
            fields.columns[col.key] = r
            fields.values[col.key] = self.value(raw, r, 2, col)
        for col in self.spec.columns:
            if col.key not in fields.columns:
                fields.values[col.key] = None
            if fields.values.get(col.key) is not None:
                continue
            r = fields.columns.get(col.key)
            if r is not None and (r, 2) in self.failed:
                continue
            where = self.loc(r, 2) if r is not None else self.loc(None, None)
            missing = "не заполнено" if r is not None else "нет строки с полем"
            if col.required:
                hint = f" {col.hint[0].upper()}{col.hint[1:]}" if col.hint else ""
                _problem(self.problems, where,
                         f"{missing} обязательное поле «{col.header}».{hint}")
            elif col.recommended:
                _problem(self.problems, where,
                         f"{missing} поле «{col.header}»: в документах будет пропуск",
                         Severity.WARNING)
        data.columns = {"value": 2}
        return data, fields


def read_workbook(path: str | Path) -> WorkbookData:
    """Read ``path`` into WorkbookData; problems are collected, not raised.

    Raises WorkbookError only when the file cannot be read as a workbook at all.
    """
    path = Path(path)
    wb = open_workbook(read_bytes(path), path.name)
    try:
        problems: list[Problem] = []
        titles: dict[str, str] = {}
        for title in wb.titles:
            spec = sheet_for_name(title)
            if spec is not None and spec.key not in titles:
                titles[spec.key] = title
        sheets: dict[str, SheetData] = {}
        fields = Row(GROUP.name, 0, values={c.key: None for c in GROUP.columns})
        for spec in SHEETS:
            title = titles.get(spec.key)
            if title is None:
                sheets[spec.key] = SheetData(spec, spec.name, present=False)
                if spec.required:
                    _problem(problems, Location(path.name, spec.name),
                             "в книге нет обязательного листа; добавьте лист с этим именем "
                             "(его можно взять из пустой книги: docgen init)")
                continue
            ws = wb.sheet(title)
            if ws.extras.beyond is not None:
                problems.append(_cut_off(ws, path.name))
            reader = _SheetReader(ws, spec, path.name, wb.epoch, ws.extras, problems)
            if spec.fields:
                sheets[spec.key], fields = reader.read_fields()
            else:
                sheets[spec.key] = reader.read_table()
        return WorkbookData(path=path, sheets=sheets, fields=fields, problems=problems)
    except BookError as exc:
        raise damaged(path.name, exc) from exc
    finally:
        wb.close()
