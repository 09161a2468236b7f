"""Pictures in templates: docxtpl's InlineImage and docgen's own Picture, in both engines.

A template prints a picture as any value: ``{{ photo.image }}``. docxtpl puts
it into the part being rendered (body, header or footer) through that part's
``new_pic_inline``, python-docx's; plain docxtpl has the python-docx part,
docgen's compiled engine (``compiler.py``) has no python-docx package while it
renders, so it gives a ``Story``: python-docx's image reading and inline
drawing, with the relationship and part numbered as python-docx numbers them,
whose new media, relationships and content types are written into the zip
afterwards (``package_changes``).

``engine``'s finalize hands every picture value to ``markup``, which uses the
part of whichever engine is rendering; an InlineImage made for another
DocxTemplate (upstream's own examples) renders the same way. A Picture's bytes
may be made on first use (a chart is drawn only when a document prints it).
"""

from __future__ import annotations

import contextlib
import copy
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

EMU_PER_MM = 36_000
MAX_WIDTH_MM = 170.0  # the text width of docgen's page (A4, margins 30 and 10 mm)
_state = threading.local()  # .part: a callable giving the part being rendered; .folder

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class Picture:
    """A picture for a template: the prepared image and the size it is printed at.

    It prints itself as a drawing (``{{ photo.image }}``); as text (``--dump-context``)
    it is a short description. The bytes are private: a template cannot read them.
    ``data`` may be a function giving them, called once, when the picture is printed.
    """

    __slots__ = ("_data", "_height", "_width", "alt", "name", "pixels")

    def __init__(self, data: bytes | Callable[[], bytes], width_mm: float, height_mm: float,
                 name: str = "", pixels: tuple[int, int] = (0, 0), alt: str = "") -> None:
        self._data = data
        self.alt = alt  # the drawing's description for a reader that does not see it
        self._width = round(width_mm * EMU_PER_MM)
        self._height = round(height_mm * EMU_PER_MM)
        self.name = name
        self.pixels = pixels

    def _bytes(self) -> bytes:
        """The image's bytes, made now if they were given as a function (private: the
        sandbox keeps a template from calling it)."""
        if callable(self._data):
            self._data = self._data()
        return self._data

    @property
    def width_mm(self) -> float:
        return round(self._width / EMU_PER_MM, 1)

    @property
    def height_mm(self) -> float:
        return round(self._height / EMU_PER_MM, 1)

    def resized(self, width_mm: float | None, height_mm: float | None) -> Picture:
        """The same image at another size; one side given keeps the proportions."""
        ratio = self._height / self._width if self._width else 1.0
        if width_mm is None and height_mm is None:
            width_mm, height_mm = self.width_mm, self.height_mm
        elif height_mm is None:
            assert width_mm is not None
            height_mm = width_mm * ratio
        elif width_mm is None:
            width_mm = height_mm / ratio
        return Picture(self._data, width_mm, height_mm, self.name, self.pixels, self.alt)

    def __str__(self) -> str:
        size = f"{self.pixels[0]}×{self.pixels[1]} точек, " if self.pixels[0] else ""
        return (f"рисунок «{self.name}» ({size}{self.width_mm:g}×{self.height_mm:g} мм)"
                if self.name else f"рисунок ({size}{self.width_mm:g}×{self.height_mm:g} мм)")

    def __repr__(self) -> str:
        return f"Picture({self})"


def is_picture(value: Any) -> bool:
    """A Picture or docxtpl's InlineImage (checked by name first: finalize sees every value)."""
    name = type(value).__name__
    if name == "Picture":
        return isinstance(value, Picture)
    if name == "InlineImage":
        from docxtpl import InlineImage

        return isinstance(value, InlineImage)
    return False


def markup(value: Any) -> Any:
    """A picture value as the drawing XML docxtpl writes, into the part being rendered.

    Outside a render (a filter's example in ``docgen fields``) a Picture is its
    description and an InlineImage is left to its own docxtpl.
    """
    from markupsafe import Markup

    current = getattr(_state, "part", None)
    part = current() if current is not None else None
    if part is None:
        return str(value) if isinstance(value, Picture) else value
    if isinstance(value, Picture):  # docxtpl's InlineImage._insert_image, without docxtpl
        inline = part.new_pic_inline(io.BytesIO(value._bytes()), value._width, value._height)
        if value.alt:
            inline.docPr.set("descr", value.alt)
        return Markup(f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                      f'<w:t xml:space="preserve">')
    from types import SimpleNamespace

    image = copy.copy(value)
    image.tpl = SimpleNamespace(current_rendering_part=part)
    return Markup(image._insert_image())


@contextlib.contextmanager
def _bound(name: str, value: Any) -> Iterator[None]:
    """This thread's ``name`` set to ``value`` while the block runs, then as it was."""
    before = getattr(_state, name, None)
    setattr(_state, name, value)
    try:
        yield
    finally:
        setattr(_state, name, before)


