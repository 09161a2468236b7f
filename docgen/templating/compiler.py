"""Templates compiled once: docxtpl's semantics without its per-document cost.

docxtpl re-reads the .docx, re-runs its XML preprocessing and recompiles the
Jinja source for every document. Here a template is read, preprocessed and
compiled once per process (and kept on disk, ``cache.py``); a render then runs
the compiled Jinja code, docxtpl's own post-processing of the result, and a zip
writer that copies the compressed bytes of the parts that never change.
``engine.render_plain`` is the plain docxtpl path this one is tested against.

Pictures (docxtpl's InlineImage, docgen's Picture) need a python-docx part to be
added to; ``drawing.Story`` stands in for it, from facts kept at compile time
(each part's relationships and next shape id, the template's images), and the
render's new media, relationships and content types are written into the zip.
"""

from __future__ import annotations

import codecs
import copy
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from docgen.errors import TemplateError
from docgen.templating import drawing
from docgen.templating.canonical import body_shape
from docgen.templating.explain import template_error
from docgen.templating.package import check_template_package
from docgen.templating.sandbox import bounded, check_time, environment, printed_markup

_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_NO_LISTING = re.compile("[\t\a\n\f]")
_LISTING = b"\t\a\n\f"  # the characters docxtpl's resolve_listing rewrites
_TAGS = re.compile(r"\{[{%#]")
_ZIP_TIME = (0 << 11) | (0 << 5) | 0  # 00:00:00, the earliest DOS time
_ZIP_DATE = ((1980 - 1980) << 9) | (1 << 5) | 1  # 1980-01-01: fixed, so output is repeatable


@dataclass
class _Part:
    """One XML part of the template as docxtpl renders it: compiled once, or constant."""

    member: str  # zip member name, e.g. word/header1.xml
    source: str  # docxtpl-patched XML with «\n<w:p» line breaks, as docxtpl compiles it
    code: Any  # the compiled Jinja code (kept in the on-disk cache)
    constant: bytes | None = None  # the rendered bytes when the part has no tags
    encoding: str = "utf-8"
    reparse: bool = True  # headers, footers and the body are re-serialized by python-docx
    next_id: int = 1  # python-docx's next shape id in the part: where a picture's id starts
    rels: tuple[tuple[str, str, str, bool], ...] = ()  # (rId, type, target, external)

    @cached_property
    def template(self) -> jinja2.Template:
        return _template(self.code, self.source)


@dataclass
class _Member:
    """A zip member of the output: its headers and compressed bytes, made once if static."""

    name: str
    raw: bytes = b""  # compressed data
    crc: int = 0
    size: int = 0
    method: int = zipfile.ZIP_DEFLATED
    dynamic: bool = False  # rendered for every document; otherwise copied whole
    local: bytes = b""  # a static member's local header, name and data, ready to copy
    central: bytes = b""  # its central directory entry up to the offset field

    def __post_init__(self) -> None:
        if not self.dynamic:  # made once, for every document
            self.local, self.central = _headers(self.name, self.raw, self.crc, self.size,
                                                self.method)


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
class _Splice:
    """document.xml around the body, as lxml writes it: a body needing no round trip goes in.

    Only for a template whose shape ``canonical.body_shape`` accepts.
    """

    open: bytes  # the body's start tag as the rendered text has it (every namespace declared)
    head: bytes  # document.xml up to and with the body's start tag, as lxml writes it
    tail: bytes  # document.xml after the body's end tag
    declared: tuple[bytes, ...] = ()  # « xmlns:p="…"» of the document: redundant inside it


