"""Pictures in templates: docxtpl's InlineImage and docgen's own Picture, in both engines.

A template prints a picture as any value: ``{{ photo.image }}``. docxtpl puts
it into the part being rendered (body, header or footer) through that part's
``new_pic_inline``; plain docxtpl has the python-docx part, docgen's compiled
engine (``compiler.py``) has no python-docx package while it renders, so it
gives a ``Story`` that adds the image and its relationship exactly as
python-docx would (the same rId, part name and shape id) and writes the new
media, relationships and content types into the zip afterwards.

``engine``'s finalize hands every picture value to ``markup``, which uses the
part of whichever engine is rendering; an InlineImage made for another
DocxTemplate (upstream's own examples) renders the same way.

A docgen Picture rendered by the compiled engine needs neither python-docx nor
docxtpl (a batch worker imports neither): ``_readable`` recognises the JPEG
(JFIF) and PNG files photos.py and Pillow make, and ``_INLINE`` is the drawing
python-docx's ``CT_Inline.new_pic_inline`` serializes, in docxtpl's run
wrapping. Anything else (another image format, an unusual file, an id or size
python-docx would refuse, docxtpl's own InlineImage) takes python-docx's way.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import posixpath
import re
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

EMU_PER_MM = 36_000
MAX_WIDTH_MM = 170.0  # the text width of docgen's page (A4, margins 30 and 10 mm)
_state = threading.local()  # .part: a callable giving the part being rendered; .folder

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


class Picture:
    """A picture for a template: the prepared image and the size it is printed at.

    It prints itself as a drawing (``{{ photo.image }}``); as text (``--dump-context``)
    it is a short description. The bytes are private: a template cannot read them.
    """

    __slots__ = ("_data", "_height", "_width", "name", "pixels")

    def __init__(self, data: bytes, width_mm: float, height_mm: float, name: str = "",
                 pixels: tuple[int, int] = (0, 0)) -> None:
        self._data = data
        self._width = round(width_mm * EMU_PER_MM)
        self._height = round(height_mm * EMU_PER_MM)
        self.name = name
        self.pixels = pixels

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
        return Picture(self._data, width_mm, height_mm, self.name, self.pixels)

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
    if isinstance(value, Picture) and isinstance(part, Story):
        written = part.picture_markup(value)
        if written is not None:
            return Markup(written)
    from types import SimpleNamespace

    from docxtpl import InlineImage

    holder = SimpleNamespace(current_rendering_part=part)
    if isinstance(value, Picture):
        image = InlineImage(holder, io.BytesIO(value._data), value._width, value._height)
    else:
        image = copy.copy(value)
        image.tpl = holder
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
        used = {_partname_idx(p) for p, _sha1, _name in self.images}
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

    def picture_markup(self, picture: Picture) -> str | None:
        """What docxtpl's InlineImage writes for ``picture``, made without python-docx.

        None when python-docx's way is needed (it then gives the same relationship
        and part: both are looked up before they are added).
        """
        if not (0 <= picture._width <= _MAX_EMU and 0 <= picture._height <= _MAX_EMU
                and 0 <= self.next_id <= _MAX_ID):  # what python-docx would refuse
            return None
        image = _readable(picture._data)
        if image is None:
            return None
        partname, filename = self.package.image_part(image)
        rid = self.relate_to(partname, _RT_IMAGE)
        if _PLAIN.fullmatch(filename) is None or _PLAIN.fullmatch(rid) is None:
            return None  # lxml's escaping, left to lxml
        return _INLINE.format(cx=picture._width, cy=picture._height, id=self.next_id,
                              rid=rid, filename=filename)


# python-docx's bounds: ST_PositiveCoordinate for sizes, ST_DrawingElementId for ids
_MAX_EMU = 27_273_042_316_900
_MAX_ID = 4_294_967_295
_PLAIN = re.compile(r"[A-Za-z0-9_.-]+")  # written as it is: nothing for XML to escape

# docxtpl's InlineImage around python-docx's CT_Inline.new_pic_inline(...).xml (lxml's
# pretty print of its wp:inline and pic:pic templates); python-docx is MIT-licensed
_INLINE = (
    '</w:t></w:r><w:r><w:drawing>'
    '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\n'
    '  <wp:extent cx="{cx}" cy="{cy}"/>\n'
    '  <wp:docPr id="{id}" name="Picture {id}"/>\n'
    '  <wp:cNvGraphicFramePr>\n'
    '    <a:graphicFrameLocks noChangeAspect="1"/>\n'
    '  </wp:cNvGraphicFramePr>\n'
    '  <a:graphic>\n'
    '    <a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">\n'
    '      <pic:pic>\n'
    '        <pic:nvPicPr>\n'
    '          <pic:cNvPr id="0" name="{filename}"/>\n'
    '          <pic:cNvPicPr/>\n'
    '        </pic:nvPicPr>\n'
    '        <pic:blipFill>\n'
    '          <a:blip r:embed="{rid}"/>\n'
    '          <a:stretch>\n'
    '            <a:fillRect/>\n'
    '          </a:stretch>\n'
    '        </pic:blipFill>\n'
    '        <pic:spPr>\n'
    '          <a:xfrm>\n'
    '            <a:off x="0" y="0"/>\n'
    '            <a:ext cx="{cx}" cy="{cy}"/>\n'
    '          </a:xfrm>\n'
    '          <a:prstGeom prst="rect"/>\n'
    '        </pic:spPr>\n'
    '      </pic:pic>\n'
    '    </a:graphicData>\n'
    '  </a:graphic>\n'
    '</wp:inline>\n'
    '</w:drawing></w:r><w:r><w:t xml:space="preserve">')


@dataclass(frozen=True)
class _Image:
    """A JPEG or PNG as python-docx's Image describes one read from a stream."""

    blob: bytes
    ext: str  # jpg or png: python-docx's default extension, as a stream has no name
    content_type: str
    sha1: str

    @property
    def filename(self) -> str:
        return f"image.{self.ext}"


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame markers
_STANDALONE = frozenset(range(0xD0, 0xDA)) | {0x01}  # markers without a length


