"""Photos and screenshots for documents: found beside the workbook, checked, made small.

A clerk names pictures in the «Фото» column of «Мероприятия» (files or a
folder, relative to the workbook's folder). ``resolve`` turns such a cell into
files and refuses anything outside that folder; ``inspect`` says in Russian why
a file cannot be used; ``prepare`` turns a 12-megapixel camera photo into a
small picture for Word: EXIF rotation applied, at most ``MAX_SIDE`` pixels on
the long side, metadata dropped, and the same bytes for the same file every time
(so a rerun gives a byte-identical .docx).

Pillow is imported only here and only when a picture is met, so the commands
that never see one (``docgen --help``) do not pay for it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from docgen.text import natural_key

SUFFIXES = (".jpg", ".jpeg", ".png")
FORMATS = ("JPEG", "PNG")  # what Pillow must find inside, whatever the name says
MAX_SIDE = 1600  # pixels on the long side: sharp at 17 cm wide (≈ 240 dpi)
MAX_PIXELS = 100_000_000  # larger is a broken or malicious file, not a photo
JPEG_QUALITY = 85
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{2,}")
_NUMBERED = re.compile(r"^[\d\s._\-–—)]+")


class PhotoProblem(Exception):
    """A picture that cannot be used; the message is Russian and names the file."""


@dataclass(frozen=True)
class Prepared:
    """A picture ready for a document: its bytes, format and size in pixels."""

    data: bytes
    ext: str  # "jpg" or "png"
    width: int
    height: int


def resolve(text: str, folder: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """The files a «Фото» cell names, as (name as written, path), and what is wrong.

    Items are separated by lines or «;». An item is a file or a folder inside
    ``folder``; a folder gives its JPEG and PNG files in name order («фото2»
    before «фото10»). Absolute paths and «..» are refused: a workbook may only
    bring pictures from its own folder, so a batch over many folders stays put.
    """
    found: list[tuple[str, Path]] = []
    problems: list[str] = []
    root = folder.resolve()
    for item in split_items(text):
        why = _outside(item)
        if why:
            problems.append(why)
            continue
        path = folder.joinpath(*_parts(item))
        try:
            real = path.resolve()
        except OSError:
            real = path
        if not real.is_relative_to(root):
            problems.append(f"«{item}» ведёт за пределы папки книги; положите фото в папку "
                            f"книги или в её подпапку")
            continue
        if path.is_dir():
            pictures = sorted((p for p in path.iterdir()
                               if p.is_file() and p.suffix.lower() in SUFFIXES
                               and not p.name.startswith(".")),
                              key=lambda p: natural_key(p.name))
            if not pictures:
                problems.append(f"в папке «{item}» нет фото (файлов JPEG или PNG)")
            found += [(f"{item.rstrip('/')}/{p.name}", p) for p in pictures]
        elif not path.exists():
            # the folder is not named: on the web page it is the upload's own, not the clerk's
            problems.append(f"файл «{item}» не найден рядом с книгой; проверьте имя файла "
                            f"или положите его в ту же папку, что и книгу (или в её подпапку; "
                            f"в архиве .zip — рядом с книгой)")
        else:
            found.append((item, path))
    return found, problems


def split_items(text: str) -> list[str]:
    """Items of a cell: one a line or separated by «;», spaces around them dropped."""
    return [item.strip() for item in re.split(r"[;\n\r]+", text) if item.strip()]


def _parts(item: str) -> list[str]:
    """A relative name's components, with «/» or «\\» between them (clerks type either)."""
    return [part for part in re.split(r"[\\/]+", item) if part not in ("", ".")]


def _outside(item: str) -> str | None:
    """Why ``item`` may not be used as a name inside the workbook's folder, or None."""
    if (PurePosixPath(item).is_absolute() or PureWindowsPath(item).is_absolute()
            or PureWindowsPath(item).drive or item.startswith(("\\", "/", "~"))):
        return (f"«{item}» — полный путь; укажите имя файла относительно папки книги "
                f"(например «фото/семинар.jpg») и положите фото рядом с книгой")
    if ".." in _parts(item):
        return (f"«{item}» ведёт за пределы папки книги («..»); положите фото в папку книги "
                f"или в её подпапку")
    return None


def caption(name: str) -> str:
    """A caption from a file name the clerk made readable («01 Открытие семинара.jpg»).

    Only a name of two or more Russian words counts: «IMG_2034» or «фото1»
    tell the reader nothing and give no caption.
    """
    stem = PurePosixPath(name.replace("\\", "/")).stem
    text = " ".join(_NUMBERED.sub("", stem).replace("_", " ").split())
    if len(_CYRILLIC_WORD.findall(text)) < 2:
        return ""
    return text[:1].upper() + text[1:]