@dataclass
class CompiledTemplate:
    """A template read, preprocessed and compiled once; ``render`` reuses all of it."""

    path: Path
    body: _Part
    shell: Any  # the w:document element without its body
    body_index: int
    parts: list[_Part] = field(default_factory=list)  # headers, footers, footnotes
    core: Any = None  # core properties element, when its properties have tags
    core_codes: dict[str, Any] = field(default_factory=dict)
    members: list[_Member] = field(default_factory=list)
    images: tuple[tuple[str, str, str], ...] = ()  # the template's (partname, sha1, filename)
    splice: _Splice | None = None  # when renders of the body may skip lxml (``_spliced``)

    @cached_property
    def core_templates(self) -> dict[str, jinja2.Template]:
        return {name: _template(code, "") for name, code in self.core_codes.items()}

    def render(self, context: dict[str, Any]) -> bytes:
        dynamic: dict[str, bytes] = {}
        package = drawing.Package(list(self.images))
        story: drawing.Story | None = None
        try:
            # engine.LIMITS (loop steps, sizes, time) bound the whole document; a picture
            # goes into the part being made
            with bounded():
                with drawing.rendering(lambda: story):
                    story = package.story(self.body.member, self.body.next_id, self.body.rels)
                    body = _finish(self.body, context)
                    splice = self.splice if not printed_markup() else None
                    if splice is None:
                        _check_links(self.path, body, story)
                    for part in self.parts:
                        if part.constant is None:
                            story = package.story(part.member, part.next_id, part.rels)
                            dynamic[part.member] = _render_part(part, context)
                            if printed_markup():
                                _check_links(self.path, dynamic[part.member], story)
                            check_time()
                    if self.core is not None:
                        dynamic["docProps/core.xml"] = self._render_core(context)
                # the work after Jinja counts against the same clock, step by step
                check_time()
                document = _spliced(splice, body) if splice is not None else None
                if document is None:  # docxtpl's way: parsed, tables fixed, pictures, written
                    root = copy.deepcopy(self.shell)
                    tree = _body_tree(body)
                    check_time()
                    root.insert(self.body_index, tree)
                    document = _serialized(root)
                check_time()
                dynamic["word/document.xml"] = document
                members = self.members
                if package.added or any(s.added for s in package.stories):
                    members, dynamic = self._with_pictures(package, dynamic)
                    check_time()
        except jinja2.TemplateError as exc:
            raise template_error(self.path, exc, getattr(exc, "_docgen_source", None)) from exc
        return _write_zip(members, dynamic)

    def _with_pictures(self, package: drawing.Package, dynamic: dict[str, bytes],
                       ) -> tuple[list[_Member], dict[str, bytes]]:
        """The members and rendered parts once the render's pictures are added."""
        by_name = {m.name: m for m in self.members}

        def read(name: str) -> bytes | None:
            member = by_name.get(name)
            return _inflate(member) if member is not None else None

        changed = drawing.package_changes(package, read)
        extra = [_Member(name, dynamic=True) for name in changed if name not in by_name]
        return [*self.members, *extra], {**dynamic, **changed}

    def _render_core(self, context: dict[str, Any]) -> bytes:
        """docProps/core.xml with its properties rendered, set as python-docx sets them.

        Only templates with tags in their properties come here: python-docx is
        imported for them alone.
        """
        from docx.opc.coreprops import CoreProperties
        from docx.oxml.parser import parse_xml

        element = parse_xml(etree.tostring(self.core))  # a copy, as python-docx's elements
        props = CoreProperties(element)
        for name, template in self.core_templates.items():
            setattr(props, name, template.render(context))
        return _serialized(element)


# A relationship an element refers to: a hyperlink, a picture, an object.
_LINK = re.compile(rb"<([\w:]+)[^>]*?\br:(id|embed|link|pict|dm|lo|qs|cs)=\"([^\"]*)\"")
_LINK_TYPES = {(b"w:hyperlink", b"id"): "/hyperlink", (b"a:blip", b"embed"): "/image"}


def _check_links(path: Path, xml: bytes, story: drawing.Story) -> None:
    """Refuse a value printed as markup that refers to a relationship the part lacks.

    docxtpl's RichText with a hyperlink (``url_id``) and a Subdoc with pictures carry
    the id of a relationship of the DocxTemplate that made them; docgen renders into
    its own package, where the id would point at nothing and Word calls the file
    damaged (issue 29). docgen's own pictures add their relationships to ``story``.
    """
    known = {rel[0]: rel[1] for rel in story.rels}
    for match in _LINK.finditer(xml):
        element, attribute, raw = match.groups()
        rid = raw.decode("utf-8", "replace")
        kind = _LINK_TYPES.get((element, attribute), "")
        if rid not in known or not known[rid].endswith(kind):
            raise TemplateError(
                f"шаблон «{path.name}»: значение вставляет гиперссылку или рисунок со ссылкой "
                f"«{rid}» на часть другого документа (RichText с гиперссылкой или Subdoc с "
                f"рисунками из docxtpl); docgen такие ссылки не переносит — передайте "
                f"гиперссылку текстом, а рисунок — картинкой docgen (Picture)")