def _readable(data: bytes) -> _Image | None:
    """The image, when python-docx would certainly read ``data`` as this JPEG or PNG.

    python-docx tells the format by the same signatures (PNG's at the start,
    «JFIF» at byte 6) and then walks the header for the sizes and dots per
    inch, which a picture given its size in EMU never uses. The walks here are
    stricter than python-docx's (every segment and chunk whole and in place, no
    padding, no Exif), so a file accepted here is one it reads without error;
    anything else goes its way, to be read or refused as before.
    """
    if data.startswith(_PNG_SIGNATURE):
        if not _png_whole(data):
            return None
        ext, content_type = "png", "image/png"
    elif data[6:10] == b"JFIF" and data.startswith(b"\xff\xd8"):
        if not _jfif_whole(data):
            return None
        ext, content_type = "jpg", "image/jpeg"
    else:
        return None
    return _Image(data, ext, content_type, hashlib.sha1(data).hexdigest())


def _jfif_whole(data: bytes) -> bool:
    """A JPEG's markers up to its scan, each where the one before ends, APP0 and SOF there."""
    at, app0, sof = 2, False, False
    while True:
        if at + 4 > len(data) or data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker in (0x00, 0xFF, 0xE1) or marker in _STANDALONE:
            return False  # padding, Exif, or a marker python-docx reads another way
        length = struct.unpack_from(">H", data, at + 2)[0]
        if length < 2 or at + 2 + length > len(data):
            return False
        if marker == 0xE0:
            if length < 14:  # python-docx reads its density
                return False
            app0 = True
        elif marker in _SOF:
            if length < 7:  # python-docx reads the frame's size
                return False
            sof = True
        elif marker == 0xDA:  # the scan: python-docx reads no further
            return app0 and sof
        at += 2 + length


def _png_whole(data: bytes) -> bool:
    """A PNG's chunks whole up to IEND, IHDR first, any pHYs as long as python-docx reads."""
    at, first = 8, True
    while at + 12 <= len(data):
        length = struct.unpack_from(">I", data, at)[0]
        kind = data[at + 4:at + 8]
        if not kind.isalpha() or not kind.isascii() or at + 12 + length > len(data):
            return False
        if first and (kind != b"IHDR" or length < 8):
            return False
        if kind == b"pHYs" and length < 9:
            return False
        if kind == b"IEND":
            return True
        at += 12 + length
        first = False
    return False


def _partname_idx(partname: str) -> int | None:
    """python-docx's PackURI.idx: 3 for «/word/media/image3.png», None without a number."""
    stem = posixpath.splitext(posixpath.split(partname)[1])[0]
    match = _IDX.match(stem)
    return int(match[2]) if match is not None and match[2] else None


_IDX = re.compile("([a-zA-Z]+)([1-9][0-9]*)?")  # PackURI._filename_re, matched at the start


def _relative_ref(partname: str, base: str) -> str:
    """python-docx's PackURI.relative_ref: «/word/media/image1.png» from «/word»."""
    return partname[1:] if base == "/" else posixpath.relpath(partname, base)


def rels_member(member: str) -> str:
    """«word/header1.xml» → «word/_rels/header1.xml.rels»."""
    folder, _, name = member.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def package_changes(package: Package, read: Callable[[str], bytes | None],
                    ) -> dict[str, bytes]:
    """The members a render with pictures adds or changes: media, .rels, content types.

    ``read`` gives an existing member's bytes (None when the template has none).
    """
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
        base = posixpath.split("/" + story.member)[0]  # PackURI.baseURI
        for rid, kind, target, external in story.added:
            rel = etree.SubElement(root, f"{{{_RELS_NS}}}Relationship")
            rel.set("Id", rid)
            rel.set("Type", kind)
            rel.set("Target", target if external else _relative_ref(target, base))
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
