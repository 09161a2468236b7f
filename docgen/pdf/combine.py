"""One LibreOffice conversion for many documents: combine, convert once, split the PDF.

LibreOffice spends about 0.15 s opening any .docx however small (its window,
view and layout machinery), more than the conversion of a short document
itself. So documents of one group that share every part that shapes a page
(styles, settings, theme, fonts, numbering) are put into one .docx, each in a
section of its own that starts on a new page numbered from 1 and keeps its own
page setup and headers; a bookmark at each document's start becomes a named
destination of the PDF (``ExportBookmarksToPDFDestination``), and the PDF is
cut at those pages into one PDF per document.

Only what cannot look different when combined is combined: a document with
list numbering (a list would continue from the previous document), a field
other than PAGE (NUMPAGES would count the whole set), more than one section,
footnotes, comments, charts as objects or any other part this module does not
know is converted alone, as before. ``tests/test_pdf_equivalence.py`` compares
every example document's PDF with its PDF converted alone.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MARK = "docgen_part_"  # + the document's number: the bookmark, and the PDF destination
MAX_UNIT = 60  # documents in one combined file: a hang or a crash costs at most these
# The parts that shape every page: combined documents must have them byte for byte equal.
SHARED = ("word/styles.xml", "word/stylesWithEffects.xml", "word/settings.xml",
          "word/webSettings.xml", "word/fontTable.xml", "word/theme/theme1.xml",
          "word/numbering.xml")
SHARED_TYPES = {"styles", "stylesWithEffects", "settings", "webSettings", "fontTable", "theme",
                "numbering", "customXml"}
OWN_TYPES = {"header", "footer", "image", "hyperlink"}
# the elements below (and with) one that have an attribute of the relationships' namespace
LINKED = etree.XPath(f"descendant-or-self::*[@*[namespace-uri() = '{R}']]")
PAGE_FIELD = re.compile(r"^\s*PAGE(\s+\\\*\s*\w+)*\s*$")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def start_new_page(section: Any, element: Callable[[str], Any] | None = None) -> None:
    """The section begins on a new page, numbered from 1 (as the document alone).

    ``element`` makes the new ``w:pgNumType`` from its tag (lxml's by default;
    python-docx's element classes in a python-docx document); the bundle and
    the combined file for PDF both start documents so.
    """
    for kind in section.findall(_w("type")):
        section.remove(kind)
    numbering = section.find(_w("pgNumType"))
    if numbering is None:
        numbering = (element or etree.Element)(_w("pgNumType"))
        # pgNumType goes after the page size and margins, before the columns
        anchor = next((section.find(_w(t)) for t in ("pgBorders", "lnNumType", "pgMar", "pgSz")
                       if section.find(_w(t)) is not None), None)
        if anchor is not None:
            anchor.addnext(numbering)
        else:
            section.insert(0, numbering)
    numbering.set(_w("start"), "1")


@dataclass
class Part:
    """A document as read for combining: its zip members and what it may be combined with."""

    members: dict[str, bytes]
    signature: str | None  # None: converted alone
    sha256: str = ""  # of the .docx itself: it goes into the manifest with its PDF
    tree: etree._Element | None = None  # word/document.xml parsed, when read to keep it


def _rels(data: bytes) -> list[etree._Element]:
    return list(etree.fromstring(data).iter(f"{{{PR}}}Relationship"))


def _short_type(rel: etree._Element) -> str:
    return rel.get("Type", "").rsplit("/", 1)[-1]


def _known_part(name: str) -> bool:
    if name in SHARED or name in ("[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                  "word/_rels/document.xml.rels"):
        return True
    return (name.startswith(("docProps/", "customXml/", "word/media/"))
            or re.fullmatch(r"word/(_rels/)?(header|footer)\d+\.xml(\.rels)?", name) is not None)


def _fields_only_page(root: etree._Element) -> bool:
    """Whether every field of a part is PAGE (NUMPAGES, REF, TOC… depend on the whole file)."""
    for element in root.iter(_w("instrText")):
        if element.text and element.text.strip() and not PAGE_FIELD.match(element.text):
            return False
    return all(PAGE_FIELD.match(e.get(_w("instr"), "")) for e in root.iter(_w("fldSimple")))


def _listed_styles(styles: bytes) -> set[str]:
    """Paragraph styles that carry list numbering (a list would go on across documents)."""
    root = etree.fromstring(styles)
    return {s.get(_w("styleId"), "") for s in root.iter(_w("style"))
            if s.find(f"{_w('pPr')}/{_w('numPr')}") is not None}


@dataclass
class Batch:
    """What the documents of one batch share: read once, kept in memory once."""

    listed: dict[bytes, set[str]] = field(default_factory=dict)  # styles → list styles
    alike: dict[bytes, bytes] = field(default_factory=dict)  # one copy of equal parts
    digests: dict[bytes, bytes] = field(default_factory=dict)  # a shared part → its SHA-256
    pages: dict[bytes, bool] = field(default_factory=dict)  # a header → fields only PAGE
    packed: dict[tuple[str, int, int], bytes] = field(default_factory=dict)  # (name, CRC, size)

    def page_fields_only(self, data: bytes) -> bool:
        if data not in self.pages:
            self.pages[data] = _fields_only_page(etree.fromstring(data))
        return self.pages[data]

    def digest(self, data: bytes) -> bytes:
        if data not in self.digests:  # bytes cache their hash: a lookup costs nothing
            self.digests[data] = hashlib.sha256(data).digest()
        return self.digests[data]


def read(data: bytes, batch: Batch | None = None, keep_tree: bool = False) -> Part:
    """Read a .docx's members and decide whether it may be combined (its ``signature``).

    Documents read with one ``batch`` keep one copy of the parts they have
    alike (the styles alone are 350 KB a document), and their checks of those
    parts are made once. With ``keep_tree`` the parsed document.xml is kept for
    ``combine`` (which then takes its body apart).
    """
    digest = hashlib.sha256(data).hexdigest()
    batch = Batch() if batch is None else batch
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {}
            for info in archive.infolist():
                if info.is_dir():
                    continue
                # a shared part met before (same CRC and size) is not inflated again
                seen = batch.packed.get((info.filename, info.CRC, info.file_size))
                members[info.filename] = seen if seen is not None else archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Part({}, None, digest)
    for name in SHARED:
        if name in members:
            members[name] = batch.alike.setdefault(members[name], members[name])
            info = archive.getinfo(name)
            batch.packed[(name, info.CRC, info.file_size)] = members[name]
    try:
        root = etree.fromstring(members["word/document.xml"])
        return Part(members, _signature(members, root, batch), digest,
                    root if keep_tree else None)
    except (etree.XMLSyntaxError, KeyError, ValueError):
        return Part(members, None, digest)


def _signature(members: dict[str, bytes], root: etree._Element, batch: Batch) -> str | None:
    if not all(_known_part(name) for name in members) or "word/styles.xml" not in members:
        return None
    for rel in _rels(members["word/_rels/document.xml.rels"]):
        kind = _short_type(rel)
        if kind not in SHARED_TYPES | OWN_TYPES:
            return None
        if kind in ("header", "footer"):
            target = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
            rels = posixpath.join("word/_rels", posixpath.basename(target) + ".rels")
            if target not in members or not batch.page_fields_only(members[target]):
                return None
            if rels in members and any(_short_type(r) not in ("image", "hyperlink")
                                       for r in _rels(members[rels])):
                return None
    body = root.find(_w("body"))
    if body is None or len(body) == 0 or body[-1].tag != _w("sectPr"):
        return None
    if any(True for _ in body.iter(_w("numPr"))) or not _fields_only_page(root):
        return None
    if sum(1 for _ in body.iter(_w("sectPr"))) != 1 or next(body.iter(_w("p")), None) is None:
        return None
    styles = members["word/styles.xml"]
    if styles not in batch.listed:
        batch.listed[styles] = _listed_styles(styles)
    used = {s.get(_w("val")) for s in body.iter(_w("pStyle"))}
    if used & batch.listed[styles]:
        return None
    references = sorted((r.tag, r.get(_w("type"), "")) for r in body[-1]
                        if r.tag in (_w("headerReference"), _w("footerReference")))
    digest = hashlib.sha256(repr(references).encode())
    for name in SHARED:
        digest.update(name.encode() + b"\0" + batch.digest(members.get(name, b"")))
    return digest.hexdigest()


def units(folders: Sequence[Path], parts: Sequence[Part]) -> list[list[int]]:
    """Indices of what to convert together: same folder, same signature, in order.

    Each list is one conversion; a list of one is a document converted alone.
    """
    found: list[list[int]] = []
    open_units: dict[tuple[Path, str], list[int]] = {}
    for n, (folder, part) in enumerate(zip(folders, parts, strict=True)):
        if part.signature is None:
            found.append([n])
            continue
        key = (folder, part.signature)
        unit = open_units.get(key)
        if unit is None or len(unit) >= MAX_UNIT:
            unit = open_units[key] = []
            found.append(unit)
        unit.append(n)
    return found


class _Combiner:
    """Appends documents' bodies to the first one's package (see ``combine``)."""

    def __init__(self, first: Part, marks: bool = True) -> None:
        self.marks = marks
        self.members = dict(first.members)
        self.document = etree.fromstring(first.members["word/document.xml"])
        self.body = self.document.find(_w("body"))
        self.rels = etree.fromstring(first.members["word/_rels/document.xml.rels"])
        self.types = etree.fromstring(first.members["[Content_Types].xml"])
        for child in list(self.body):
            self.body.remove(child)
        self.section: etree._Element | None = None

    def add(self, n: int, part: Part) -> None:
        """Document ``n``: its body, its own section, a bookmark at its start."""
        tree = part.tree if part.tree is not None else etree.fromstring(
            part.members["word/document.xml"])
        body = list(tree.find(_w("body")))
        ids = self._own_parts(n, part) if n else {}
        if ids:
            for element in body:
                for node in LINKED(element):  # only the elements that refer to a part
                    for name, value in node.attrib.items():
                        if name.startswith(f"{{{R}}}") and value in ids:
                            node.set(name, ids[value])
        section = body.pop()
        start_new_page(section)
        if self.marks:
            first = next(p for e in body for p in e.iter(_w("p")))
            properties = first.find(_w("pPr"))
            at = 0 if properties is None else first.index(properties) + 1
            mark = 900000 + n
            first.insert(at, etree.Element(_w("bookmarkStart"), {_w("id"): str(mark),
                                                                 _w("name"): f"{MARK}{n}"}))
            first.insert(at + 1, etree.Element(_w("bookmarkEnd"), {_w("id"): str(mark)}))
        if self.section is not None:
            self._close(self.section)
        self.body.extend(body)
        self.section = section

    def _close(self, section: etree._Element) -> None:
        """End the previous document with a section break in its last paragraph.

        A last table gets a paragraph after it, one point high (as in bundle.py).
        """
        last = self.body[-1] if len(self.body) else None
        if last is None or last.tag != _w("p"):
            last = etree.fromstring(
                f'<w:p xmlns:w="{W}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
                f'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
                f'</w:pPr></w:p>')
            self.body.append(last)
        properties = last.find(_w("pPr"))
        if properties is None:
            properties = etree.Element(_w("pPr"))
            last.insert(0, properties)
        # sectPr goes after everything in pPr but rPr and pPrChange
        anchor = properties.find(_w("rPr"))
        if anchor is None:
            anchor = properties.find(_w("pPrChange"))
        if anchor is not None:
            anchor.addprevious(section)
        else:
            properties.append(section)

    def _own_parts(self, n: int, part: Part) -> dict[str, str]:
        """Copy document ``n``'s headers, footers, images and links in; old id → new id."""
        ids: dict[str, str] = {}
        copied: dict[str, str] = {}
        for rel in _rels(part.members["word/_rels/document.xml.rels"]):
            kind = _short_type(rel)
            if kind in SHARED_TYPES:
                continue
            new_id = f"dg{n}{rel.get('Id')}"
            ids[rel.get("Id", "")] = new_id
            attributes = {"Id": new_id, "Type": rel.get("Type", "")}
            if rel.get("TargetMode") == "External":
                attributes.update(Target=rel.get("Target", ""), TargetMode="External")
            else:
                attributes["Target"] = self._copy(n, part, rel.get("Target", ""), copied)
            etree.SubElement(self.rels, f"{{{PR}}}Relationship", attributes)
        return ids

    def _copy(self, n: int, part: Part, target: str, copied: dict[str, str]) -> str:
        """Copy a member (and a header's own relationships) under a new name; its target."""
        source = posixpath.normpath(posixpath.join("word", target))
        if source in copied:
            return copied[source]
        folder, name = posixpath.split(source)
        new = posixpath.join(folder, f"dg{n}-{name}")
        copied[source] = posixpath.relpath(new, "word")
        data = part.members[source]
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name in part.members:
            rels = etree.fromstring(part.members[rels_name])
            for rel in rels.iter(f"{{{PR}}}Relationship"):
                if rel.get("TargetMode") != "External":
                    inner = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                    rel.set("Target", posixpath.relpath(
                        posixpath.join("word", self._copy(n, part, posixpath.relpath(
                            inner, "word"), copied)), folder))
            self.members[posixpath.join(folder, "_rels", f"dg{n}-{name}.rels")] = \
                etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.members[new] = data
        self._content_type(part, source, new)
        return copied[source]

    def _content_type(self, part: Part, source: str, new: str) -> None:
        theirs = etree.fromstring(part.members["[Content_Types].xml"])
        for override in theirs.iter(f"{{{CT}}}Override"):
            if override.get("PartName") == "/" + source:
                etree.SubElement(self.types, f"{{{CT}}}Override",
                                 {"PartName": "/" + new,
                                  "ContentType": override.get("ContentType", "")})
                return
        extension = posixpath.splitext(new)[1].lstrip(".").lower()
        known = {d.get("Extension", "").lower() for d in self.types.iter(f"{{{CT}}}Default")}
        if extension in known:
            return
        for default in theirs.iter(f"{{{CT}}}Default"):
            if default.get("Extension", "").lower() == extension:
                self.types.insert(0, deepcopy(default))
                return

    def finish(self) -> dict[str, bytes]:
        """The combined package's members, in order."""
        assert self.section is not None
        self.body.append(self.section)
        self.members["word/document.xml"] = etree.tostring(
            self.document, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.members["word/_rels/document.xml.rels"] = etree.tostring(
            self.rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.members["[Content_Types].xml"] = etree.tostring(
            self.types, xml_declaration=True, encoding="UTF-8", standalone=True)
        return self.members


def combined_members(parts: Sequence[Part], marks: bool = True) -> dict[str, bytes]:
    """The members of the documents combined into one package (see ``combine``)."""
    combiner = _Combiner(parts[0], marks)
    for n, part in enumerate(parts):
        combiner.add(n, part)
    return combiner.finish()


def combine(parts: Sequence[Part]) -> bytes:
    """The documents as one .docx, each its own section with a bookmark ``MARK<n>`` at its start.

    All must have the same signature (see ``read``).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in combined_members(parts).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def title(part: Part) -> str | None:
    """The document's title (docProps/core.xml), which LibreOffice gives its PDF alone."""
    data = part.members.get("docProps/core.xml")
    if not data:
        return None
    try:
        found = etree.fromstring(data).find("{http://purl.org/dc/elements/1.1/}title")
    except etree.XMLSyntaxError:
        return None
    return found.text if found is not None and found.text else None


RESOURCE_KINDS = ("/XObject", "/Font", "/ExtGState", "/Pattern", "/Shading", "/ColorSpace",
                  "/Properties")
NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")


def _keep_own_resources(page: object) -> None:
    """Only the resources the page's content names: LibreOffice gives every page of a file
    one resource list (all its images), which each cut PDF would otherwise carry whole."""
    from pypdf.generic import DictionaryObject, NameObject

    resources = page.get("/Resources")  # type: ignore[attr-defined]
    contents = page.get_contents()  # type: ignore[attr-defined]
    if resources is None or contents is None:
        return
    used = {"/" + m.decode("latin-1") for m in NAME.findall(contents.get_data())}
    kept = DictionaryObject()
    for key, value in resources.get_object().items():
        inner = value.get_object()
        if key in RESOURCE_KINDS and isinstance(inner, DictionaryObject):
            kept[NameObject(key)] = DictionaryObject(
                {k: v for k, v in inner.items() if k in used})
        else:
            kept[NameObject(key)] = value
    page[NameObject("/Resources")] = kept  # type: ignore[index]


def split(pdf: Path, count: int, out: Sequence[Path],
          titles: Sequence[str | None] | None = None) -> None:
    """Cut the combined PDF into ``count`` PDFs at its ``MARK<n>`` destinations.

    Each PDF has only the pages, images and fonts of its document, and its
    document's title. Raises ValueError when the destinations are not all
    there in order (an older LibreOffice without JSON export options): the
    caller converts the documents alone then.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import TextStringObject

    reader = PdfReader(pdf)
    starts = []
    destinations = reader.named_destinations
    for n in range(count):
        found = destinations.get(f"/{MARK}{n}") or destinations.get(f"{MARK}{n}")
        if found is None:  # LibreOffice writes «_» as #5F in names: pypdf keeps it as 5F
            found = destinations.get("/" + f"{MARK}{n}".replace("_", "5F"))
        if found is None:
            raise ValueError(f"no destination {MARK}{n}")
        starts.append(reader.get_destination_page_number(found))
    starts.append(len(reader.pages))
    if starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise ValueError(f"destinations out of order: {starts}")
    metadata = {k: v for k, v in (reader.metadata or {}).items() if k != "/Title"}
    for n in range(count):
        writer = PdfWriter()
        for page in range(starts[n], starts[n + 1]):
            _keep_own_resources(reader.pages[page])
            writer.add_page(reader.pages[page])
        own = dict(metadata)
        if titles is not None and titles[n]:
            own["/Title"] = TextStringObject(titles[n])
        if own:
            writer.add_metadata(own)
        with open(out[n], "wb") as stream:
            writer.write(stream)
