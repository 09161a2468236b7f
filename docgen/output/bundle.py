"""«Комплект документов.docx»: a group's documents in one file, to print the set at once.

Every document keeps a section of its own: it starts on a new page, keeps its
orientation (the plan and the technical task are landscape), margins and
headers, and its pages are numbered from 1 as when it is printed alone.

Documents made from one set of templates share their styles, numbering and
theme byte for byte; those are put together by ``pdf_combine`` (the combiner
of the PDF stage, without its bookmarks): bodies appended, headers, footers,
images and links copied under new names. It costs a few hundredths of a second
a group. Whatever that combiner refuses (a clerk's template with its own styles
or Word's list numbering, a document re-saved by Word, a field that counts
pages) is put together by docxcompose (MIT), which carries each document's
styles, numbering and images into the first one.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

from lxml import etree

from docgen.errors import OutputError
from docgen.pdf.combine import start_new_page
from docgen.runtime.files import ZIP_EPOCH, reproducible_zip

BUNDLE = "Комплект документов"  # the file's name, without extension

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
CORE = "docProps/core.xml"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def compose(paths: Sequence[Path], title: str = "") -> bytes:
    """The documents of ``paths`` in order as one .docx; the same input gives the same bytes.

    Raises OutputError naming the document that could not be read or added.
    """
    if not paths:
        raise OutputError("в комплекте нет документов")
    combined = _combine(paths, title)
    return combined if combined is not None else _compose(paths, title)


def _combine(paths: Sequence[Path], title: str) -> bytes | None:
    """The bundle by ``pdf_combine``, or None when it refuses one of the documents."""
    from docgen.pdf import combine as pdf_combine

    batch = pdf_combine.Batch()
    parts = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OutputError(f"не удалось прочитать документ «{path.name}» для комплекта "
                              f"({type(exc).__name__}: {exc})") from exc
        part = pdf_combine.read(data, batch, keep_tree=True)
        if (part.signature is None or CORE not in part.members
                or (parts and part.signature != parts[0].signature)):
            return None
        parts.append(part)
    try:
        members = pdf_combine.combined_members(parts, marks=False)
        if title:
            members[CORE] = _titled(members[CORE], title)
    except (etree.XMLSyntaxError, KeyError, ValueError, StopIteration):
        return None  # a construct the combiner does not know: docxcompose takes it
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_EPOCH), body,
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _titled(core: bytes, title: str) -> bytes:
    """docProps/core.xml with ``title`` as the document's title."""
    root = etree.fromstring(core)
    found = root.find(f"{{{DC}}}title")
    if found is None:
        found = etree.SubElement(root, f"{{{DC}}}title")
    found.text = title
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _compose(paths: Sequence[Path], title: str) -> bytes:
    """The bundle by docxcompose, for documents ``pdf_combine`` refuses."""
    from docx import Document
    from docxcompose.composer import Composer

    master = _open(Document, paths[0])
    composer = Composer(master)
    # The sections are made here, one per document; docxcompose's own section
    # fixes assume one shared section and would move headers and numbering about.
    composer.fix_section_types = lambda doc: None  # type: ignore[method-assign]
    composer.fix_header_and_footers = lambda doc: None  # type: ignore[method-assign]
    for path in paths[1:]:
        doc = _open(Document, path)
        try:
            _close_section(master)
            section = deepcopy(doc.element.body.sectPr)
            if section is None:  # a document without page setup takes the previous one's
                section = deepcopy(master.element.body.sectPr)
            else:
                _relink(composer, doc, master, section)
            start_new_page(section, _docx_element)
            body = master.element.body
            body.replace(body.sectPr, section)
            composer.append(doc)
        except Exception as exc:  # docxcompose meets a construct it does not know
            raise OutputError(f"не удалось добавить в комплект документ «{path.name}» "
                              f"({type(exc).__name__}: {exc})") from exc
    if title:
        master.core_properties.title = title
    buffer = io.BytesIO()
    master.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _open(document: Any, path: Path) -> Any:
    try:
        return document(str(path))
    except Exception as exc:  # python-docx raises several kinds on a damaged file
        raise OutputError(f"не удалось прочитать документ «{path.name}» для комплекта "
                          f"({type(exc).__name__}: {exc})") from exc


def _close_section(master: Any) -> None:
    """End the document so far with a section break: its page setup moves into its last paragraph.

    A last table gets a paragraph after it, one point high, so that the break
    does not add an empty page after a full one.
    """
    from docx.oxml import parse_xml

    body = master.element.body
    section = body.sectPr
    last = section.getprevious() if section is not None else None
    if last is None or last.tag != _w("p") or last.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
        last = parse_xml(
            f'<w:p xmlns:w="{W}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
            f'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
            f'</w:pPr></w:p>')
        if section is not None:
            section.addprevious(last)
        else:
            body.append(last)
    properties = last.get_or_add_pPr()
    properties._insert_sectPr(deepcopy(section) if section is not None
                              else parse_xml(f'<w:sectPr xmlns:w="{W}"/>'))


def _relink(composer: Any, doc: Any, master: Any, section: Any) -> None:
    """Copy the headers and footers a section refers to into the bundle, with new ids.

    (docxcompose drops an appended document's headers: every document would
    get the first one's.)
    """
    for reference in list(section.iter(_w("headerReference"), _w("footerReference"))):
        rel = doc.part.rels.get(reference.get(f"{{{R}}}id"))
        if rel is None or rel.is_external:
            section.remove(reference)
            continue
        copy = _copy_part(composer, rel.target_part, master.part.package)
        reference.set(f"{{{R}}}id", master.part.relate_to(copy, rel.reltype))


def _copy_part(composer: Any, part: Any, package: Any) -> Any:
    """A header or footer part copied into ``package`` under a free name, with its images."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart

    template = re.sub(r"\d*\.xml$", "%d.xml", str(part.partname))
    copy = XmlPart.load(PackURI(package.next_partname(template)), part.content_type, part.blob,
                        package)
    ids = {}
    for rid, rel in part.rels.items():
        if rel.is_external:
            ids[rid] = copy.rels.get_or_add_ext_rel(rel.reltype, rel.target_ref)
        else:
            ids[rid] = composer.add_relationship(part, copy, rel).rId
    for element in copy.element.iter():
        for name, value in element.attrib.items():
            if name.startswith(f"{{{R}}}") and value in ids:
                element.set(name, ids[value])
    return copy


def _docx_element(tag: str) -> Any:
    from docx.oxml import parse_xml

    local = tag.rsplit("}", 1)[1]
    return parse_xml(f'<w:{local} xmlns:w="{W}"/>')
