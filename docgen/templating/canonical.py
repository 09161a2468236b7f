"""When a rendered body can skip lxml: the template's shape, checked once.

docxtpl parses every rendered body with lxml (recovering from broken XML),
checks its tables and writes it back out: a third of a document's render. For
most templates that round trip gives back the very text it was given. It does
whenever (a) the rendered text is well-formed XML and (b) is already written
the way lxml writes XML, and (c) no table needs docxtpl's fix. This module
decides what can be decided from the template alone, once, at compile time:

* (a) every ``{% if %}``/``{% for %}``/``{% with %}`` encloses whole elements
  (the XML open where a branch starts is open where it ends), values are printed
  only as text (never inside a tag), and nothing prints raw markup except
  docgen's pictures (filter blocks, macros, block ``set`` and the like are
  left to lxml);
* (c) no block or value sits where it could add or remove a table's cells or
  columns, no row is wider than its table's grid, and each table has a row
  spanning all its columns that no block can remove: then every render's tables
  are as consistent as the template's, and docxtpl's fix has nothing to do.

What depends on the values (b: an escaped quote, an empty element, a stray
control character, a picture's id) is checked on each render's bytes by the
compiler, which falls back to lxml for that document whenever anything is not
as lxml would write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([^\s/>]+)([^>]*?)(/?)>")
_GRID_SPAN = re.compile(r'\sw:val="(\d+)"')
# Blocks whose branches are kept, dropped or repeated as a whole: the only ones allowed.
_OPENERS = {"if": "endif", "for": "endfor", "with": "endwith"}
_MIDDLES = {"elif", "else"}
_SIMPLE = {"set", "break", "continue", "do"}  # statements that print nothing
# Elements inside which a block or a value could change a table's shape (or, in w:tr
# itself, between its cells).
_TABLE_SHAPE = {"w:tblGrid", "w:gridCol", "w:tcPr", "w:trPr", "w:tblPr", "w:gridSpan"}


@dataclass
class _Row:
    cells: int = 0
    spans: int = 0  # gridSpan's extra columns: sum(val) - count
    conditional: bool = False


@dataclass
class _Table:
    blocks: int  # open blocks where the table starts: deeper ones can drop its rows
    columns: int = 0
    rows: list[_Row] = field(default_factory=list)

    def consistent(self) -> bool:
        """What docxtpl's table check would say of every render (see compiler)."""
        if any(row.cells > self.columns for row in self.rows):
            return False
        return any(row.cells + row.spans >= self.columns and not row.conditional
                   for row in self.rows)


class _NotCanonical(Exception):
    """The template's shape leaves its renders to lxml; the message says why."""


def body_shape(source: str) -> str | None:
    """None when every render of the body ``source`` keeps its XML as written; else why not.

    ``source`` is the body's Jinja source as the compiler renders it.
    """
    try:
        _walk(source)
    except _NotCanonical as exc:
        return str(exc)
    return None


def _walk(source: str) -> None:
    from jinja2 import TemplateSyntaxError

    from docgen.templating.sandbox import environment

    state = _State()
    try:
        tokens = list(environment().lex(source))
    except TemplateSyntaxError as exc:
        raise _NotCanonical(f"does not lex: {exc}") from exc
    statement: list[str] = []
    inside = ""  # the kind of Jinja tag being read: "block", "variable" or ""
    for _line, kind, value in tokens:
        if kind == "data":
            state.data(value)
        elif kind == "block_begin":
            inside, statement = "block", []
        elif kind == "variable_begin":
            inside = "variable"
            state.value()
        elif kind == "block_end":
            state.statement(statement)
            inside = ""
        elif kind == "variable_end":
            inside = ""
        elif kind in ("raw_begin", "line_statement_begin", "line_comment_begin"):
            raise _NotCanonical(f"a {kind}")
        elif inside == "block" and kind != "whitespace":
            statement.append(value)
    state.end()


