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
    if not folders:
        return _builtin_template(doc_id, kind_id)
    return _search(doc_id, kind_id, [*folders, builtin_templates()])


@lru_cache(maxsize=256)  # the installed templates do not change while docgen runs
def _builtin_template(doc_id: str, kind_id: str) -> Path:
    return _search(doc_id, kind_id, [builtin_templates()])


def _search(doc_id: str, kind_id: str, folders: list[Path]) -> Path:
    for name in (f"{doc_id}_{kind_id}.docx", f"{doc_id}.docx"):
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
    raise TemplateError(f"нет шаблона «{doc_id}.docx»")


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
    """The one Jinja environment of every template: sandboxed, strict, with Russian filters.

    It also cannot read files (``{% include %}`` and the like are refused), and
    every template mistake it raises says its paragraph (see ``_Environment``).
    """
    env = _Environment(undefined=jinja2.StrictUndefined, autoescape=True, loader=_NoFiles())
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
    """Jinja's message in Russian, naming the variable, field, filter or tag; else the original.

    ``_Environment.handle_exception`` has put what Jinja does not say on ``exc``:
    the paragraph, the unclosed tag's paragraph, the value that lacked a field.
    """
    message = exc.message or str(exc)
    if said := getattr(exc, "docgen_message", None):
        return said
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return _explain_security(exc, message)
    if isinstance(exc, jinja2.UndefinedError):
        return _explain_undefined(exc, message)
    if m := re.match(r"No filter named '([^']+)'", message):
        return unknown_filter(m.group(1))
    if m := re.match(r"No test named '([^']+)'", message):
        return f"неизвестная проверка «is {m.group(1)}»"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _explain_syntax(exc, message)
    original = getattr(exc, "docgen_original", None)
    if original is not None:
        return _explain_python(original)
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
    code: Any = None  # the compiled Jinja code, for the on-disk cache
    constant: bytes | None = None  # the rendered bytes when the part has no tags
    encoding: str = "utf-8"
    reparse: bool = True  # headers, footers and the body are re-serialized by python-docx


@dataclass
class _Member:
    """A zip member of the output: its headers and compressed bytes, made once if static."""

    name: str
    raw: bytes = b""  # compressed data
    crc: int = 0
    size: int = 0
    method: int = zipfile.ZIP_DEFLATED
    local: bytes = b""  # local header, name and data, ready to copy
    central: bytes = b""  # its central directory entry up to the offset field

    def seal(self) -> _Member:
        """Make the headers of a static member once, for every document."""
        self.local, self.central = _headers(self.name, self.raw, self.crc, self.size, self.method)
        return self


def _headers(name: str, raw: bytes, crc: int, size: int, method: int) -> tuple[bytes, bytes]:
    """A member's local header + name + data, and its central entry without the offset."""
    encoded = name.encode("utf-8")
    flags = 0x800 if not name.isascii() else 0
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, _ZIP_TIME, _ZIP_DATE,
                        crc, len(raw), size, len(encoded), 0) + encoded + raw
    central = struct.pack("<IHHHHHHIIIHHHHHI", 0x02014B50, 20, 20, flags, method, _ZIP_TIME,
                          _ZIP_DATE, crc, len(raw), size, len(encoded), 0, 0, 0, 0, 0)
    return local, central


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
    core_codes: dict[str, Any] = field(default_factory=dict)
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
        part.code = environment().compile(source)
    except jinja2.TemplateError as exc:
        exc._docgen_source = source  # type: ignore[attr-defined]
        raise
    part.template = _template(part.code, source)
    if not re.search(r"\{[{%#]", source):
        part.constant = _render_part(part, {})  # no tags: the same bytes every time
    return part


def _template(code: Any, source: str) -> jinja2.Template:
    """A Jinja template from compiled code, as ``from_string`` makes it."""
    env = environment()
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    template._docgen_source = source  # type: ignore[attr-defined]  # for its errors
    return template


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
    """The compiled template: from the on-disk cache, or compiled now and cached."""
    from docgen import cache

    try:
        content = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"шаблон «{path.name}» не найден или не читается") from exc
    name = cache.key(content)
    stored = cache.get(name)
    if stored is not None:
        try:
            return _unmarshal(path, stored)
        except Exception:  # a damaged or foreign entry: compile as if there were none
            pass
    compiled = _compile_now(path, content)
    cache.put(name, _marshal(compiled))
    return compiled


