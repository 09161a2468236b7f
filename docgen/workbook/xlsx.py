"""A fast, read-only view of an .xlsx: sheet titles and cell values, one parse per sheet.

openpyxl's read-only mode parses every sheet's XML twice (once for its size,
once for its rows) and builds its whole style model; docgen's reader needs only
values, which cells hold a formula with no saved result and which are merged.
For a centre's hundreds of workbooks that difference is most of the run, so
this module reads the parts it needs with lxml, once, and gives values exactly
as openpyxl's ``values_only``/``data_only`` reading does (numbers, dates by the
cell's number format, shared and inline strings, booleans, error codes), using
openpyxl's own date and number-format helpers. Macros are never run: they are
never even read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{MAIN}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


class XlsxError(Exception):
    """The package is not a readable workbook (the reader says so in Russian)."""


@dataclass
class SheetExtras:
    """What values alone do not tell: formulas never computed, merged cells."""

    uncached: set[tuple[int, int]] = field(default_factory=set)
    merged: dict[tuple[int, int], str] = field(default_factory=dict)  # hidden cell -> range


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


_T, _R, _V, _F, _IS, _C, _ROW = (f"{_M}{tag}" for tag in ("t", "r", "v", "f", "is", "c", "row"))


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


class XlsxBook:
    """The workbook held in ``data``: ``titles`` of its worksheets and ``sheet(title)``."""

    def __init__(self, data: bytes) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            book = self._xml("xl/workbook.xml")
            rels = self._rels("xl/workbook.xml")
        except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as exc:
            raise XlsxError(str(exc)) from exc
        pr = book.find(f"{_M}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        self.epoch: dt.datetime = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self._parts: dict[str, str] = {}
        self.titles: list[str] = []
        for sheet in book.iterfind(f"{_M}sheets/{_M}sheet"):
            kind, target = rels.get(sheet.get(f"{{{REL}}}id", ""), ("", ""))
            if kind.endswith("/worksheet"):  # not a chartsheet or a dialog sheet
                title = sheet.get("name", "")
                self.titles.append(title)
                self._parts[title] = target
        by_kind = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
        try:
            self._strings = self._shared_strings(by_kind.get("sharedStrings"))
            self._dates, self._durations = self._date_styles(by_kind.get("styles"))
        except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
            raise XlsxError(str(exc)) from exc

    def close(self) -> None:
        self._zip.close()

    # -- package -------------------------------------------------------------------

    def _xml(self, part: str) -> Any:
        return etree.fromstring(self._zip.read(part), _PARSER)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of ``part``."""
        folder, name = part.rsplit("/", 1)
        try:
            root = self._xml(f"{folder}/_rels/{name}.rels")
        except KeyError:
            return {}
        found = {}
        for rel in root.iterfind(f"{{{PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            found[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return found

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None or part not in self._zip.namelist():
            return []
        return [_text(si) for si in self._xml(part).iterchildren(f"{_M}si")]

    def _date_styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Indexes of cell styles whose number format is a date, and a duration."""
        from openpyxl.styles.numbers import (
            builtin_format_code,
            is_date_format,
            is_timedelta_format,
        )

        if part is None or part not in self._zip.namelist():
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
        """Every row of a worksheet, read in one pass; a damaged sheet is an XlsxError."""
        try:
            root = self._xml(self._parts[title])
            return self._read(title, root)
        except (KeyError, etree.XMLSyntaxError, ValueError, IndexError) as exc:
            raise XlsxError(f"{title}: {exc}") from exc

    def _read(self, title: str, root: Any) -> SheetValues:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        extras = SheetExtras()
        rows: dict[int, list[Any]] = {}
        data = root.find(f"{_M}sheetData")
        row_number = 0
        for row in data.iterchildren(_ROW) if data is not None else ():
            row_number = int(row.get("r") or row_number + 1)
            values: list[Any] = []
            column = 0
            for c in row.iterchildren(_C):
                ref = c.get("r")
                column = split_ref(ref)[1] if ref else column + 1
                if not len(c):
                    continue  # formatting only: no value, no formula
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
                                    value = from_excel(value, self.epoch,
                                                       timedelta=style in self._durations)
                                except (OverflowError, ValueError):
                                    value = "#VALUE!"
                        elif kind == "s":
                            value = self._strings[int(text)]
                        elif kind == "b":
                            value = bool(int(text))
                        elif kind == "d":
                            value = from_ISO8601(text)
                        else:  # str (a formula's text), e (an error code such as #N/A)
                            value = text
                if value is not None:
                    if len(values) < column:
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = value
            if values:
                rows[row_number] = values
        for merge in root.iterfind(f"{_M}mergeCells/{_M}mergeCell"):
            ref = merge.get("ref", "")
            if ":" not in ref:
                continue
            (r1, c1), (r2, c2) = (split_ref(p) for p in ref.split(":"))
            for r in range(r1, r2 + 1):
                for col in range(c1, c2 + 1):
                    if (r, col) != (r1, c1):
                        extras.merged[(r, col)] = ref
        last = max(rows, default=0)
        table = [tuple(rows.get(r, ())) for r in range(1, last + 1)]
        return SheetValues(title, table, extras)