def rendering(part: Callable[[], Any]) -> contextlib.AbstractContextManager[None]:
    """While rendering, pictures go into the part ``part()`` gives."""
    return _bound("part", part)


def pictures_from(folder: Any) -> contextlib.AbstractContextManager[None]:
    """While documents of a workbook render, ``|picture`` may read images from its folder."""
    return _bound("folder", folder)


def pictures_folder() -> Any:
    """The folder ``|picture`` may read images from, or None outside a workbook's build."""
    return getattr(_state, "folder", None)


# --------------------------------------------------------------------------- compiled engine


@dataclass
class Package:
    """The images of one render: those in the template, and those the render adds."""

    images: list[tuple[str, str, str]]  # (partname, sha1, filename) of the template's images
    added: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # partname: blob, type
    stories: list[Story] = field(default_factory=list)

    def image_part(self, image: Any) -> tuple[str, str]:
        """(partname, filename) of ``image``: an equal one already there, or a new part.

        As python-docx's ImageParts: equal by SHA-1, numbered from 1 filling gaps.
        """
        for partname, sha1, filename in self.images:
            if sha1 == image.sha1:
                return partname, filename
        from docx.opc.packuri import PackURI

        used = {PackURI(p).idx for p, _sha1, _name in self.images}
        n = next((i for i in range(1, len(self.images) + 1) if i not in used),
                 len(self.images) + 1)
        partname = f"/word/media/image{n}.{image.ext}"
        self.images.append((partname, image.sha1, image.filename))
        self.added[partname] = (image.blob, image.content_type)
        return partname, image.filename

    def story(self, member: str, next_id: int, rels: tuple[tuple[str, str, str, bool], ...],
              ) -> Story:
        story = Story(self, member, next_id, list(rels))
        self.stories.append(story)
        return story


@dataclass
class Story:
    """A part being rendered, as docxtpl's InlineImage uses it (python-docx's StoryPart)."""

    package: Package
    member: str  # word/document.xml, word/header1.xml …
    next_id: int  # python-docx's next_id: the template part's largest id + 1
    rels: list[tuple[str, str, str, bool]]  # (rId, type, target partname or URL, external)
    added: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def relate_to(self, target: str, reltype: str, is_external: bool = False) -> str:
        """The rId of a relationship to ``target``: an equal one, or the first free rId."""
        for rid, kind, to, external in self.rels:
            if kind == reltype and external == is_external and to == target:
                return rid
        taken = {rel[0] for rel in self.rels}
        rid = next(f"rId{n}" for n in range(1, len(self.rels) + 2) if f"rId{n}" not in taken)
        self.rels.append((rid, reltype, target, is_external))
        self.added.append((rid, reltype, target, is_external))
        return rid

    def new_pic_inline(self, image_descriptor: Any, width: Any = None, height: Any = None,
                       ) -> Any:
        """python-docx's StoryPart.new_pic_inline, on this render's package."""
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.shape import CT_Inline

        image = Image.from_file(image_descriptor)
        partname, filename = self.package.image_part(image)
        rid = self.relate_to(partname, RT.IMAGE)
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(self.next_id, rid, filename, cx, cy)


def rels_member(member: str) -> str:
    """«word/header1.xml» → «word/_rels/header1.xml.rels»."""
    folder, _, name = member.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def package_changes(package: Package, read: Callable[[str], bytes | None],
                    ) -> dict[str, bytes]:
    """The members a render with pictures adds or changes: media, .rels, content types.

    ``read`` gives an existing member's bytes (None when the template has none).
    """
    from docx.opc.packuri import PackURI
    from lxml import etree

    changed: dict[str, bytes] = {}
    for partname, (blob, _ctype) in package.added.items():
        changed[partname.lstrip("/")] = blob
    for story in package.stories:
        if not story.added:
            continue
        name = rels_member(story.member)
        old = read(name)
        root = (etree.fromstring(old) if old else
                etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS}))
        base = PackURI("/" + story.member).baseURI
        for rid, kind, target, external in story.added:
            rel = etree.SubElement(root, f"{{{_RELS_NS}}}Relationship")
            rel.set("Id", rid)
            rel.set("Type", kind)
            rel.set("Target", target if external else PackURI(target).relative_ref(base))
            if external:
                rel.set("TargetMode", "External")
        changed[name] = _xml(root)
    if package.added:
        types = etree.fromstring(read("[Content_Types].xml") or b"")
        defaults = {d.get("Extension", "").lower(): d.get("ContentType")
                    for d in types.iter(f"{{{_CT_NS}}}Default")}
        for partname, (_blob, ctype) in package.added.items():
            ext = partname.rsplit(".", 1)[-1].lower()
            if ext not in defaults:
                entry = etree.Element(f"{{{_CT_NS}}}Default", Extension=ext, ContentType=ctype)
                types.insert(0, entry)
                defaults[ext] = ctype
            elif defaults[ext] != ctype:
                etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=partname,
                                 ContentType=ctype)
        changed["[Content_Types].xml"] = _xml(types)
    return changed


def _xml(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, encoding="UTF-8", standalone=True)