def _marshal(compiled: CompiledTemplate) -> bytes:
    """The compiled template as marshal data: code objects, strings, bytes, numbers."""
    import marshal

    def part(p: _Part) -> tuple[Any, ...]:
        return (p.member, p.source, p.code, p.constant, p.encoding, p.reparse)

    return marshal.dumps((
        part(compiled.body), [part(p) for p in compiled.parts],
        etree.tostring(compiled.shell), compiled.body_index,
        etree.tostring(compiled.core) if compiled.core is not None else None,
        compiled.core_codes,
        [(m.name, m.raw, m.crc, m.size, m.method, bool(m.local)) for m in compiled.members],
    ))


def _unmarshal(path: Path, data: bytes) -> CompiledTemplate:
    import marshal

    from docx.oxml.parser import parse_xml  # python-docx's element classes, as at first

    body, parts, shell, body_index, core, core_codes, members = marshal.loads(data)

    def part(fields: tuple[Any, ...]) -> _Part:
        member, source, code, constant, encoding, reparse = fields
        return _Part(member, source, _template(code, source), code, constant, encoding, reparse)

    compiled = CompiledTemplate(path, part(body), parse_xml(shell), body_index,
                                [part(p) for p in parts])
    if core is not None:
        compiled.core = parse_xml(core)
        compiled.core_codes = core_codes
        compiled.core_templates = {n: _template(c, "") for n, c in core_codes.items()}
    for name, raw, crc, size, method, static in members:
        member = _Member(name, raw, crc, size, method)
        compiled.members.append(member.seal() if static else member)
    return compiled


def _compile_now(path: Path, content: bytes) -> CompiledTemplate:
    """Read the template once, as docxtpl would, and keep what every render needs."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(content))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many types for a damaged file
        raise TemplateError(f"шаблон «{path.name}» не открывается как документ Word "
                            f"(.docx); сохраните его в Word заново") from exc
    document = tpl.docx
    _refuse_split_tags(path, tpl.get_xml())
    body = _compile_part("word/document.xml", tpl.get_xml())
    shell = copy.deepcopy(document._element)
    old_body = shell.body
    body_index = shell.index(old_body)
    shell.remove(old_body)
    compiled = CompiledTemplate(path, body, shell, body_index)
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            _refuse_split_tags(path, xml)
            compiled.parts.append(_compile_part(part.partname.membername, xml,
                                                encoding=tpl.get_headers_footers_encoding(xml)))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            compiled.parts.append(_compile_part(part.partname.membername, blob, reparse=False))
    core = document.core_properties
    env = environment()
    if any(re.search(r"\{[{%#]", getattr(core, name)) for name in _CORE_PROPERTIES):
        compiled.core_codes = {name: env.compile(getattr(core, name))
                               for name in _CORE_PROPERTIES}
        compiled.core = copy.deepcopy(core._element)
        compiled.core_templates = {name: _template(code, "")
                                   for name, code in compiled.core_codes.items()}
    else:  # constant, but docxtpl still writes every property back: do the same once
        for name in _CORE_PROPERTIES:  # text without tags renders as itself, as Jinja does
            value = getattr(core, name)
            setattr(core, name, value[:-1] if value.endswith("\n") else value)
    buffer = io.BytesIO()
    document.save(buffer)  # the unchanged parts exactly as python-docx writes them
    compiled.members = _members(buffer.getvalue(), compiled)
    return compiled


def _refuse_split_tags(path: Path, xml: str) -> None:
    """A tag Word split across paragraphs or cells is an error, not a silent merge.

    docxtpl would glue the paragraphs together (or drop the text beside a
    ``{%p %}`` tag) and render something the author did not write.
    """
    from docgen.errors import Severity
    from docgen.lint import paragraph_problems

    for paragraph, message, _code, severity in paragraph_problems(xml):
        if severity is Severity.ERROR:
            where = f", абзац «{paragraph}»" if paragraph else ""
            raise TemplateError(f"шаблон «{path.name}»{where}: {message}")


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
            members.append(member.seal())
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
    """A zip of ``members``: static ones copied whole, dynamic ones compressed now.

    Every member carries the same fixed timestamp, so the same input gives the
    same bytes.
    """
    pieces: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        if member.name in dynamic:
            data = dynamic[member.name]
            local, head = _headers(member.name, _deflate(data, 1), zlib.crc32(data), len(data),
                                   member.method)  # level 1: fast, and only ~1 KB larger
        else:
            local, head = member.local, member.central
        pieces.append(local)
        central.append(head + struct.pack("<I", offset) + member.name.encode("utf-8"))
        offset += len(local)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                      len(directory), offset, 0)
    return b"".join(pieces) + directory + end


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

# --------------------------------------------------------------------------- template mistakes
# A template author edits Word files, so a mistake in a template must say, in
# Russian, which paragraph it is in and which variable, filter or tag is wrong.

# Tags that open a block and need their «end…» tag.
_BLOCKS = ("if", "for", "with", "macro", "call", "filter", "set", "autoescape", "block")
# Quotes Word puts in place of straight ones; docxtpl mends “ ” ‘ ’ inside tags, not these.
_WORD_QUOTES = "«»„‚"
_MAX_REPEAT = 100_000  # the longest text or list «*» may make, as the sandbox's range()
_JINJA_TOKENS = {
    "end of print statement": "«}}»",
    "end of statement block": "«%}»",
    "end of comment": "«#}»",
    "end of template": "конец шаблона",
}


class _NoFiles(jinja2.BaseLoader):
    """A template is one .docx file: it may not include, import or extend anything on disk."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        error = jinja2.exceptions.SecurityError(f"loading {template!r} is not allowed")
        error.docgen_message = refused_file(template)  # type: ignore[attr-defined]
        raise error


