"""Rendering: a template and a context → the bytes of a .docx, on docxtpl.

docxtpl re-reads the .docx, re-runs its XML preprocessing and recompiles the
Jinja source for every document. Here each template is compiled once per
process (``compiled()``) and every render only runs the compiled Jinja code,
docxtpl's own post-processing of the result, and a zip writer that reuses the
compressed bytes of the parts that do not change. ``render_plain`` is the plain
docxtpl path, kept as the reference the compiled one is tested against.

The Jinja environment is sandboxed and strict: a template cannot reach Python
internals, and a misspelt variable is an error rather than a silently empty
field. The filters are the Russian layer (``russian.py``) as template authors
use it: ``{{ order.date|date }}``, ``{{ n|count("заседание", "заседания",
"заседаний") }}``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen import russian
from docgen.errors import TemplateError


@lru_cache(maxsize=1)
def builtin_templates() -> Path:
    """The folder of the built-in templates: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    for folder in (here / "templates", here.parent / "templates"):
        if (folder / "protocol.docx").is_file():
            return folder
    raise TemplateError("не найдены встроенные шаблоны документов; переустановите docgen")


def find_template(doc_id: str, kind_id: str, folders: list[Path] | None = None) -> Path:
    """A kind's own template («regulation_gmo.docx») if there is one, else the common one.

    A clerk's folder overrides a built-in template of the same name only, so a
    common «regulation.docx» there does not replace a kind's own положение.
    """
    key = (doc_id, kind_id, tuple(folders or ()))
    found = _found.get(key)
    if found is None or not found.is_file():
        searched = [*(folders or []), builtin_templates()]
        names = (f"{doc_id}_{kind_id}.docx", f"{doc_id}.docx")
        found = next((folder / name for name in names for folder in searched
                      if (folder / name).is_file()), None)
        if found is None:
            raise TemplateError(f"нет шаблона «{doc_id}.docx»")
        _found[key] = found
    return found


_found: dict[tuple[str, str, tuple[Path, ...]], Path] = {}  # a batch asks thousands of times


@jinja2.pass_context
def _date_text(ctx: jinja2.runtime.Context, value: dt.date | None) -> str:
    if value is None:
        return ""
    return russian.date_text(value, quoted=bool(ctx.get("quoted_dates")))


def _date(value: dt.date | None) -> str:
    return russian.date_numeric(value) if value else ""


def _count(n: int | None, one: str, few: str, many: str) -> str:
    return russian.count(n, one, few, many) if n is not None else ""


def _agree(gender: str | None, masculine: str, feminine: str) -> str:
    """«ознакомлен»/«ознакомлена» by the person's gender; both when it is unknown."""
    if gender == "ж":
        return feminine
    if gender == "м":
        return masculine
    if masculine and feminine.startswith(masculine):
        return f"{masculine}({feminine[len(masculine):]})"
    return f"{masculine or ''}({feminine})" if feminine else masculine


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(
        date=_date,
        date_text=_date_text,
        month=russian.month_name,
        month_year=russian.month_year,
        capfirst=russian.capfirst,
        lcfirst=russian.lcfirst,
        count=_count,
        plural=russian.plural,
        agree=_agree,
    )
    return env


def _explain(exc: jinja2.TemplateError) -> str:
    """Jinja's message in Russian where we know it; the original otherwise."""
    message = exc.message or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        if m := re.search(r"'([^']+)' is undefined", message):
            return f"неизвестная переменная «{m.group(1)}»"
        if m := re.search(r"has no attribute '([^']+)'", message):
            return f"у значения нет поля «{m.group(1)}»"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"ошибка в записи поля или тега ({message})"
    return message



def _where(exc: jinja2.TemplateError, source: str | None = None) -> str:
    """«, абзац «…»» from docxtpl's context lines around the error, if known."""
    lines = getattr(exc, "docx_context", None)
    if lines is None and source is not None and getattr(exc, "lineno", None) is not None:
        lines = _context_lines(source, exc.lineno)
    if not lines:
        return ""
    text = " ".join(" ".join(lines).split())[:80]
    return f", абзац «{text}»"


def _context_lines(source: str, lineno: int) -> list[str]:
    """The text of the paragraphs around ``lineno``, as docxtpl reports them."""
    first = max(lineno - 4, 0)
    return [re.sub(r"<[^>]+>", "", x) for x in source.splitlines()[first:first + 7]]


def _template_error(template: Path, exc: jinja2.TemplateError,
                    source: str | None = None) -> TemplateError:
    return TemplateError(f"шаблон «{template.name}»{_where(exc, source)}: {_explain(exc)}")


def render_plain(template: Path, context: dict[str, Any]) -> bytes:
    """Plain docxtpl: one DocxTemplate per document (the reference for ``render``)."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    try:
        doc.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(template, exc) from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(template: Path, context: dict[str, Any]) -> bytes:
    """The rendered document's bytes; a template mistake becomes a TemplateError."""
    return compiled(template).render(context)


# --------------------------------------------------------------------------- compiled