def _compile_part(path: Path, member: str, xml: str, reparse: bool = True,
                  encoding: str = "utf-8", body: bool = False, source_part: Any = None) -> _Part:
    """docxtpl's preprocessing of one part's XML and its Jinja compilation.

    A tag Word split across paragraphs or cells is refused first: docxtpl would
    glue the paragraphs together (or drop the text beside a ``{%p %}`` tag) and
    render something the author did not write.
    """
    from docxtpl import DocxTemplate

    from docgen.errors import Severity
    from docgen.templating.lint import paragraph_problems

    for paragraph, message, _code, severity in paragraph_problems(xml):
        if severity is Severity.ERROR:
            where = f", абзац «{paragraph}»" if paragraph else ""
            raise TemplateError(f"шаблон «{path.name}»{where}: {message}")
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(None, xml))  # type: ignore[arg-type]
    source = _TAG_TEXT.sub(_unescape_ampersand, source)
    try:
        code = environment().compile(source)
    except jinja2.TemplateError as exc:
        exc._docgen_source = source  # type: ignore[attr-defined]
        raise
    part = _Part(member, source, code, encoding=encoding, reparse=reparse)
    if source_part is not None:
        part.next_id, part.rels = _story_facts(source_part, xml)
    if not body and not _TAGS.search(source):  # (the body is always rendered, as a tree)
        part.constant = _render_part(part, {})  # no tags: the same bytes every time
    return part


# The text inside a Jinja tag, as docxtpl's patch_xml finds it.
_TAG_TEXT = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})")


def _unescape_ampersand(match: re.Match[str]) -> str:
    """An ``&`` typed inside a tag (``{{ "Q&A" }}``) is ``&amp;`` in the document's XML;
    docxtpl's patch_xml unescapes ``&lt;`` and ``&gt;`` there but not ``&amp;``, so the
    literal would print as «Q&amp;A» once its value is escaped again (issue 29)."""
    return match.group(0).replace("&amp;", "&")


def _story_facts(part: Any, xml: str) -> tuple[int, tuple[tuple[str, str, str, bool], ...]]:
    """What a picture rendered into ``part`` needs: python-docx's next_id, and its rels."""
    element = getattr(part, "_element", None)
    if element is None:
        element = etree.fromstring(xml.encode("utf-8"))
    used = [int(v) for v in element.xpath("//@id") if v.isdigit()]
    rels = tuple(
        (rid, rel.reltype, rel.target_ref if rel.is_external else str(rel.target_part.partname),
         rel.is_external)
        for rid, rel in part.rels.items())
    return (max(used) + 1 if used else 1), rels


def _template(code: Any, source: str) -> jinja2.Template:
    """A Jinja template from compiled code, as ``from_string`` makes it."""
    env = environment()
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    template._docgen_source = source  # type: ignore[attr-defined]  # for its errors
    return template


def _finish(part: _Part, context: dict[str, Any]) -> bytes:
    """Render a part and post-process it exactly as docxtpl's render_xml_part does.

    Its result is UTF-8, post-processed as bytes: every pattern here is ASCII, so
    the same replacements as on the text, four times faster on Cyrillic. A lone
    surrogate passes through, for lxml to judge as it always did.
    """
    try:
        xml = part.template.render(context)
    except jinja2.TemplateError as exc:
        exc._docgen_source = part.source  # type: ignore[attr-defined]
        raise
    data = xml.encode("utf-8", "surrogatepass")
    data = data.replace(b"\n<w:p ", b"<w:p ").replace(b"\n<w:p>", b"<w:p>")  # \n<w:p([ >])
    if b"{_" in data or b"_}" in data:
        data = data.replace(b"{_{", b"{{").replace(b"}_}", b"}}").replace(b"{_%", b"{%") \
            .replace(b"%_}", b"%}")
    if len(data.translate(None, _LISTING)) != len(data):  # resolve_listing's characters
        data = _resolve_listing(_text(data)).encode("utf-8", "surrogatepass")
    return data


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # resolve_listing's own


_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_P_PR = re.compile(r"<w:pPr>.*?</w:pPr>")  # no DOTALL: properties on one line, as docxtpl
_R_PR = re.compile(r"<w:rPr>.*?</w:rPr>")