class _Environment(SandboxedEnvironment):
    """The sandbox, which also locates every mistake and refuses huge values.

    Jinja gives a syntax error's line of the docxtpl-patched XML and no line for
    a runtime error; ``handle_exception`` (through which Jinja raises every
    template error) adds the paragraph's text, the paragraph of an unclosed
    block, the value that lacked a field, and wraps a Python error raised by an
    expression or a filter (``{{ group.theme|date }}``) as a template error.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise _refused("слишком большая степень в «**»")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > _MAX_REPEAT:
                    raise _refused("слишком длинное значение в «*»")
        return super().call_binop(context, operator, left, right)

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> jinja2.Template:
        template = super().from_string(source, globals, template_class)
        if isinstance(source, str):
            template._docgen_source = source  # type: ignore[attr-defined]  # for its errors
        return template

    def handle_exception(self, source: str | None = None) -> Any:
        import sys

        from jinja2.debug import rewrite_traceback_stack

        found = _frames(sys.exc_info()[2])  # before Jinja rewrites the traceback's frames
        raise _located(self, rewrite_traceback_stack(source=source), found, source)


def _refused(reason: str) -> jinja2.exceptions.SecurityError:
    error = jinja2.exceptions.SecurityError(reason)
    error.docgen_message = f"недопустимое обращение: {reason}"  # type: ignore[attr-defined]
    return error


def _frames(traceback: Any) -> tuple[str | None, int | None, tuple[Any, str] | None]:
    """From a traceback: the template's source and line, and the Undefined that failed."""
    import traceback as tb_module

    from jinja2.utils import internal_code

    source = lineno = undefined = None
    for frame, line in tb_module.walk_tb(traceback):
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and frame.f_code not in internal_code:  # as Jinja's traceback
            lineno = template.get_corresponding_lineno(line)
            source = getattr(template, "_docgen_source", None)
        owner = frame.f_locals.get("self")
        if isinstance(owner, jinja2.Undefined) and frame.f_code.co_name.endswith("undefined_error"):
            undefined = (owner._undefined_obj, owner._undefined_name)
    return source, lineno, undefined