class _State:
    """The XML open so far, the blocks open, the tables being read."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.blocks: list[tuple[str, tuple[str, ...]]] = []  # (its end keyword, XML open)
        self.tables: list[_Table] = []
        self.rows: list[list[_Row]] = []  # per open w:tr: the row in each open table

    def data(self, text: str) -> None:
        if "<!" in text or "<?" in text or "='" in text:
            raise _NotCanonical("a comment, CDATA or a single-quoted attribute")
        end = 0
        for match in _TAG.finditer(text):
            if "<" in text[end:match.start()] or ">" in text[end:match.start()]:
                raise _NotCanonical("a Jinja tag inside an XML tag")
            end = match.end()
            closing, name, attributes, empty = match.groups()
            if closing:
                self.close(name)
            else:
                self.open(name, attributes)
                if empty:
                    self.close(name)
        rest = text[end:]
        if "<" in rest or ">" in rest:
            raise _NotCanonical("a Jinja tag inside an XML tag")

    def open(self, name: str, attributes: str) -> None:
        parent = self.stack[-1] if self.stack else ""
        if "xmlns" in attributes and self.stack:
            raise _NotCanonical("a namespace declared inside the body")
        self.stack.append(name)
        if name == "w:tbl":
            self.tables.append(_Table(len(self.blocks)))
        elif name == "w:gridCol" and parent == "w:tblGrid" and self._in_table(2):
            self.tables[-1].columns += 1
        elif name == "w:tr":
            row = [_Row(conditional=len(self.blocks) > table.blocks) for table in self.tables]
            for table, one in zip(self.tables, row, strict=True):
                table.rows.append(one)
            self.rows.append(row)
        elif name == "w:tc" and parent == "w:tr":
            for one in self.rows[-1]:  # the same row, for each table around it (.//w:tr)
                one.cells += 1
        elif name == "w:gridSpan" and self.stack[-4:-1] == ["w:tr", "w:tc", "w:tcPr"]:
            span = _GRID_SPAN.search(attributes)
            if span is None:
                raise _NotCanonical("a gridSpan without a number")
            for one in self.rows[-1]:
                one.spans += int(span[1]) - 1

    def _in_table(self, depth: int) -> bool:
        return len(self.stack) > depth and self.stack[-depth - 1] == "w:tbl" and bool(self.tables)

    def close(self, name: str) -> None:
        if not self.stack or self.stack[-1] != name:
            raise _NotCanonical(f"</{name}> closes what it did not open")
        self.stack.pop()
        if name == "w:tbl":
            if not self.tables.pop().consistent():
                raise _NotCanonical("a table docxtpl's fix could change")
        elif name == "w:tr":
            self.rows.pop()

    def value(self) -> None:
        if not self.stack:
            raise _NotCanonical("a value outside the body")
        self._shape_allowed()

    def statement(self, words: list[str]) -> None:
        keyword = words[0] if words else ""
        if keyword in _OPENERS:
            self._shape_allowed()
            self.blocks.append((_OPENERS[keyword], tuple(self.stack)))
        elif keyword in _MIDDLES or keyword.startswith("end"):
            if not self.blocks or tuple(self.stack) != self.blocks[-1][1]:
                raise _NotCanonical(f"{{% {keyword} %}} where its block's XML is not closed")
            if keyword.startswith("end") and keyword != self.blocks.pop()[0]:
                raise _NotCanonical(f"{{% {keyword} %}} ends another block")
        elif keyword == "set" and "=" not in words:
            raise _NotCanonical("a block set")  # its text is printed as markup
        elif keyword not in _SIMPLE:
            raise _NotCanonical(f"{{% {keyword} %}}")

    def _shape_allowed(self) -> None:
        if self.stack and (self.stack[-1] == "w:tr" or _TABLE_SHAPE & set(self.stack)):
            raise _NotCanonical("a block or value where a table's cells or columns are")

    def end(self) -> None:
        if self.stack or self.blocks:
            raise _NotCanonical("XML or blocks left open")