def inspect(path: Path) -> str | None:
    """Why the file cannot be used as a picture (Russian), or None when it can.

    Reads the file's header only (and the chunks' checksums of a PNG): a check
    of a workbook with many photos stays quick.
    """
    import warnings

    Image = _pillow()
    name = path.name
    try:
        with warnings.catch_warnings():  # between the limit and twice it: ours says it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            found = image.format
            width, height = image.size
            if found in FORMATS:
                image.verify()
    except Image.DecompressionBombError:
        return _too_large(name)
    except FileNotFoundError:
        return f"файл «{name}» не найден"
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PermissionError):
            return f"файл «{name}» не открывается: нет доступа (закройте его в других программах)"
        return (f"файл «{name}» не читается как изображение: он повреждён или это не фото "
                f"(нужен JPEG или PNG)")
    if found not in FORMATS:
        return (f"файл «{name}» — изображение в формате {found}, а нужен JPEG или PNG; "
                f"сохраните его как .jpg или .png")
    if path.suffix.lower() not in SUFFIXES:
        return f"файл «{name}»: нужен файл .jpg, .jpeg или .png"
    if width * height > MAX_PIXELS:
        return _too_large(name, width, height)
    return None


def _too_large(name: str, width: int | None = None, height: int | None = None) -> str:
    size = f" ({width}×{height} точек)" if width and height else ""
    return (f"файл «{name}» слишком большой{size}: допускается не больше "
            f"{MAX_PIXELS // 1_000_000} мегапикселей; уменьшите снимок")


def _pillow() -> Any:
    """Pillow's Image module, with its pixel limit set to ours."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def prepare(path: Path) -> Prepared:
    """The picture as it goes into a document; raises PhotoProblem in Russian.

    Identical files give identical bytes; a repeated file is made once per
    process (the key includes its size and modification time), and kept in the
    disk cache (``diskcache``) for the next run and the batch's other workers.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise PhotoProblem(f"файл «{path.name}» не найден") from exc
    return _prepare(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _prepare(path: str, _size: int, _mtime: int) -> Prepared:
    name = Path(path).name
    why = inspect(Path(path))
    if why:
        raise PhotoProblem(why)
    entry = _cache_entry(path)
    if entry is not None:
        from docgen.runtime.diskcache import read

        found = _unpacked(read(entry))
        if found is not None:
            return found
    prepared = _prepared(path, name)
    if entry is not None:  # for the next run, and the batch's other worker
        from docgen.runtime.diskcache import keep

        keep(entry, _packed(prepared), CACHE_KEEP)
    return prepared


def _prepared(path: str, name: str) -> Prepared:
    """The picture made from the file by Pillow (``_prepare`` without the cache)."""
    import warnings

    Image = _pillow()
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                source = image.format
                if source == "JPEG":  # decode at a reduced scale: much faster for big photos
                    w, h = image.size
                    scale = MAX_SIDE / max(w, h)
                    if scale < 1:
                        image.draft(image.mode,
                                    (max(1, round(w * scale)), max(1, round(h * scale))))
                image.load()
                picture = ImageOps.exif_transpose(image) or image
                picture = _to_srgb(picture, image.info.get("icc_profile"))
                picture = _flatten(picture)
                picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                return _encode(picture, source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoProblem(_too_large(name)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoProblem(f"файл «{name}» не читается как изображение: он повреждён "
                           f"(нужен JPEG или PNG)") from exc


CACHE_KEEP = 2000  # prepared photos kept on disk: a centre's year, several times over


def _cache_entry(path: str) -> Path | None:
    """The disk cache's entry for the file's content, or None (no cache, unreadable)."""
    import hashlib

    from docgen.runtime.diskcache import folder, salt

    where = folder()
    if where is None:
        return None
    try:
        content = Path(path).read_bytes()
    except OSError:
        return None
    return where / "photos" / f"{hashlib.sha256(salt() + content).hexdigest()}.bin"


def _packed(prepared: Prepared) -> bytes:
    import struct

    return prepared.ext.encode("ascii") + struct.pack(">II", prepared.width,
                                                     prepared.height) + prepared.data


def _unpacked(entry: bytes | None) -> Prepared | None:
    """A cache entry back as the Prepared it was made from; None if it is not one."""
    import struct

    if entry is None or len(entry) < 12 or entry[:3] not in (b"jpg", b"png"):
        return None
    width, height = struct.unpack(">II", entry[3:11])
    data = entry[11:]
    if not data.startswith((b"\xff\xd8", b"\x89PNG")):
        return None
    return Prepared(data, entry[:3].decode("ascii"), width, height)


def _to_srgb(image: Any, icc: bytes | None) -> Any:
    """Colours as the profile meant them, in sRGB (the profile itself is not kept)."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=mode)
    except Exception:  # a damaged profile or no littlecms: the pixels as they are
        return image


def _flatten(image: Any) -> Any:
    """RGB or greyscale without transparency: transparent parts become white paper."""
    from PIL import Image

    if image.mode in ("RGB", "L"):
        return image
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")


def _encode(image: Any, source: str) -> Prepared:
    """JPEG for photos; a PNG screenshot stays PNG when that is not much larger.

    Screenshots of text and slides are sharp and small as PNG, and JPEG blurs
    their letters; a photo saved as PNG would be several times larger, so it
    becomes JPEG. Nothing but pixels is written: no EXIF, GPS, comments or time.
    """
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False,
               subsampling="4:2:0" if image.mode == "RGB" else 0)
    if source == "PNG":
        png = io.BytesIO()
        image.save(png, "PNG", optimize=True)
        if png.tell() <= 2 * jpeg.tell():
            return Prepared(png.getvalue(), "png", *image.size)
    return Prepared(jpeg.getvalue(), "jpg", *image.size)