def _located(env: jinja2.Environment, exc: BaseException,
             found: tuple[str | None, int | None, tuple[Any, str] | None],
             source: str | None) -> BaseException:
    """``exc`` with its paragraph (and what else ``_explain`` needs) attached."""
    template_source, lineno, undefined = found
    source = source or template_source
    if not isinstance(exc, jinja2.TemplateError):
        wrapped = jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}")
        wrapped.docgen_original = exc  # type: ignore[attr-defined]
        wrapped.__cause__ = exc
        exc = wrapped.with_traceback(exc.__traceback__)
    if undefined is not None:
        exc.docgen_undefined = undefined  # type: ignore[attr-defined]
    lineno = getattr(exc, "lineno", None) or lineno
    if not source or not lineno:
        return exc
    lines = source.splitlines()
    message = getattr(exc, "message", None) or ""
    needle = _needle(message)
    if "innermost block that needs to be closed" in message:
        opener = _open_block(env, source)
        if opener is not None:
            tag, opener_line = opener
            tag_pattern = rf"\{{%-?\s*{tag}\b"
            exc.docgen_opener = (  # type: ignore[attr-defined]
                tag, paragraph_text(lines, opener_line, tag_pattern))
            if message.startswith("Unexpected end of template"):
                lineno, needle = opener_line, tag_pattern
    paragraph = paragraph_text(lines, lineno, needle)
    exc.docgen_lineno = lineno  # type: ignore[attr-defined]
    exc.docgen_paragraph = paragraph  # type: ignore[attr-defined]
    if paragraph:
        # docxtpl replaces docx_context with seven paragraphs around any error
        # that has a line number; the line number is kept in docgen_lineno instead.
        exc.docx_context = [excerpt(paragraph, needle)]  # type: ignore[attr-defined]
        exc.lineno = None  # type: ignore[attr-defined]
    return exc


def paragraph_text(lines: list[str], lineno: int, needle: str | None = None) -> str:
    """The text of a line of docxtpl's patched XML: one paragraph, XML removed.

    A ``{%p if … %}`` paragraph becomes a bare ``{% if … %}`` after the paragraph
    before it, on the same line; that tag is the text when ``needle`` is only there.
    """
    import html

    if not 0 < lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    end = line.rfind("</w:p>")
    pieces = [line[:end], line[end:]] if end >= 0 else [line]
    texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split()) for p in pieces]
    if needle:
        for text in texts:
            if re.search(needle, text):
                return text
    return next((t for t in texts if t), "")


def _needle(message: str) -> str | None:
    """A pattern for what the message names, to show that part of a long paragraph."""
    for pattern in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'",
                    r"No (?:filter|test) named '([^']+)'", r"unknown tag '([^']+)'",
                    r"unexpected char '(.)'"):
        if m := re.search(pattern, message):
            return re.escape(m.group(1))
    return None


