"""A workbook's sheets as rows of values: .xlsx, .xlsm, .xls and .ods, read by python-calamine.

python-calamine (Rust's calamine, MIT) reads what Excel, LibreOffice and МойОфис
save. This module adds only what it does not do:

* limits: the file may be anything a clerk picked by mistake, or made to do harm.
  A zip package (.xlsx, .ods) is checked before calamine opens it: the number of
  parts, each part's and all parts' unpacked size, the packing ratio, and every
  XML part is inflated here, in chunks, so that a part that lies about its size
  fails its check instead of filling memory. calamine holds a sheet as one
  rectangle from A1 to its last value and aborts the process when that does not
  fit in memory, so before calamine reads an .xlsx sheet its XML is scanned as it
  is inflated (never held whole): a sheet whose rectangle passes MAX_CELLS, or
  with more than MAX_ROWS filled rows, is refused.
* what a clerk reads for cells with no plain value (said in docs/workbook.md):
  in an .xlsx a formula that gives an error (``#N/A``, shown «#Н/Д» by a Russian
  Excel) is reported with its code, and a formula saved without its value (a
  file written by a program, never opened in Excel) is reported as such; in .xls
  and .ods calamine gives both as empty cells, so a required one is reported as
  not filled, and a cell whose text is an error code is taken for that error.
* positions: rows start at row 1 and column A whatever is empty, so every message
  names the cell the clerk sees; merged ranges (.xlsx, .xls) refine messages.

Macros are never run (calamine never reads an .xlsm's ``vbaProject.bin``).
``python_calamine`` is imported only here, when a workbook is read: ``docgen
--help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from docgen.errors import column_letter

# --------------------------------------------------------------------------- limits
#
# One group's workbook is small: the five examples in data/ are 10–20 KB, a real one
# with a hundred members and a logo stays under 1 MB. The limits below are far above
# anything a group needs and far below what would take minutes or all the memory of
# a clerk's computer.

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # the file itself; checked before the file is read
MAX_PARTS = 10_000  # zip entries: a workbook has 10–40, a few hundred with many pictures
MAX_DIRECTORY_BYTES = 4 * MB  # the zip's table of contents, as its end record declares it
MAX_PART_BYTES = 200 * MB  # one part unpacked (a million formatted empty rows: ~85 MB)
MAX_TOTAL_BYTES = 500 * MB  # all parts unpacked together
RATIO_FROM_BYTES = 10 * MB  # a part this large may not unpack to more than MAX_RATIO
MAX_RATIO = 100  # times its packed size (Excel's XML packs 5–25 times; a «zip bomb» 1 000)
MAX_ROWS = 10_000  # filled rows on one sheet: a hundred times a group's largest table
MAX_COLUMNS = 100  # columns read: every sheet of the contract has under 20
MAX_MERGED_CELLS = 100_000  # hidden cells of merged ranges kept for messages
# The rectangle calamine holds for a sheet, from A1 to its last value (about 32 bytes
# a cell): 10 000 rows of 100 columns fit ten times over, a stray value at XFD1048576
# (17 billion cells) does not.
MAX_CELLS = 10_000_000
CHUNK = 256 * 1024  # a part is inflated and scanned this much at a time
EXCEL_ROWS = 1_048_576  # Excel's last row
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_BROKEN = (KeyError, IndexError, ValueError, EOFError, OSError, struct.error, zlib.error,
           zipfile.BadZipFile, NotImplementedError)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
# What Excel stores for a formula's error, and LibreOffice's own «Err:502».
ERROR_CODES = frozenset({"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                         "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                         "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!"})
LIBREOFFICE_ERROR = re.compile(r"^Err:\d{3}$")


class BookError(Exception):
    """The file is not a readable workbook (the reader says so in Russian).

    ``sheet`` is the title of the worksheet that could not be read, if it was one.
    """

    def __init__(self, detail: str, sheet: str | None = None) -> None:
        super().__init__(detail)
        self.sheet = sheet


class OtherFormat(BookError):
    """A readable file of another kind: ``format`` is one of "opendocument", "docx",
    "pptx", "xlsb", "strict" (Strict Open XML), "fods" or "zip" (any other zip)."""

    def __init__(self, format: str) -> None:
        super().__init__(format)
        self.format = format


class Encrypted(BookError):
    """A workbook protected by a password."""


class TooLarge(BookError):
    """A limit above was passed; nothing more was read.

    ``what`` is "file", "parts", "directory", "part", "total", "ratio", "rows" or
    "area"; ``size`` is what was found and ``limit`` what is allowed; ``packed`` is a
    part's packed size (for "ratio"); ``part`` the part's name; for "area" ``cell`` is
    the farthest value's reference.
    """

    def __init__(self, what: str, size: int, limit: int, *, part: str | None = None,
                 sheet: str | None = None, packed: int | None = None,
                 cell: str | None = None) -> None:
        super().__init__(f"{what}: {size} > {limit} ({part or sheet or 'file'})", sheet)
        self.what = what
        self.size = size
        self.limit = limit
        self.part = part
        self.packed = packed
        self.cell = cell


class CellError(str):
    """An error value a formula left in a cell («#N/A», «#REF!»): a str, told apart from
    the same characters typed as text (in an .xlsx)."""


@dataclass
class SheetExtras:
    """What values alone do not tell: formulas never computed, merged cells, and
    values right of MAX_COLUMNS that were left out (the first one and how many)."""

    uncached: set[tuple[int, int]] = field(default_factory=set)
    merged: dict[tuple[int, int], str] = field(default_factory=dict)  # hidden cell -> range
    beyond: tuple[int, int] | None = None  # (row, column) of the first value left out
    beyond_count: int = 0


@dataclass
class SheetValues:
    """One worksheet: rows of values from row 1 and column A (None for an empty cell)."""

    title: str
    rows: list[tuple[Any, ...]]
    extras: SheetExtras

    def iter_rows(self, max_col: int | None = None,
                  values_only: bool = True) -> list[tuple[Any, ...]]:
        """The rows, as openpyxl's ``iter_rows(values_only=True)`` gives them."""
        if max_col is None:
            return self.rows
        return [row[:max_col] + (None,) * (max_col - len(row)) for row in self.rows]


_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of an «B7» reference, both 1-based."""
    m = _REF.match(ref.replace("$", "").upper())
    if not m:
        raise BookError(f"bad cell reference {ref!r}")
    column = 0
    for letter in m.group(1):
        column = column * 26 + ord(letter) - 64
    return int(m.group(2)), column


def serial_date(value: float, epoch: dt.datetime) -> dt.datetime:
    """An Excel serial number as a date and time, as Excel shows it (and openpyxl reads it):
    the 1900 calendar counts a 29 February 1900 that never was."""
    day, fraction = divmod(value, 1)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return (epoch + dt.timedelta(days=day)
            + dt.timedelta(milliseconds=round(fraction * 86_400_000)))


# --------------------------------------------------------------------------- .xlsx scan

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # a namespace prefix, as other programs may write one
# A cell with content (not self-closing), its attributes and its content.
_CELL = re.compile(rb"<" + _P + rb"c\s([^>]*?)(?<!/)>(.*?)</" + _P + rb"c>", re.S)
# Every cell with content (not self-closing), with its reference's column and row when
# it has one (b"" when calamine places it by its order): one pass over the XML.
_CELL_REF = re.compile(
    rb"<" + _P + rb"c\s[^>]*?(?:\br=\"\$?([A-Z]{1,3})\$?(\d{1,7})\"[^>]*)?(?<!/)>")
_ROWS = re.compile(rb"<" + _P + rb"row\b")
_ATTR_REF = re.compile(rb"\br=\"\$?([A-Z]{1,3}\$?\d{1,7})\"")
_ATTR_ERROR = re.compile(rb"\bt=\"e\"")
_FORMULA = re.compile(rb"<" + _P + rb"f\b")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</")
_DTD = re.compile(rb"<!DOCTYPE", re.I)
# The parts besides the sheets that calamine reads: verified before it does.
_READ_BY_CALAMINE = ("xl/sharedStrings.xml", "xl/styles.xml", "content.xml", "styles.xml")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c\s")



def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


_ROW_END = re.compile(rb"</" + _P + rb"row>")


class _SheetScan:
    """A streamed scan of an .xlsx sheet's XML, fed in pieces that end between cells.

    It refuses a sheet calamine could not hold (see MAX_CELLS) or with more than
    MAX_ROWS filled rows, notes formulas saved without a value and the codes of
    formulas' errors.
    """

    def __init__(self, title: str, extras: SheetExtras) -> None:
        self.title = title
        self.extras = extras
        self.errors: dict[tuple[int, int], str] = {}
        self.rows = self.named = self.unnamed_rows = self.cells = 0
        self.letters: set[bytes] = set()
        self.filled: set[bytes] = set()
        self.far = b""

    def feed(self, xml: bytes) -> None:
        cells = _CELL_REF.findall(xml)
        refs = [ref for ref in cells if ref[0]]
        self.named += len(refs)
        self.letters.update(map(itemgetter(0), refs))
        rows = set(map(itemgetter(1), refs))
        self.filled |= rows
        if len(self.filled) > MAX_ROWS:  # checked a piece at a time: about 1 MB of XML
            raise TooLarge("rows", len(self.filled), MAX_ROWS, sheet=self.title)
        top = max(map(int, rows), default=0)
        if top > self.rows:
            self.rows, self.far = top, str(top).encode()
        self.cells += len(cells)
        if _PREFIXED_CELL.search(xml) is None:
            # Excel's and LibreOffice's way: only the cells with a formula or an error
            seen: set[int] = set()
            for found in (*_found(xml, b"<f"), *_found(xml, b' t="e"')):
                at = xml.rfind(b"<c ", 0, found)
                end = xml.find(b"</c>", at) if at >= 0 else -1
                if at < 0 or at in seen or end < found:
                    continue  # not inside a cell (or the cell already seen)
                seen.add(at)
                head = xml.find(b">", at)
                self._cell(xml[at + 3:head], xml[head + 1:end])
        else:  # cells with a namespace prefix (x:c): every cell is looked at
            for attributes, content in _CELL.findall(xml):
                self._cell(attributes, content)

    def count_rows(self, xml: bytes) -> None:
        """Count the row elements: a second pass, made only for a sheet with cells
        placed by their order (no reference), where they tell how far down it goes."""
        self.unnamed_rows += len(_ROWS.findall(xml))

    def _cell(self, attributes: bytes, content: bytes) -> None:
        """Note a cell's formula saved without a value, or its formula's error."""
        is_error = _ATTR_ERROR.search(attributes) is not None
        has_formula = _FORMULA.search(content) is not None
        if not is_error and not has_formula:
            return
        ref = _ATTR_REF.search(attributes)
        if ref is None:
            return  # no reference: calamine places it, this scan cannot
        where = split_ref(ref.group(1).decode())
        value = _VALUE.search(content)
        text = value.group(1).decode("utf-8", "replace").strip() if value else ""
        if is_error and text:
            self.errors[where] = text
        elif not text and has_formula:
            self.extras.uncached.add(where)

    def finish(self) -> None:
        """Refuse the sheet if its rectangle from A1 would not fit in memory."""
        rows = self.rows
        columns = max(map(_column_number, self.letters), default=0)
        unnamed = self.cells - self.named  # cells placed by their order
        if unnamed > 0:
            rows = max(rows, self.unnamed_rows)
            columns += unnamed
        if rows > EXCEL_ROWS:
            raise BookError(f"row number {rows}", self.title)
        if rows * columns > MAX_CELLS:
            widest = max(self.letters, key=_column_number, default=b"A")
            raise TooLarge("area", rows * columns, MAX_CELLS, sheet=self.title,
                           cell=(widest + self.far).decode())


def _found(xml: bytes, text: bytes) -> list[int]:
    """Where ``text`` occurs in ``xml`` (bytes.find: far faster than a regex's scan)."""
    places = []
    at = xml.find(text)
    while at >= 0:
        places.append(at)
        at = xml.find(text, at + 1)
    return places


def _pieces(stream: Any) -> Any:
    """A part's XML in pieces of about CHUNK bytes, each ending after a row: a cell is
    never cut («<» is always escaped in text, so «</row>» is a real end tag)."""
    rest = b""
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        rest += chunk
        last = None
        for match in _ROW_END.finditer(rest, max(0, len(rest) - len(chunk) - 16)):
            last = match
        if last is not None:
            yield rest[:last.end()]
            rest = rest[last.end():]
    if rest:
        yield rest


# --------------------------------------------------------------------------- the book


class Book:
    """The workbook held in ``data``: ``titles`` of its worksheets and ``sheet(title)``."""

    def __init__(self, data: bytes, suffix: str = "") -> None:
        if len(data) > MAX_FILE_BYTES:
            raise TooLarge("file", len(data), MAX_FILE_BYTES)
        self.epoch = WINDOWS_EPOCH
        self.format = "xls"
        self._sheet_parts: dict[str, str] = {}  # .xlsx: a worksheet's part by its title
        self._archive: zipfile.ZipFile | None = None
        if data.startswith(ZIP_MAGIC) or not data.startswith(OLE_MAGIC):
            if suffix == ".fods" or data.lstrip()[:5] == b"<?xml":
                raise OtherFormat("fods" if suffix == ".fods" else "zip")
            self._package(data)
        try:
            self._open(data)
        except BaseException:
            if self._archive is not None:
                self._archive.close()
            raise

    # -- the package ---------------------------------------------------------------

    def _package(self, data: bytes) -> None:
        """Check a zip package's limits and kind; inflate once, in chunks, the XML calamine
        reads. Nothing else is inflated: an .xlsm's macros and the pictures never are."""
        directory = _directory(data)
        if directory is not None:
            entries, size = directory
            if entries > MAX_PARTS:
                raise TooLarge("parts", entries, MAX_PARTS)
            if size > MAX_DIRECTORY_BYTES:
                raise TooLarge("directory", size, MAX_DIRECTORY_BYTES)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except _BROKEN as exc:
            raise BookError(str(exc)) from exc
        self._archive = archive  # open while the book is: each sheet is scanned from it
        try:
            self._sheet_parts = self._checked(archive)
        except BaseException:
            archive.close()
            raise

    def _checked(self, archive: zipfile.ZipFile) -> dict[str, str]:
        """The package's limits and kind checked, its XML verified; .xlsx sheets by title."""
        infos = {info.filename: info for info in archive.infolist()}
        if len(infos) > MAX_PARTS:  # the end record may understate them
            raise TooLarge("parts", len(infos), MAX_PARTS)
        self.format = _identify(archive, infos)
        parts: dict[str, bytes] = {}
        sheets: dict[str, str] = {}  # .xlsx: a worksheet's part -> its title
        if self.format == "xlsx":
            for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                if name in infos:
                    parts[name] = _inflate(archive, infos[name], None)
            sheets = self._xlsx_book(parts)
        for info in infos.values():
            _check_part(info, sheets.get(info.filename))
        total = sum(info.file_size for info in infos.values())
        if total > MAX_TOTAL_BYTES:
            raise TooLarge("total", total, MAX_TOTAL_BYTES)
        for name in _READ_BY_CALAMINE:  # a sheet is streamed when it is read
            if name in infos and name not in parts:
                for _piece in _stream(archive, infos[name], None):
                    pass
        return {title: part for part, title in sheets.items() if part in infos}

    def _xlsx_book(self, parts: dict[str, bytes]) -> dict[str, str]:
        """The worksheets' parts and titles, and the workbook's calendar."""
        from lxml import etree

        try:
            book = etree.fromstring(parts["xl/workbook.xml"])
            rels = _relationships(parts.get("xl/_rels/workbook.xml.rels", b""))
        except (KeyError, etree.LxmlError) as exc:
            raise BookError(str(exc)) from exc
        if book.tag == "{http://purl.oclc.org/ooxml/spreadsheetml/main}workbook":
            raise OtherFormat("strict")
        main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        pr = book.find(f"{main}workbookPr")
        if pr is not None and pr.get("date1904", "").lower() in ("1", "true"):
            self.epoch = MAC_EPOCH
        rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        sheets = {}
        for sheet in book.iterfind(f"{main}sheets/{main}sheet"):
            title = sheet.get("name", "")
            target = rels.get(sheet.get(rel_id, ""))
            if target is None:
                raise BookError(f"sheet {title!r}: no relationship", title)
            sheets[target] = title
        return sheets

    def _open(self, data: bytes) -> None:
        from python_calamine import CalamineError, CalamineWorkbook, PasswordError

        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except PasswordError as exc:
            raise Encrypted(str(exc)) from exc
        except (CalamineError, *_BROKEN) as exc:
            raise BookError(str(exc)) from exc
        except BaseException as exc:  # a Rust panic is pyo3's PanicException, a BaseException
            _reraise_interrupts(exc)
            raise BookError(f"{type(exc).__name__}: {exc}") from exc
        from python_calamine import SheetTypeEnum

        self.titles: list[str] = [m.name for m in self._book.sheets_metadata
                                  if m.typ == SheetTypeEnum.WorkSheet]

    def close(self) -> None:
        self._book.close()
        if self._archive is not None:
            self._archive.close()

    # -- sheets --------------------------------------------------------------------

    def sheet(self, title: str) -> SheetValues:
        """Every row of a worksheet from A1; a damaged sheet is a BookError naming it,
        a sheet past a limit a TooLarge."""
        extras = SheetExtras()
        errors: dict[tuple[int, int], str] = {}
        part = self._sheet_parts.get(title)
        if part is not None:
            scan = _SheetScan(title, extras)
            try:
                info = self._archive.getinfo(part)
                for piece in _stream(self._archive, info, title):
                    scan.feed(piece)
                if scan.cells > scan.named:  # rare: most writers name every cell
                    for piece in _stream(self._archive, info, title):
                        scan.count_rows(piece)
            except _BROKEN as exc:
                raise BookError(f"{title}: {exc}", title) from exc
            scan.finish()
            errors = scan.errors
        try:
            sheet = self._book.get_sheet_by_name(title)
            raw = sheet.to_python(skip_empty_area=False)
            merges = sheet.merged_cell_ranges or []
        except BaseException as exc:  # calamine's errors, and a panic on a damaged sheet
            _reraise_interrupts(exc)
            raise BookError(f"{title}: {type(exc).__name__}: {exc}", title) from exc
        rows = self._values(raw, title, extras, errors)
        _merged_cells(merges, len(rows), extras.merged)
        end = max(len(rows), max((r for r, _c in extras.uncached), default=0))
        rows += [()] * (end - len(rows))
        return SheetValues(title, rows, extras)

    def _values(self, raw: list[list[Any]], title: str, extras: SheetExtras,
                errors: dict[tuple[int, int], str]) -> list[tuple[Any, ...]]:
        """calamine's rows as the reader takes them: None for empty, whole numbers as int,
        a date as a datetime at midnight (as openpyxl gives it), errors as CellError."""
        rows: list[tuple[Any, ...]] = []
        filled = 0
        texts_are_errors = self.format != "xlsx"
        for r, cells in enumerate(raw, start=1):
            values: list[Any] = []
            for c, value in enumerate(cells, start=1):
                if value == "" or value is None:
                    value = None
                elif c > MAX_COLUMNS:
                    extras.beyond = extras.beyond or (r, c)
                    extras.beyond_count += 1
                    continue
                elif type(value) is float:
                    if value.is_integer() and abs(value) < 1e16:
                        value = int(value)
                elif type(value) is dt.date:
                    value = dt.datetime(value.year, value.month, value.day)
                elif texts_are_errors and type(value) is str and (
                        value in ERROR_CODES or LIBREOFFICE_ERROR.match(value)):
                    value = CellError(value)
                if c <= MAX_COLUMNS:
                    values.append(value)
            for (er, ec), code in errors.items():
                if er == r and ec <= MAX_COLUMNS:
                    values.extend([None] * (ec - len(values)))
                    values[ec - 1] = CellError(code)
            while values and values[-1] is None:
                values.pop()
            if values:
                filled += 1
                if filled > MAX_ROWS:
                    raise TooLarge("rows", filled, MAX_ROWS, sheet=title)
            rows.append(tuple(values))
        while rows and not rows[-1]:
            rows.pop()
        return rows


def _reraise_interrupts(exc: BaseException) -> None:
    """Ctrl+C and exit go on; anything else calamine raises is a damaged workbook."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def _identify(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> str:
    """"xlsx" or "ods" by what the package holds; another kind of file is OtherFormat."""
    if "mimetype" in infos:  # OpenDocument names its format in its first entry
        try:
            with archive.open(infos["mimetype"]) as stream:
                mimetype = stream.read(200)
        except _BROKEN:
            mimetype = b""
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument" in mimetype:
            raise OtherFormat("opendocument")
    if "xl/workbook.xml" in infos:
        return "xlsx"
    if "xl/workbook.bin" in infos:
        raise OtherFormat("xlsb")
    for prefix, format in (("word/", "docx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in infos):
            raise OtherFormat(format)
    if any(name.startswith("xl/") for name in infos):
        raise BookError("no xl/workbook.xml")  # a workbook that lost its main part
    raise OtherFormat("zip")


def _check_part(info: zipfile.ZipInfo, sheet: str | None) -> None:
    """Refuse a part before inflating it: see the limits above."""
    if info.flag_bits & 0x1 or info.compress_type not in _METHODS:
        raise BookError(f"{info.filename}: encrypted or packed by method {info.compress_type}",
                        sheet)
    size = info.file_size
    if size > MAX_PART_BYTES:
        raise TooLarge("part", size, MAX_PART_BYTES, part=info.filename, sheet=sheet)
    if size >= RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
        raise TooLarge("ratio", size, MAX_RATIO, part=info.filename, sheet=sheet,
                       packed=info.compress_size)


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None) -> Any:
    """A part's XML inflated CHUNK bytes at a time, in pieces that end after a row (see
    ``_pieces``). zipfile never gives more than the declared (and checked) size and checks
    the CRC, where one ``read()`` could inflate a gigabyte first. Office Open XML forbids
    DTDs (ECMA-376 Part 2, M1.18): they are how entity-expansion attacks are made, and a
    part that declares one is refused; OpenDocument's XML never has one."""
    _check_part(info, sheet)
    try:
        with archive.open(info) as stream:
            first = True
            for piece in _pieces(stream):
                if first and _DTD.search(piece, 0, 1024):
                    raise BookError(f"{info.filename} declares a DTD", sheet)
                first = False
                yield piece
    except _BROKEN as exc:
        raise BookError(f"{info.filename}: {exc}", sheet) from exc


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None) -> bytes:
    """A small part whole (the workbook's list of sheets)."""
    return b"".join(_stream(archive, info, sheet))