_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_NO_LISTING = re.compile("[\t\a\n\f]")
_ZIP_TIME = (0 << 11) | (0 << 5) | 0  # 00:00:00, the earliest DOS time
_ZIP_DATE = ((1980 - 1980) << 9) | (1 << 5) | 1  # 1980-01-01: fixed, so output is repeatable


@dataclass
class _Part:
    """One XML part of the template as docxtpl renders it: compiled once, or constant."""

    member: str  # zip member name, e.g. word/header1.xml
    source: str  # docxtpl-patched XML with «\n<w:p» line breaks, as docxtpl compiles it
    template: jinja2.Template | None = None
    constant: bytes | None = None  # the rendered bytes when the part has no tags
    encoding: str = "utf-8"
    reparse: bool = True  # headers, footers and the body are re-serialized by python-docx


@dataclass
class _Member:
    """A zip member of the output: compressed bytes ready to copy, or a dynamic part."""

    name: str
    raw: bytes = b""  # compressed data
    crc: int = 0
    size: int = 0
    method: int = zipfile.ZIP_DEFLATED


@dataclass
class CompiledTemplate:
    """A template read, preprocessed and compiled once; ``render`` reuses all of it."""

    path: Path
    body: _Part
    shell: Any  # the w:document element without its body
    body_index: int
    parts: list[_Part] = field(default_factory=list)  # headers, footers, footnotes
    core: Any = None  # core properties element, when its properties have tags
    core_templates: dict[str, jinja2.Template] = field(default_factory=dict)
    members: list[_Member] = field(default_factory=list)

    def render(self, context: dict[str, Any]) -> bytes:
        from docx.opc.oxml import serialize_part_xml

        dynamic: dict[str, bytes] = {}
        try:
            tree = _render_body(self.body, context)
            for part in self.parts:
                if part.constant is None:
                    dynamic[part.member] = _render_part(part, context)
            if self.core is not None:
                dynamic["docProps/core.xml"] = self._render_core(context)
        except jinja2.TemplateError as exc:
            raise _template_error(self.path, exc, getattr(exc, "_docgen_source", None)) from exc
        root = copy.deepcopy(self.shell)
        root.insert(self.body_index, tree)
        dynamic["word/document.xml"] = serialize_part_xml(root)
        return _write_zip(self.members, dynamic)

    def _render_core(self, context: dict[str, Any]) -> bytes:
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml

        element = copy.deepcopy(self.core)
        props = CoreProperties(element)
        for name, template in self.core_templates.items():
            setattr(props, name, template.render(context))
        return serialize_part_xml(element)


def _compile_part(member: str, xml: str, reparse: bool = True,
                  encoding: str = "utf-8") -> _Part:
    """docxtpl's preprocessing of one part's XML and its Jinja compilation."""
    from docxtpl import DocxTemplate

    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(None, xml))  # type: ignore[arg-type]
    part = _Part(member, source, encoding=encoding, reparse=reparse)
    try:
        part.template = environment().from_string(source)
    except jinja2.TemplateError as exc:
        exc._docgen_source = source  # type: ignore[attr-defined]
        raise
    if not re.search(r"\{[{%#]", source):
        part.constant = _render_part(part, {})  # no tags: the same bytes every time
    return part


def _finish(part: _Part, context: dict[str, Any]) -> str:
    """Render a part and post-process it exactly as docxtpl's render_xml_part does."""
    from docxtpl import DocxTemplate

    assert part.template is not None
    try:
        xml = part.template.render(context)
    except jinja2.TemplateError as exc:
        exc._docgen_source = part.source  # type: ignore[attr-defined]
        raise
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # as re.sub(r"\n<w:p([ >])")
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if _NO_LISTING.search(xml):  # resolve_listing changes only text holding \t \a \n \f
        xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]
    return xml


def _render_part(part: _Part, context: dict[str, Any]) -> bytes:
    if part.constant is not None:
        return part.constant
    from docx.opc.oxml import parse_xml, serialize_part_xml

    xml = _finish(part, context).encode(part.encoding)
    return serialize_part_xml(parse_xml(xml)) if part.reparse else xml