def _resolve_listing(xml: str) -> str:
    """What docxtpl's resolve_listing makes of a part, on the paragraphs it can change.

    docxtpl turns the characters \t \a \n \f of a run's text into a tab, a new
    paragraph, a line break and a page break, carrying the run's and the
    paragraph's properties over; each paragraph, run and text is found by the
    same patterns as there (the first properties of each, on one line). A
    paragraph without those characters is left as it is, so only the few that
    have one are walked (docxtpl's nested passes over the whole document cost 8
    of a plan's 10 ms). Written for docgen, not copied: docxtpl is LGPL-2.1;
    tests (test_batch_speed.py, test_no_docx_in_workers.py) compare it with
    docxtpl's on crafted, random and rendered documents.
    """
    def paragraph(match: re.Match[str]) -> str:
        text = match[0]
        if _NO_LISTING.search(text) is None:
            return text
        found = _P_PR.search(text)
        p_pr = found[0] if found else ""
        return _RUN.sub(lambda run: _listing_run(run[0], p_pr), text)

    return _PARAGRAPH.sub(paragraph, xml)


def _listing_run(run: str, p_pr: str) -> str:
    """One run with its texts' \t \a \n \f replaced, in that order (a replacement
    brings properties that may hold the characters after it)."""
    if _NO_LISTING.search(run) is None:
        return run
    found = _R_PR.search(run)
    r_pr = found[0] if found else ""
    tab = f'</w:t></w:r><w:r>{r_pr}<w:tab/></w:r><w:r>{r_pr}<w:t xml:space="preserve">'
    opened = f'<w:p>{p_pr}<w:r>{r_pr}<w:t xml:space="preserve">'
    paragraph = f"</w:t></w:r></w:p>{opened}"
    page = f'</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>{opened}'

    def text(match: re.Match[str]) -> str:
        return (match[0].replace("\t", tab).replace("\a", paragraph)
                .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">').replace("\f", page))

    return _TEXT.sub(text, run)


def _render_part(part: _Part, context: dict[str, Any]) -> bytes:
    if part.constant is not None:
        return part.constant
    xml = _finish(part, context)
    if codecs.lookup(part.encoding).name != "utf-8" or _SURROGATE.search(xml):
        xml = _text(xml).encode(part.encoding)  # as docxtpl encodes it, errors included
    return _serialized(etree.fromstring(xml, _OXML)) if part.reparse else xml


# python-docx's parser (docx.oxml.parser.oxml_parser) without its element classes, which
# change nothing lxml reads or writes
_OXML = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _serialized(root: Any) -> bytes:
    """An XML part as python-docx writes one (docx.opc.oxml.serialize_part_xml)."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _body_tree(data: bytes) -> Any:
    """The rendered body element, with docxtpl's table and drawing-id fixes."""
    xml = _text(data)
    tree = etree.fromstring(xml, parser=_RECOVER)
    if not _tables_consistent(tree):  # docxtpl's own fix, when it has anything to do
        from docxtpl import DocxTemplate

        tree = DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]
    for n, element in enumerate(_DOC_PR(tree)):
        element.attrib["id"] = str(1001 + n)
    return tree


# What lxml would not write as it stands: a character reference (an escaped quote, «&#95;»),
# a carriage return, a character XML refuses, an element written open and closed.
_CONTROL = bytes(range(9)) + b"\x0b\x0c\x0d" + bytes(range(14, 32))  # U+FFFE/FFFF apart
_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")  # U+D800-DFFF as "surrogatepass" writes them
_OPEN_CLOSED = re.compile(rb"<[\w:.-]+></")  # or «"></», after attributes
_EMPTY_TEXT = ((b'<w:t xml:space="preserve"></w:t>', b'<w:t xml:space="preserve"/>'),
               (b"<w:t></w:t>", b"<w:t/>"))
_PICTURE_ID = re.compile(rb'<wp:docPr id="[^"]*"')


def _spliced(splice: _Splice, data: bytes) -> bytes | None:
    """document.xml with the rendered body as it is, when lxml would write it the same.

    The template's shape is known to keep the XML well-formed and its tables
    whole (``canonical.body_shape``); what the values brought is checked here.
    None sends the document through lxml, as docxtpl does.
    """
    if (not data.startswith(splice.open) or not data.endswith(b"</w:body>")
            or b"&#" in data or len(data.translate(None, _CONTROL)) != len(data)
            or (b"\xef\xbf" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data))
            or (b"\xed" in data and _SURROGATE.search(data))):  # a lone surrogate: lxml's to judge
        return None
    data = data[len(splice.open):]  # the body's content and end tag
    for written, short in _EMPTY_TEXT:
        if written in data:
            data = data.replace(written, short)
    if b'"></' in data or _OPEN_CLOSED.search(data):
        return None
    if b" xmlns:" in data:  # a picture's declarations: lxml drops those the document has
        for declaration in splice.declared:
            data = data.replace(declaration, b"")
        at = data.find(b" xmlns:")
        while at != -1:  # only a picture's wp:inline declares what the document does not
            if not data.startswith(b"<wp:inline ", data.rfind(b"<", 0, at)):
                return None
            at = data.find(b" xmlns:", at + 1)
    if b"docPr" in data:  # pictures: numbered from 1001 in order, as docxtpl does
        found = _PICTURE_ID.findall(data)
        if len(found) + data.count(b"</wp:docPr>") != data.count(b"docPr"):
            return None
        numbers = iter(range(1001, 1001 + len(found)))
        data = _PICTURE_ID.sub(lambda _m: b'<wp:docPr id="%d"' % next(numbers), data)
    return b"".join((splice.head, data, splice.tail))


