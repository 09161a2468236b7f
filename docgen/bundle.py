"""«Комплект документов.docx»: a group's documents in one file, to print the set at once.

docxcompose (MIT) carries each document's styles, numbering and images into
the first one. It would also put everything into one section with the first
document's page setup, so here every document keeps a section of its own:
it starts on a new page, keeps its orientation (the plan and the technical
task are landscape), margins and headers, and its pages are numbered from 1
as when it is printed alone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

from docgen.errors import OutputError
from docgen.output import reproducible_zip

BUNDLE = "Комплект документов"  # the file's name, without extension

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def compose(paths: Sequence[Path], title: str = "") -> bytes:
    """The documents of ``paths`` in order as one .docx; the same input gives the same bytes.

    Raises OutputError naming the document that could not be read or added.
    """
    from docx import Document
    from docxcompose.composer import Composer

    if not paths:
        raise OutputError("в комплекте нет документов")
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
            start_new_page(section)
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


def start_new_page(section: Any, element: Callable[[str], Any] | None = None) -> None:
    """The section begins on a new page, numbered from 1 (as the document alone).

    ``element`` makes the new ``w:pgNumType`` from its tag (python-docx's
    element classes by default, as in a python-docx document); the bundle and
    the combined file for PDF (``pdf_combine.py``) both start documents so.
    """
    for kind in section.findall(_w("type")):
        section.remove(kind)
    numbering = section.find(_w("pgNumType"))
    if numbering is None:
        numbering = (element or _docx_element)(_w("pgNumType"))
        # pgNumType goes after the page size and margins, before the columns
        anchor = next((section.find(_w(t)) for t in ("pgBorders", "lnNumType", "pgMar", "pgSz")
                       if section.find(_w(t)) is not None), None)
        if anchor is not None:
            anchor.addnext(numbering)
        else:
            section.insert(0, numbering)
    numbering.set(_w("start"), "1")


def _docx_element(tag: str) -> Any:
    from docx.oxml import parse_xml

    local = tag.rsplit("}", 1)[1]
    return parse_xml(f'<w:{local} xmlns:w="{W}"/>')