def excerpt(text: str, needle: str | None = None, width: int = 76) -> str:
    """``text`` cut to ``width`` characters around the first match of ``needle``."""
    if len(text) <= width:
        return text
    m = re.search(needle, text) if needle else None
    start = max(0, min(m.start() - width // 3, len(text) - width)) if m else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _open_block(env: jinja2.Environment, source: str) -> tuple[str, int] | None:
    """The innermost block tag (name, line) left open where Jinja found an error."""
    tokens = []
    try:
        for token in env.lexer.tokeniter(source, None):
            if token[1] != "whitespace":
                tokens.append(token)
    except jinja2.TemplateSyntaxError:
        pass  # the tags before the lexer's error are enough
    stack: list[tuple[str, int]] = []
    for i, (line, kind, _value) in enumerate(tokens[:-1]):
        if kind != "block_begin" or tokens[i + 1][1] != "name":
            continue
        tag = tokens[i + 1][2]
        if tag in _BLOCKS:
            rest = tokens[i + 2:]
            end = next((j for j, t in enumerate(rest) if t[1] == "block_end"), len(rest))
            if tag == "set" and any(t[2] == "=" for t in rest[:end]):
                continue  # {% set x = … %} has no end tag
            stack.append((tag, line))
        elif tag.startswith("end"):
            if not stack or stack[-1][0] != tag[3:]:
                break  # the mismatch Jinja reported
            stack.pop()
    return stack[-1] if stack else None


def _known_roots() -> list[str]:
    """Every variable a template may use (docgen/fields.py), for «возможно, …» hints."""
    try:
        from docgen.fields import all_roots
    except ImportError:  # pragma: no cover - fields.py is part of docgen
        return []
    return sorted(all_roots())


def _did_you_mean(name: str, candidates: list[str], prefix: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"; возможно, имелось в виду «{prefix}{close[0]}»" if close else ""


def _chain(paragraph: str | None, attr: str) -> str | None:
    """The dotted name ending in ``.attr`` in the paragraph («group.tehme»), if it is there."""
    if not paragraph:
        return None
    m = re.search(rf"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*{re.escape(attr)}\b",
                  paragraph)
    return "".join(m.group(1).split()) + f".{attr}" if m else None


def _explain_undefined(exc: jinja2.TemplateError, message: str) -> str:
    if m := re.search(r"'([^']+)' is undefined", message):
        name = m.group(1)
        return (f"неизвестная переменная «{name}»{_did_you_mean(name, _known_roots())} "
                f"(все переменные документа показывает команда docgen fields)")
    m = re.search(r"has no attribute '([^']+)'", message)
    if not m:
        return message
    attr = m.group(1)
    chain = _chain(getattr(exc, "docgen_paragraph", None), attr)
    base = chain[:-len(attr) - 1] if chain else None
    obj, _name = getattr(exc, "docgen_undefined", (jinja2.utils.missing, attr))
    if obj is None or message.startswith("'None'"):
        what = f"«{base}»" if base else "значение"
        return (f"поле {what} пустое (в книге нет этих данных), и у него нет поля «{attr}»; "
                f"выводите его внутри {{%p if {base or '…'} %}} … {{%p endif %}}")
    named = f"«{chain}»" if chain else f"«{attr}»"
    if isinstance(obj, dict):
        hint = _did_you_mean(attr, [str(k) for k in obj], f"{base}." if base else "")
        return f"нет поля {named}{hint}"
    kind = {str: "текст", int: "число", bool: "да/нет", list: "список", dt.date: "дата"}.get(
        type(obj), "значение")
    where = f"«{base}» ({kind})" if base else f"значения ({kind})"
    return f"у {where} нет поля «{attr}»"


def _explain_security(exc: jinja2.TemplateError, message: str) -> str:
    m = re.search(r"attribute '([^']+)'", message)
    return refused_attribute(m.group(1) if m else None)


def refused_attribute(name: str | None) -> str:
    """What a template is told when it reaches for Python internals («__class__»)."""
    what = f" к «{name}»" if name else ""
    return (f"недопустимое обращение{what}: шаблон может только выводить данные документа, "
            f"а не обращаться к устройству программы")


def refused_file(name: str) -> str:
    """What a template is told when it tries to include, import or extend a file."""
    return (f"недопустимое обращение к файлу «{name}»: шаблон не может подключать или "
            f"читать другие файлы ({{% include %}}, {{% import %}}, {{% extends %}})")


def unknown_filter(name: str) -> str:
    env = environment()
    own = sorted(set(env.filters) - set(jinja2.filters.FILTERS))
    return (f"неизвестный фильтр «{name}»{_did_you_mean(name, sorted(env.filters))}; "
            f"фильтры docgen: {', '.join(own)}")


def _unbalanced(paragraph: str | None) -> str | None:
    """«{{» or «{%» left unclosed in the paragraph, if one is."""
    for opening, closing in (("{{", "}}"), ("{%", "%}")):
        if paragraph and paragraph.count(opening) > paragraph.count(closing):
            return opening
    return None


def _explain_syntax(exc: jinja2.TemplateError, message: str) -> str:
    opener = getattr(exc, "docgen_opener", None)
    if m := re.search(r"innermost block that needs to be closed is '(\w+)'", message):
        block = m.group(1)
        if found := re.match(r"Encountered unknown tag '(\w+)'", message):
            elsewhere = opener and opener[1] and opener[1] != getattr(exc, "docgen_paragraph", None)
            where = f" (абзац «{excerpt(opener[1], None, 50)}»)" if elsewhere else ""
            return (f"тег {{% {found.group(1)} %}} стоит внутри незакрытого тега "
                    f"{{% {block} %}}{where}: сначала закройте его тегом {{% end{block} %}}")
        return f"не закрыт тег {{% {block} %}} — добавьте {{% end{block} %}}"
    if m := re.match(r"Encountered unknown tag '(\w+)'", message):
        tag = m.group(1)
        if tag.startswith("end"):
            return f"лишний тег {{% {tag} %}}: нет открывающего его тега {{% {tag[3:]} %}}"
        if tag in ("else", "elif"):
            return f"тег {{% {tag} %}} стоит вне {{% if %}}"
        if tag in ("tr", "tc"):
            return (f"тег {{%{tag} … %}} не распознан: он должен стоять в "
                    f"{'строке' if tag == 'tr' else 'ячейке'} таблицы, один, с «{tag}» сразу "
                    f"после «{{%» («{{%{tag} for … %}}»); для абзацев вне таблицы — {{%p … %}}")
        if tag in ("p", "r"):
            return (f"тег {{%{tag} … %}} не распознан: пишите «{tag}» сразу после «{{%» "
                    f"(«{{%{tag} if … %}}»); в одном абзаце может быть только один такой тег и "
                    f"никакого другого текста")
        return f"неизвестный тег {{% {tag} %}}"
    if m := re.match(r"unexpected char '(.)'", message):
        if m.group(1) in _WORD_QUOTES:
            return ("ошибка в записи поля или тега: кавычки-ёлочки «…» внутри тега — пишите "
                    "прямые кавычки '…' или \"…\" (Word заменяет их при вводе; отмените замену "
                    "Ctrl+Z сразу после ввода кавычки)")
        return f"ошибка в записи поля или тега: недопустимый знак «{m.group(1)}»"
    paragraph = getattr(exc, "docgen_paragraph", None)
    if opening := _unbalanced(paragraph):
        closing = "}}" if opening == "{{" else "%}"
        assert paragraph is not None
        start = paragraph.rindex(opening)
        return (f"ошибка в записи поля: «{excerpt(paragraph[start:], None, 30)}» не закрыто — "
                f"добавьте «{closing}» в том же абзаце (если Word перенёс конец тега в другой "
                f"абзац, соберите тег в одном)")
    if m := re.match(r"expected token '([^']+)', got '([^']+)'", message):
        expected = _JINJA_TOKENS.get(m.group(1), f"«{m.group(1)}»")
        got = _JINJA_TOKENS.get(m.group(2), f"«{m.group(2)}»")
        return f"ошибка в записи поля или тега: ожидалось {expected}, а стоит {got}"
    if m := re.match(r"unexpected '([^']+)'(?:, expected '([^']+)')?", message):
        expected = f", а нужно «{m.group(2)}»" if m.group(2) else ""
        return f"ошибка в записи поля или тега: лишний знак «{m.group(1)}»{expected}"
    if message.startswith("expected name or number"):
        return "ошибка в записи поля или тега: после точки нужно имя поля"
    if message.startswith("Expected an expression"):
        return "ошибка в записи поля или тега: пустое поле или тег без имени переменной"
    return f"ошибка в записи поля или тега ({message})"


def _explain_python(original: BaseException) -> str:
    if isinstance(original, OverflowError) and "range" in str(original).lower():
        return "недопустимое обращение: слишком большой range() — не больше 100000 значений"
    return (f"не удалось вычислить поле или тег: значение не подходит для этого действия или "
            f"фильтра ({type(original).__name__}: {original})")


def describe_error(exc: jinja2.TemplateError) -> tuple[str | None, str]:
    """(paragraph, Russian message) of a template error, for ``docgen templates check``."""
    return getattr(exc, "docgen_paragraph", None) or None, _explain(exc)
