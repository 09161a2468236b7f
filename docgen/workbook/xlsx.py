"""A fast, read-only view of an .xlsx: sheet titles and cell values, one pass per sheet.

openpyxl's read-only mode parses every sheet's XML twice (once for its size,
once for its rows) and builds its whole style model; docgen's reader needs only
values, which cells hold a formula with no saved result and which are merged.
For a centre's hundreds of workbooks that difference is most of the run, so
this module reads the parts it needs with lxml, once, and gives values exactly
as openpyxl's ``values_only``/``data_only`` reading does (numbers, dates by the
cell's number format, shared and inline strings, booleans, error codes), using
openpyxl's own date and number-format helpers (copied in ``excel_dates.py``, so
that reading needs no openpyxl). Macros are never run: they are
never even read (an .xlsm's ``vbaProject.bin`` is never opened).

The file may be anything a clerk picked by mistake, or made to do harm, so
nothing is unpacked before its size is checked against the limits below, a
sheet is streamed (never held whole in memory) and reading stops at the first
limit passed. Every failure is an ``XlsxError``; its subclasses say what was
wrong in data, and the reader words it in Russian.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # «строгий Open XML»
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{MAIN}}}"
# No entity is expanded and no DTD loaded, nothing is fetched from the network, and
# libxml2's own limits on text nodes and nesting stay on (huge_tree=False).
_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True,
                            "huge_tree": False, "load_dtd": False}
_PARSER = etree.XMLParser(**_OPTIONS)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")

# --------------------------------------------------------------------------- limits
#
# One group's workbook is small: the five examples in data/ are 10–20 KB, a real one
# with a hundred members and a logo stays under 1 MB. The limits below are far above
# anything a group needs, so no real workbook meets them, and far below what would
# take minutes or all the memory of a clerk's computer, so a wrong file (a whole
# database export, a crafted «zip bomb») is refused in a second with a clear reason.

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # the file itself; the reader checks it before reading the file
MAX_PARTS = 10_000  # zip entries: a workbook has 10–40, a few hundred with many pictures
# The zip's central directory (its table of contents): zipfile builds an object for
# every entry listed there before anything can be counted, so its declared size is
# checked first. An entry takes 46 bytes and its name, so 10 000 take well under 4 MB.
MAX_DIRECTORY_BYTES = 4 * MB
# One part unpacked. A sheet where Excel keeps all 1 048 576 rows formatted but empty
# is about 85 MB of XML and is read (in about two seconds); a group's largest real
# part is under 1 MB.
MAX_PART_BYTES = 200 * MB
MAX_TOTAL_BYTES = 500 * MB  # all parts unpacked together
# A big part may not unpack to more than MAX_RATIO times its packed size. Excel's XML
# packs 5–25 times (a sheet of a million formatted empty rows: 15–22 times); deflate
# can reach about 1 000 times only on data made to be repetitive: a «zip bomb».
RATIO_FROM_BYTES = 10 * MB
MAX_RATIO = 100
# Filled rows on one sheet. A group has at most about a hundred members, fifty events
# and a plan of a hundred lines; 10 000 rows is a hundred times more. Reading stops at
# row 10 001, so a sheet of a whole other table fails at once instead of being
# converted row by row. Rows that are only formatted (no value) are not counted.
MAX_ROWS = 10_000
# Columns read: every sheet of the contract has under 20. A value further right
# (Excel allows 16 384 columns, up to XFD) would make every row that long in memory;
# it is left out and the reader warns about it.
MAX_COLUMNS = 100
# Merged cells only refine the message about an empty required cell, and a range
# such as A1:XFD1048576 would otherwise be 17 billion entries: the first 100 000
# hidden cells are kept, far more than any real sheet has.
MAX_MERGED_CELLS = 100_000
EXCEL_ROWS = 1_048_576  # Excel's last row; a larger row number is a damaged file

# Reading a part in chunks keeps the declared (and checked) size a real bound:
# zipfile's ZipExtFile never returns more than the member's ``file_size`` from the
# central directory (``_read1`` cuts the data to ``self._left``, which starts as
# ``zipinfo.file_size``, and then checks the CRC: CPython 3.11.7 zipfile.py lines 828
# and 1041–1045; the same in 3.10–3.13). A single ``read()`` of a whole member,
# however, inflates up to ``MAX_N`` (1 GiB) in one step before that cut, so a member
# that lies about its size could still take a gigabyte; reading ``CHUNK`` bytes at a
# time inflates at most that much per step. Only stored and deflated members are
# read: other methods (bzip2, lzma) inflate a whole chunk without any bound, and
# Excel and LibreOffice never use them.
CHUNK = 64 * 1024
# A part up to this size is parsed whole, which is faster for the small parts every real
# workbook has; a larger one is streamed element by element in constant memory.
WHOLE_PART_BYTES = 4 * MB
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# What a broken package raises while it is opened, inflated or parsed.
_BROKEN = (KeyError, IndexError, ValueError, EOFError, OSError, struct.error, zlib.error,
           zipfile.BadZipFile, NotImplementedError, etree.LxmlError)


class XlsxError(Exception):
    """The package is not a readable workbook (the reader says so in Russian).

    ``sheet`` is the title of the worksheet that could not be read, if it was one.
    """

    def __init__(self, detail: str, sheet: str | None = None) -> None:
        super().__init__(detail)
        self.sheet = sheet


class OtherFormat(XlsxError):
    """A readable file of another kind: ``format`` is one of "ods", "opendocument",
    "docx", "pptx", "xlsb", "strict" (Strict Open XML) or "zip" (any other zip)."""

    def __init__(self, format: str) -> None:
        super().__init__(format)
        self.format = format


class TooLarge(XlsxError):
    """A limit above was passed; nothing more was read.

    ``what`` is "file", "parts", "directory", "part", "total", "ratio" or "rows";
    ``size`` is what was found and ``limit`` what is allowed, in bytes, entries or
    rows; ``packed`` is a part's packed size (for "ratio"); ``part`` the part's name.
    """

    def __init__(self, what: str, size: int, limit: int, *, part: str | None = None,
                 sheet: str | None = None, packed: int | None = None) -> None:
        super().__init__(f"{what}: {size} > {limit} ({part or sheet or 'file'})", sheet)
        self.what = what
        self.size = size
        self.limit = limit
        self.part = part
        self.packed = packed


class CellError(str):
    """An error value a formula left in a cell («#N/A», «#REF!»): a str, as openpyxl gives
    it, but told apart from the same characters typed as text."""


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
    """One worksheet: rows of values (index 0 is row 1), and its extras."""

    title: str
    rows: list[tuple[Any, ...]]
    extras: SheetExtras

    def iter_rows(self, max_col: int | None = None,
                  values_only: bool = True) -> list[tuple[Any, ...]]:
        """The rows, as openpyxl's ``iter_rows(values_only=True)`` gives them."""
        if max_col is None:
            return self.rows
        return [row[:max_col] + (None,) * (max_col - len(row)) for row in self.rows]


@lru_cache(maxsize=65536)  # the same few hundred cells in every workbook
def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of an «B7» reference, both 1-based."""
    m = _REF.match(ref.replace("$", "").upper())
    if not m:
        raise XlsxError(f"bad cell reference {ref!r}")
    column = 0
    for letter in m.group(1):
        column = column * 26 + ord(letter) - 64
    return int(m.group(2)), column


_T, _R, _V, _F, _IS, _C, _ROW, _SI, _MERGE = (
    f"{_M}{tag}" for tag in ("t", "r", "v", "f", "is", "c", "row", "si", "mergeCell"))


def _text(node: Any) -> str:
    """A string item's text: plain or rich runs, phonetic hints left out; _xHHHH_ decoded."""
    if len(node) == 1 and node[0].tag == _T:  # plain text, by far the most common
        text = node[0].text or ""
    else:
        parts = [t.text or "" for t in node.iterchildren(_T)]
        for run in node.iterchildren(_R):
            parts.extend(t.text or "" for t in run.iterchildren(_T))
        text = "".join(parts)
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _cast_number(text: str) -> int | float:
    """As openpyxl: an integer unless the text has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _refuse_dtd(root: Any) -> None:
    """Office Open XML forbids DTDs in a package and says to treat one as an error
    (ECMA-376 Part 2, M1.18): they are how entity-expansion attacks are made."""
    if root is not None and root.getroottree().docinfo.doctype:
        raise XlsxError("a part declares a DTD")


def _directory(data: bytes) -> tuple[int, int] | None:
    """(entries, size in bytes) of the zip's central directory, as its end record
    declares them (the Zip64 record when there is one, as zipfile reads it), or None
    when there is no end record (zipfile then says the file is not a zip)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or len(data) - at < 22:
        return None
    entries, size = struct.unpack_from("<HL", data, at + 10)
    if at >= 76 and data[at - 20:at - 16] == b"PK\x06\x07" and \
            data[at - 76:at - 72] == b"PK\x06\x06":
        entries, size = struct.unpack_from("<QQ", data, at - 76 + 32)
    return entries, size


class XlsxBook:
    """The workbook held in ``data``: ``titles`` of its worksheets and ``sheet(title)``."""

    def __init__(self, data: bytes) -> None:
        from docgen.workbook.excel_dates import (
            MAC_EPOCH,
            WINDOWS_EPOCH,
            from_excel,
            from_ISO8601,
        )

        self._from_excel = from_excel
        self._from_iso = from_ISO8601
        if len(data) > MAX_FILE_BYTES:
            raise TooLarge("file", len(data), MAX_FILE_BYTES)
        directory = _directory(data)
        if directory is not None:
            entries, size = directory
            if entries > MAX_PARTS:
                raise TooLarge("parts", entries, MAX_PARTS)
            if size > MAX_DIRECTORY_BYTES:
                raise TooLarge("directory", size, MAX_DIRECTORY_BYTES)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except _BROKEN as exc:
            raise XlsxError(str(exc)) from exc
        try:
            self._open_book(MAC_EPOCH, WINDOWS_EPOCH)
        except BaseException:
            self._zip.close()
            raise

    def _open_book(self, mac: dt.datetime, windows: dt.datetime) -> None:
        self._infos = {info.filename: info for info in self._zip.infolist()}
        if len(self._infos) > MAX_PARTS:  # the end record may understate them
            raise TooLarge("parts", len(self._infos), MAX_PARTS)
        self._identify()
        try:
            book = self._xml("xl/workbook.xml")
            rels = self._rels("xl/workbook.xml")
        except _BROKEN as exc:
            raise XlsxError(str(exc)) from exc
        if book.tag == f"{{{STRICT}}}workbook":
            raise OtherFormat("strict")
        if book.tag != f"{_M}workbook":
            raise XlsxError(f"unexpected root element {book.tag}")
        pr = book.find(f"{_M}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        self.epoch: dt.datetime = mac if date1904 else windows
        self._parts: dict[str, str] = {}
        self.titles: list[str] = []
        for sheet in book.iterfind(f"{_M}sheets/{_M}sheet"):
            title = sheet.get("name", "")
            rel = sheet.get(f"{{{REL}}}id", "")
            if rel not in rels:
                raise XlsxError(f"sheet {title!r}: no relationship {rel!r}", title)
            kind, target = rels[rel]
            if kind.endswith("/worksheet"):  # not a chartsheet or a dialog sheet
                self.titles.append(title)
                self._parts[title] = target
        self._check_sizes()
        by_kind = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
        try:
            self._strings = self._shared_strings(by_kind.get("sharedStrings"))
            self._dates, self._durations = self._date_styles(by_kind.get("styles"))
        except _BROKEN as exc:
            raise XlsxError(str(exc)) from exc

    def close(self) -> None:
        self._zip.close()

    # -- package -------------------------------------------------------------------

    def _identify(self) -> None:
        """Refuse, by what the package holds, a file that is not an .xlsx workbook."""
        names = self._infos
        if "mimetype" in names:  # OpenDocument names its format in its first entry
            try:
                mimetype = self._bytes("mimetype")[:200]
            except _BROKEN:
                mimetype = b""
            if b"opendocument.spreadsheet" in mimetype:
                raise OtherFormat("ods")
            if b"opendocument" in mimetype:
                raise OtherFormat("opendocument")
        if "xl/workbook.xml" in names:
            return
        if "xl/workbook.bin" in names:
            raise OtherFormat("xlsb")
        for prefix, format in (("word/", "docx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                raise OtherFormat(format)
        if any(name.startswith("xl/") for name in names):
            raise XlsxError("no xl/workbook.xml")  # a workbook that lost its main part
        raise OtherFormat("zip")

    def _check_part(self, info: zipfile.ZipInfo, sheet: str | None = None) -> None:
        """Refuse a part before reading it: see the limits above."""
        if info.flag_bits & 0x1 or info.compress_type not in _METHODS:
            raise XlsxError(f"{info.filename}: encrypted or packed by method "
                            f"{info.compress_type}", sheet)
        size = info.file_size
        if size > MAX_PART_BYTES:
            raise TooLarge("part", size, MAX_PART_BYTES, part=info.filename, sheet=sheet)
        if size >= RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise TooLarge("ratio", size, MAX_RATIO, part=info.filename, sheet=sheet,
                           packed=info.compress_size)

    def _check_sizes(self) -> None:
        """Every part, and all of them together, before any cell is read."""
        sheets = {part: title for title, part in self._parts.items()}
        for info in self._infos.values():
            self._check_part(info, sheets.get(info.filename))
        total = sum(info.file_size for info in self._infos.values())
        if total > MAX_TOTAL_BYTES:
            raise TooLarge("total", total, MAX_TOTAL_BYTES)

    def _open(self, part: str, sheet: str | None = None) -> IO[bytes]:
        """A part to read in chunks, after its sizes are checked."""
        info = self._infos[part]
        self._check_part(info, sheet)
        return self._zip.open(info)

    def _bytes(self, part: str) -> bytes:
        with self._open(part) as stream:
            return b"".join(iter(lambda: stream.read(CHUNK), b""))

    def _elements(self, part: str, tags: tuple[str, ...],
                  sheet: str | None = None) -> Iterator[Any]:
        """The elements of ``tags`` in a part, in document order; a large part is parsed
        as it is read and each element freed once the caller is done with it."""
        info = self._infos[part]
        self._check_part(info, sheet)
        with self._zip.open(info) as stream:
            if info.file_size <= WHOLE_PART_BYTES:
                root = etree.fromstring(b"".join(iter(lambda: stream.read(CHUNK), b"")),
                                        _PARSER)
                _refuse_dtd(root)
                yield from root.iter(*tags)
                return
            parsed = etree.iterparse(stream, events=("end",), tag=tags, **_OPTIONS)
            for _, node in parsed:
                yield node
                node.clear()
                while node.getprevious() is not None:
                    del node.getparent()[0]
            _refuse_dtd(parsed.root)

    def _xml(self, part: str) -> Any:
        root = etree.fromstring(self._bytes(part), _PARSER)
        _refuse_dtd(root)
        return root

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of ``part``."""
        folder, name = part.rsplit("/", 1)
        rels = f"{folder}/_rels/{name}.rels"
        if rels not in self._infos:
            return {}
        found = {}
        for rel in self._xml(rels).iterfind(f"{{{PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(target))
        return found

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None or part not in self._infos:
            return []
        return [_text(si) for si in self._elements(part, (_SI,))]

    def _date_styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Indexes of cell styles whose number format is a date, and a duration."""
        from docgen.workbook.excel_dates import (
            builtin_format_code,
            is_date_format,
            is_timedelta_format,
        )

        if part is None or part not in self._infos:
            return set(), set()
        root = self._xml(part)
        custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
                  for f in root.iterfind(f"{_M}numFmts/{_M}numFmt")}
        dates: set[int] = set()
        durations: set[int] = set()
        for i, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
            fmt_id = int(xf.get("numFmtId", "0"))
            fmt = custom.get(fmt_id) if fmt_id in custom else builtin_format_code(fmt_id)
            if fmt and is_date_format(fmt):
                dates.add(i)
            if fmt and is_timedelta_format(fmt):
                durations.add(i)
        return dates, durations

    # -- sheets --------------------------------------------------------------------

    def sheet(self, title: str) -> SheetValues:
        """Every row of a worksheet, read in one pass; a damaged sheet is an XlsxError
        naming it, a sheet past a limit a TooLarge."""
        try:
            return self._read(title, self._elements(self._parts[title], (_ROW, _MERGE), title))
        except TooLarge:
            raise
        except (*_BROKEN, XlsxError) as exc:
            raise XlsxError(f"{title}: {exc}", title) from exc

    def _read(self, title: str, elements: Iterator[Any]) -> SheetValues:
        extras = SheetExtras()
        rows: dict[int, tuple[Any, ...]] = {}
        merges: list[str] = []
        filled = 0
        row_number = 0
        last = 0  # the last row element, filled or only formatted
        for node in elements:
            if node.tag == _MERGE:
                merges.append(node.get("ref", ""))
                continue
            row_number = int(node.get("r") or row_number + 1)
            if not 1 <= row_number <= EXCEL_ROWS:
                raise XlsxError(f"row number {row_number}")
            if row_number > last:
                last = row_number
            values, has_content = self._row(node, row_number, extras)
            if has_content:
                filled += 1
                if filled > MAX_ROWS:
                    raise TooLarge("rows", filled, MAX_ROWS, sheet=title)
            if values:
                rows[row_number] = tuple(values)
        _merged_cells(merges, last, extras.merged)
        # A row of formulas never computed has no values, yet must reach the reader,
        # which reports each such cell.
        end = max(max(rows, default=0), max((r for r, _c in extras.uncached), default=0))
        table = [rows.get(r, ()) for r in range(1, end + 1)]
        return SheetValues(title, table, extras)

    def _row(self, row: Any, row_number: int, extras: SheetExtras) -> tuple[list[Any], bool]:
        """A row's values up to its last one, and whether any cell has a value or formula."""
        values: list[Any] = []
        has_content = False
        column = 0
        skipped: str | None = None  # a formatted cell's reference, read only if needed
        for c in row.iterchildren(_C):
            ref = c.get("r")
            if not len(c):  # formatting only: no value, no formula
                if ref:
                    skipped = ref
                else:
                    column = (split_ref(skipped)[1] if skipped else column) + 1
                    skipped = None
                continue
            if ref:
                column = split_ref(ref)[1]
            else:  # Excel always writes «r»; other programs may count on the order
                column = (split_ref(skipped)[1] if skipped else column) + 1
            skipped = None
            if column > MAX_COLUMNS:
                extras.beyond = extras.beyond or (row_number, column)
                extras.beyond_count += 1
                continue
            has_content = True
            kind = c.get("t", "n")
            value: Any = None
            if kind == "inlineStr":
                inline = c.find(_IS)
                value = _text(inline) if inline is not None else None
            else:
                v = c.find(_V)
                text = v.text if v is not None else None
                if c.find(_F) is not None and not (text or "").strip():
                    extras.uncached.add((row_number, column))
                if text:
                    if kind == "n":
                        value = _cast_number(text)
                        style = int(c.get("s", "0"))
                        if style in self._dates:
                            try:
                                value = self._from_excel(value, self.epoch,
                                                         timedelta=style in self._durations)
                            except (OverflowError, ValueError):
                                value = CellError("#VALUE!")
                    elif kind == "s":
                        value = self._strings[int(text)]
                    elif kind == "b":
                        value = bool(int(text))
                    elif kind == "d":
                        value = self._from_iso(text)
                    elif kind == "e":  # an error code such as #N/A
                        value = CellError(text)
                    else:  # str: a formula's text
                        value = text
            if value is not None:
                if len(values) < column:
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
        return values, has_content


def _merged_cells(refs: list[str], last_row: int, merged: dict[tuple[int, int], str]) -> None:
    """The hidden cells of merged ranges (all but the top-left one), up to the sheet's
    last row, MAX_COLUMNS and MAX_MERGED_CELLS: the reader asks only about cells of
    rows that exist, and a range may be as large as the whole sheet."""
    budget = MAX_MERGED_CELLS
    for ref in refs:
        if ":" not in ref:
            continue
        (r1, c1), (r2, c2) = (split_ref(p) for p in ref.split(":", 1))
        if r1 > last_row or c1 > MAX_COLUMNS:
            continue
        for r in range(r1, min(r2, last_row) + 1):
            for col in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (r, col) == (r1, c1):
                    continue
                if budget <= 0:
                    return
                merged[(r, col)] = ref
                budget -= 1