def _splice_for(compiled: CompiledTemplate) -> _Splice | None:
    """The splice of a template whose body's renders can skip lxml, else None."""
    source = compiled.body.source
    start = re.match(r"\s*(<w:body\b[^>]*>)", source)
    if start is None or body_shape(source) is not None:
        return None
    probe = etree.fromstring(start[1] + "</w:body>", parser=_RECOVER)
    root = copy.deepcopy(compiled.shell)
    root.insert(compiled.body_index, probe)
    whole = _serialized(root)
    empty = b"<w:body/>"  # every declaration of the body is the document's: lxml drops them
    if whole.count(b"<w:body") != 1 or empty not in whole:
        return None
    begin = whole.index(empty)
    declared = tuple(f' xmlns:{prefix}="{uri}"'.encode()
                     for prefix, uri in compiled.shell.nsmap.items() if prefix)
    return _Splice(start[1].encode("utf-8"), whole[:begin] + b"<w:body>",
                   whole[begin + len(empty):], declared)


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
    from docgen.templating import cache

    try:
        content = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"шаблон «{path.name}» не найден или не читается") from exc
    check_template_package(path, content)
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
        return (p.member, p.source, p.code, p.constant, p.encoding, p.reparse, p.next_id,
                p.rels)

    return marshal.dumps((
        part(compiled.body), [part(p) for p in compiled.parts],
        etree.tostring(compiled.shell), compiled.body_index,
        etree.tostring(compiled.core) if compiled.core is not None else None,
        compiled.core_codes,
        [(m.name, m.raw, m.crc, m.size, m.method, m.dynamic) for m in compiled.members],
        compiled.images,
        (compiled.splice.open, compiled.splice.head, compiled.splice.tail,
         compiled.splice.declared) if compiled.splice is not None else None,
    ))


def _unmarshal(path: Path, data: bytes) -> CompiledTemplate:
    """A cached compiled template back, its elements parsed as python-docx parses them.

    Plain lxml elements: only the lxml fallback of a render copies the shell, and
    a core with tags is made python-docx's in ``_render_core``; so loading a
    template imports no python-docx.
    """
    import marshal

    (body, parts, shell, body_index, core, core_codes, members, images,
     splice) = marshal.loads(data)

    return CompiledTemplate(path, _Part(*body), etree.fromstring(shell, _OXML), body_index,
                            [_Part(*p) for p in parts],
                            etree.fromstring(core, _OXML) if core is not None else None,
                            core_codes,
                            [_Member(*m) for m in members], images,
                            _Splice(*splice) if splice is not None else None)


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
    body = _compile_part(path, "word/document.xml", tpl.get_xml(), body=True,
                         source_part=document.part)
    shell = copy.deepcopy(document._element)
    old_body = shell.body
    body_index = shell.index(old_body)
    shell.remove(old_body)
    compiled = CompiledTemplate(path, body, shell, body_index)
    compiled.images = tuple((str(p.partname), p.sha1, p.filename)
                            for p in document.part.package.image_parts)
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            compiled.parts.append(_compile_part(path, part.partname.membername, xml,
                                                encoding=tpl.get_headers_footers_encoding(xml),
                                                source_part=part))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            compiled.parts.append(_compile_part(path, part.partname.membername, blob,
                                                reparse=False, source_part=part))
    core = document.core_properties
    env = environment()
    if any(_TAGS.search(getattr(core, name)) for name in _CORE_PROPERTIES):
        compiled.core_codes = {name: env.compile(getattr(core, name))
                               for name in _CORE_PROPERTIES}
        compiled.core = copy.deepcopy(core._element)
    else:  # constant, but docxtpl still writes every property back: do the same once
        for name in _CORE_PROPERTIES:  # text without tags renders as itself, as Jinja does
            value = getattr(core, name)
            setattr(core, name, value[:-1] if value.endswith("\n") else value)
    buffer = io.BytesIO()
    document.save(buffer)  # the unchanged parts exactly as python-docx writes them
    compiled.members = _members(buffer.getvalue(), compiled)
    compiled.splice = _splice_for(compiled)
    return compiled