def _render_body(part: _Part, context: dict[str, Any]) -> Any:
    """The rendered body element, with docxtpl's table and drawing-id fixes."""
    from docxtpl import DocxTemplate

    xml = _finish(part, context)
    tree = etree.fromstring(xml, parser=_RECOVER)
    if not _tables_consistent(tree):  # docxtpl's own fix, when it has anything to do
        tree = DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]
    for n, element in enumerate(_DOC_PR(tree)):
        element.attrib["id"] = str(1001 + n)
    return tree


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RECOVER = etree.XMLParser(recover=True)  # as docxtpl's fix_tables parses
_DOC_PR = etree.XPath("//wp:docPr", namespaces={
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"})
_GRID = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces={"w": _W})
_WIDER_ROW = etree.XPath(".//w:tr[count(w:tc) > $n]", namespaces={"w": _W})
_FULL_ROW = etree.XPath(
    ".//w:tr[count(w:tc) + sum(w:tc/w:tcPr/w:gridSpan/@w:val) - count(w:tc/w:tcPr/w:gridSpan)"
    " >= $n]", namespaces={"w": _W})


def _tables_consistent(tree: Any) -> bool:
    """Whether docxtpl's fix_tables would leave every table as it is.

    It changes a table only when a row has more cells than the grid has columns,
    or when no row spans all the columns; checking that in XPath costs far less
    than its walk over every row of every table.
    """
    for table in tree.iter(f"{{{_W}}}tbl"):
        columns = _GRID(table)
        if _WIDER_ROW(table, n=columns) or not _FULL_ROW(table, n=columns):
            return False
    return True


def _compile(path: Path) -> CompiledTemplate:
    """Read the template once, as docxtpl would, and keep what every render needs."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many types for a damaged file
        raise TemplateError(f"шаблон «{path.name}» не открывается как документ Word "
                            f"(.docx); сохраните его в Word заново") from exc
    document = tpl.docx
    body = _compile_part("word/document.xml", tpl.get_xml())
    shell = copy.deepcopy(document._element)
    old_body = shell.body
    body_index = shell.index(old_body)
    shell.remove(old_body)
    compiled = CompiledTemplate(path, body, shell, body_index)
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            compiled.parts.append(_compile_part(part.partname.membername, xml,
                                                encoding=tpl.get_headers_footers_encoding(xml)))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            compiled.parts.append(_compile_part(part.partname.membername, blob, reparse=False))
    core = document.core_properties
    env = environment()
    templates = {name: env.from_string(getattr(core, name)) for name in _CORE_PROPERTIES}
    if any(re.search(r"\{[{%#]", getattr(core, name)) for name in _CORE_PROPERTIES):
        compiled.core = copy.deepcopy(core._element)
        compiled.core_templates = templates
    else:  # constant, but docxtpl still writes every property back: do the same once
        for name, template in templates.items():
            setattr(core, name, template.render({}))
    buffer = io.BytesIO()
    document.save(buffer)  # the unchanged parts exactly as python-docx writes them
    compiled.members = _members(buffer.getvalue(), compiled)
    return compiled


def _members(package: bytes, compiled: CompiledTemplate) -> list[_Member]:
    """The saved package's members, with constant parts' compressed bytes kept."""
    constant = {p.member: p.constant for p in [compiled.body, *compiled.parts]
                if p.constant is not None}
    members = []
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        for info in zf.infolist():
            member = _Member(info.filename)
            data = constant.get(info.filename)
            if info.filename == "word/document.xml" or (
                    data is None and any(p.member == info.filename for p in compiled.parts)) or (
                    info.filename == "docProps/core.xml" and compiled.core is not None):
                members.append(member)  # rendered on every call
                continue
            if data is None:  # copied as python-docx compressed it
                member.raw = _raw_member(package, info)
                member.crc, member.size, member.method = (info.CRC, info.file_size,
                                                          info.compress_type)
            else:
                member.raw = _deflate(data)
                member.crc = zlib.crc32(data)
                member.size = len(data)
            members.append(member)
    return members


def _raw_member(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as they lie in the zip, past its local header."""
    name_length, extra_length = struct.unpack_from("<HH", package, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return package[start:start + info.compress_size]


def _deflate(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _write_zip(members: list[_Member], dynamic: dict[str, bytes]) -> bytes:
    """A zip of ``members``: stored compressed bytes copied, dynamic ones compressed now.

    Every member carries the same fixed timestamp, so the same input gives the
    same bytes.
    """
    out = io.BytesIO()
    central = []
    for member in members:
        if member.name in dynamic:
            data = dynamic[member.name]
            raw, crc, size = _deflate(data, 1), zlib.crc32(data), len(data)  # fast, ~1 KB more
        else:
            raw, crc, size = member.raw, member.crc, member.size
        name = member.name.encode("utf-8")
        flags = 0x800 if not member.name.isascii() else 0
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, member.method, _ZIP_TIME,
                              _ZIP_DATE, crc, len(raw), size, len(name), 0))
        out.write(name)
        out.write(raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags,
                                   member.method, _ZIP_TIME, _ZIP_DATE, crc, len(raw), size,
                                   len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


_compiled: dict[tuple[str, int, int], CompiledTemplate] = {}


def compiled(template: Path) -> CompiledTemplate:
    """The compiled template, made on first use in this process and reused after.

    Keyed by path, size and modification time, so a template edited while a
    long batch runs is compiled again.
    """
    try:
        stat = template.stat()
    except OSError as exc:
        raise TemplateError(f"шаблон «{template.name}» не найден или не читается") from exc
    key = (os.fspath(template), stat.st_size, stat.st_mtime_ns)
    found = _compiled.get(key)
    if found is None:
        try:
            found = _compile(template)
        except jinja2.TemplateError as exc:
            raise _template_error(template, exc, getattr(exc, "_docgen_source", None)) from exc
        _compiled[key] = found
    return found