def _directory(data: bytes) -> tuple[int, int] | None:
    """(entries, size in bytes) of the zip's central directory as its end record (or the
    Zip64 record) declares them; None without an end record."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or len(data) - at < 22:
        return None
    entries, size = struct.unpack_from("<HL", data, at + 10)
    if at >= 76 and data[at - 20:at - 16] == b"PK\x06\x07" and \
            data[at - 76:at - 72] == b"PK\x06\x06":
        entries, size = struct.unpack_from("<QQ", data, at - 76 + 32)
    return entries, size


def _relationships(data: bytes) -> dict[str, str]:
    """Relationship id -> target part of xl/workbook.xml."""
    from lxml import etree

    found = {}
    if not data:
        return found
    for rel in etree.fromstring(data).iter(
            "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found[rel.get("Id", "")] = posixpath.normpath(target)
    return found


def _merged_cells(ranges: list[tuple[tuple[int, int], tuple[int, int]]], last_row: int,
                  merged: dict[tuple[int, int], str]) -> None:
    """The hidden cells of merged ranges (all but the top-left one), up to the sheet's
    last row, MAX_COLUMNS and MAX_MERGED_CELLS: a range may be the whole sheet."""
    budget = MAX_MERGED_CELLS
    for (r1, c1), (r2, c2) in ranges:  # calamine's are 0-based
        r1, c1, r2, c2 = r1 + 1, c1 + 1, r2 + 1, c2 + 1
        if r1 > last_row or c1 > MAX_COLUMNS:
            continue
        ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
        for r in range(r1, min(r2, last_row) + 1):
            for col in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (r, col) == (r1, c1):
                    continue
                if budget <= 0:
                    return
                merged[(r, col)] = ref
                budget -= 1