def _members(package: bytes, compiled: CompiledTemplate) -> list[_Member]:
    """The saved package's members: rendered ones marked, the others ready to copy."""
    constant = {p.member: p.constant for p in compiled.parts if p.constant is not None}
    dynamic = {compiled.body.member, *(p.member for p in compiled.parts if p.constant is None)}
    if compiled.core is not None:
        dynamic.add("docProps/core.xml")
    members = []
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        for info in zf.infolist():
            name = info.filename
            if name in dynamic:
                members.append(_Member(name, dynamic=True))
            elif name in constant:  # as docxtpl writes a part without tags
                data = constant[name]
                members.append(_Member(name, _deflate(data), zlib.crc32(data), len(data)))
            else:  # copied as python-docx compressed it
                members.append(_Member(name, _raw_member(package, info), info.CRC,
                                       info.file_size, info.compress_type))
    return members


def _raw_member(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as they lie in the zip, past its local header."""
    name_length, extra_length = struct.unpack_from("<HH", package, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    return package[start:start + info.compress_size]


def _inflate(member: _Member) -> bytes:
    """A static member's uncompressed bytes."""
    if member.method == zipfile.ZIP_STORED:
        return member.raw
    return zlib.decompress(member.raw, -15)


def _deflate(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


_MEDIA: dict[bytes, tuple[bytes, int]] = {}  # a picture's bytes: (deflated, CRC)
_MEDIA_KEPT = 64  # pictures kept; a group's photos and charts are a few dozen


def _media(data: bytes) -> tuple[bytes, int]:
    """A picture deflated and its CRC, made once per process for the same bytes.

    The same photo goes into the event report, the annual report and the bundle,
    and the same chart into every report of its data: 0.6 ms each time.
    """
    found = _MEDIA.get(data)
    if found is None:
        if len(_MEDIA) >= _MEDIA_KEPT:
            _MEDIA.clear()
        found = _MEDIA[data] = (_deflate(data, 1), zlib.crc32(data))
    return found


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
            if member.name.startswith("word/media/"):  # a photo recurs: deflated once
                raw, crc = _media(data)
            else:  # level 1: fast, and only ~1 KB larger
                raw, crc = _deflate(data, 1), zlib.crc32(data)
            local, head = _headers(member.name, raw, crc, len(data), member.method)
        else:
            local, head = member.local, member.central
        pieces.append(local)
        central.append(head + struct.pack("<I", offset) + member.name.encode("utf-8"))
        offset += len(local)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                      len(directory), offset, 0)
    return b"".join(pieces) + directory + end


_compiled: dict[tuple[str, int, int], CompiledTemplate | TemplateError] = {}


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
            found = template_error(template, exc, getattr(exc, "_docgen_source", None))
            found.__cause__ = exc
        except TemplateError as exc:
            found = exc
        _compiled[key] = found  # a broken template is reported, not compiled again, per document
    if isinstance(found, TemplateError):
        raise copy.copy(found) from found.__cause__  # a fresh one: tracebacks must not pile up
    return found


def warm(paths: list[Path]) -> None:
    """Compile ``paths`` and make their Jinja templates now, in this process.

    For a batch whose workers are forked: they inherit what is made here
    instead of each making it again. A template that does not load is left for
    its render to report, as without warming.
    """
    for path in paths:
        try:
            template = compiled(path)
        except Exception:  # its render reports it, in the worker
            continue
        for part in (template.body, *template.parts):
            if part.constant is None:
                part.template  # noqa: B018  (made once, inherited by the workers)
        template.core_templates  # noqa: B018


def rezip(package: bytes, infos: list[zipfile.ZipInfo], changed: dict[str, bytes]) -> bytes:
    """The package with ``changed`` parts (new ones last); the others copied compressed.

    For a document written without rendering (the сводный отчёт: its body and
    charts): the same repeatable zip as a render writes.
    """
    members = [_Member(i.filename, dynamic=True) if i.filename in changed else
               _Member(i.filename, _raw_member(package, i), i.CRC, i.file_size, i.compress_type)
               for i in infos]
    known = {i.filename for i in infos}
    members += [_Member(name, dynamic=True) for name in changed if name not in known]
    return _write_zip(members, changed)
