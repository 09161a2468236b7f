"""Taking uploaded files in: workbooks and zips of them, never trusting their names.

An uploaded file's name is only shown, never used as a path: every workbook is
stored as ``book-NN.xlsx`` in the upload's own folder. A zip is checked whole
before anything comes out of it: names that climb out («zip slip»), absolute
names, links, encrypted members, too many members, and sizes or ratios of a
bomb. Only its workbooks and their photos (JPEG, PNG) are taken out, each
bounded by its declared size (zipfile stops there and checks the CRC). A zip's
files go to a folder of their own, keeping the zip's sub-folders (each name made
Windows-safe and checked to stay inside), because a workbook names its event
photos relative to itself («фото/1.jpg»); the workbooks are still stored as
``book-NN.xlsx``.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from docgen.api.check import WORKBOOK_SUFFIXES
from docgen.errors import DocgenError
from docgen.text import visible
from docgen.workbook.photos import SUFFIXES as PHOTO_SUFFIXES  # what «Фото» may name

MB = 1024 * 1024
MAX_REQUEST_BYTES = 200 * MB  # one upload request, all its files together
MAX_WORKBOOKS = 30  # workbooks in one upload, zips' included
MAX_FILES = 30  # files in one upload request
MAX_ZIP_MEMBERS = 5000  # a centre's zip: workbooks and their photo folders
MAX_ZIP_TOTAL = 2048 * MB  # all members of a zip unpacked together, as declared
MAX_ZIP_RATIO = 100  # unpacked / packed size of a member bigger than RATIO_FLOOR
RATIO_FLOOR = 1 * MB
# what one upload may write to the disk, all its zips' workbooks and photos together: a
# multiple of what was sent (photos and workbooks are compressed already: a real zip
# unpacks to little more than itself) and at most a total. Before, a 1.2 MB zip of
# 1,000 zero-filled «.jpg» files, each under the member ratio's floor, wrote 1 GB.
UNPACK_RATIO = 10
UNPACK_FLOOR = 20 * MB  # a small zip of a workbook may still unpack to this
UNPACK_TOTAL = 1024 * MB
_DRIVE = re.compile(r"^[A-Za-z]:")


class UploadError(DocgenError):
    """An uploaded file refused as a whole (a zip that is unsafe, too many files)."""


@dataclass
class Received:
    """A workbook taken from an upload: where it is stored and the name the clerk knows."""

    path: Path
    name: str  # for display and download names only


def shown_name(name: str, limit: int = 120) -> str:
    """An uploaded name made safe to show: last path part, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "без имени"
    name = visible(name)
    return name if len(name) <= limit else name[:limit - 1] + "…"


def recover_names(archive: zipfile.ZipFile) -> None:
    """Cyrillic member names of a zip that does not flag them UTF-8, read right.

    Python reads a name without the UTF-8 flag (bit 0x800) as CP437, the zip
    standard's old default, but Info-ZIP on Linux writes UTF-8 bytes without the
    flag and Windows Explorer writes CP866: «семинар» came out as «╤ü╨╡╨╝...» and
    the workbook's photos were «не найден». The original bytes come back through
    CP437 (a bijection over bytes); UTF-8 is tried first (it rarely decodes by
    chance), then CP866. Only ``filename`` changes: zipfile checks ``orig_filename``
    against each member's local header when it opens it.
    """
    for info in archive.infolist():
        if info.flag_bits & 0x800:
            continue
        try:
            raw = info.orig_filename.encode("cp437")
        except UnicodeEncodeError:
            continue
        if raw.isascii():
            continue
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = raw.decode("cp866")
        info.filename = decoded
    archive.NameToInfo = {info.filename: info for info in archive.infolist()}


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member makes the whole zip unsafe, or None."""
    name = info.filename
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    if posix.startswith("/") or _DRIVE.match(posix) or ".." in parts or "\x00" in name:
        return f"файл с недопустимым путём «{visible(name)}»"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"ссылка «{visible(name)}» вместо файла"
    if info.flag_bits & 0x1:
        return f"зашифрованный файл «{visible(name)}»"
    if (info.file_size > RATIO_FLOOR
            and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)):
        return (f"файл «{visible(name)}» сжат более чем в {MAX_ZIP_RATIO} раз "
                f"(так устроены «zip-бомбы»)")
    return None


def check_zip(archive: zipfile.ZipFile, name: str,
              suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES) -> list[zipfile.ZipInfo]:
    """The members of a zip with ``suffixes`` (its workbooks), after checking every
    member; raises UploadError if unsafe."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadError(f"в архиве больше {MAX_ZIP_MEMBERS} файлов", file=name)
    total = 0
    for info in members:
        problem = _member_problem(info)
        if problem is not None:
            raise UploadError(f"архив не принят: в нём {problem}", file=name)
        total += info.file_size
    if total > MAX_ZIP_TOTAL:
        raise UploadError(f"архив не принят: распакованный он занял бы больше "
                          f"{MAX_ZIP_TOTAL // MB} МБ", file=name)
    return [info for info in members if not info.is_dir()
            and PurePosixPath(info.filename.replace("\\", "/")).suffix.lower() in suffixes
            and not PurePosixPath(info.filename).name.startswith(("~$", "."))]


def inside(folder: Path, member: str, whole: bool = False) -> Path:
    """Where a checked zip member goes under ``folder``: its sub-folders kept, each part
    made a safe name and checked. A workbook's own name is the caller's (book-NN.xlsx),
    so only its folder is given; ``whole`` gives a photo's path, its name included."""
    from docgen.runtime.files import check_component, safe_name

    parts = PurePosixPath(member.replace("\\", "/")).parts
    parts = parts if whole else parts[:-1]
    target = folder
    for part in parts:
        target = target / check_component(safe_name(part))
    return target


def _clashing(members: list[zipfile.ZipInfo]) -> str | None:
    """A name the zip holds both as a file and as a folder («фото» and «фото/1.jpg»):
    they cannot both be unpacked. Compared as the unpacked names are made."""
    from docgen.runtime.files import safe_name

    files: dict[tuple[str, ...], str] = {}
    folders: set[tuple[str, ...]] = set()
    for info in members:
        parts = tuple(safe_name(p).casefold() for p in
                      PurePosixPath(info.filename.replace("\\", "/")).parts)
        folders.update(parts[:i] for i in range(1, len(parts)))
        if not info.is_dir() and parts:
            files[parts] = info.filename.replace("\\", "/")
    for parts, name in files.items():
        if parts in folders:
            return name
    return None


class Intake:
    """The workbooks of one upload, stored under ``folder`` as book-NN.xlsx."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.books: list[Received] = []
        self.skipped: list[str] = []  # files that are not workbooks, said to the clerk
        self.dropped: list[str] = []  # photos of a zip that are not pictures: why, each
        self.unpacked = 0  # bytes its zips may write, as their members declare
        self.packed = 0  # bytes of its zips as sent

    def _target(self, suffix: str, folder: Path | None = None) -> Path:
        if len(self.books) >= MAX_WORKBOOKS:
            raise UploadError(f"за один раз можно загрузить не больше {MAX_WORKBOOKS} книг")
        folder = folder or self.folder
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"book-{len(self.books) + 1:02d}{suffix}"

    def add(self, stream: BinaryIO, filename: str) -> None:
        """One uploaded file: a workbook is stored, a zip's workbooks are taken out."""
        name = shown_name(filename)
        # the suffix of the whole name: a long name is shortened for display only
        suffix = PurePosixPath(shown_name(filename, 10_000)).suffix.lower()
        if suffix == ".zip":
            self._add_zip(stream, name)
        elif suffix in WORKBOOK_SUFFIXES:
            target = self._target(suffix)
            with target.open("wb") as out:
                _copy(stream, out)
            self.books.append(Received(target, name))
        else:
            why = ("это фото: фото загружают вместе с книгой одним архивом .zip — книга и "
                   "папки с фото рядом с ней, как на компьютере") \
                if suffix in PHOTO_SUFFIXES else self._not_a_workbook(stream, suffix)
            self.skipped.append(f"«{name}» — {why}")

    def _not_a_workbook(self, stream: BinaryIO, suffix: str) -> str:
        """Why an uploaded file is not a workbook, as `docgen check` says it of the file
        («это книга старого формата Excel 97–2003 (.xls); … сохраните как «Книга
        Excel (.xlsx)»»): the file is read as the command reads it, then removed."""
        from docgen.api.check import check_workbook

        self.folder.mkdir(parents=True, exist_ok=True)
        safe = suffix if re.fullmatch(r"\.[0-9a-z]{1,8}", suffix) else ""
        target = self.folder / f"other-{len(self.skipped) + 1:02d}{safe}"
        try:
            with target.open("wb") as out:
                _copy(stream, out)
            result = check_workbook(target)
        finally:
            target.unlink(missing_ok=True)
        if result.error is not None:
            return result.error.message
        return ("это книга Excel, но её имя кончается не на .xlsx; переименуйте файл "
                "в «….xlsx»")

    def _add_zip(self, stream: BinaryIO, name: str) -> None:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UploadError("это не архив .zip или он повреждён", file=name) from exc
        with archive:
            recover_names(archive)
            books = check_zip(archive, name)
            if not books:
                raise UploadError("в архиве нет книг Excel (.xlsx)", file=name)
            clash = _clashing(archive.infolist())
            if clash is not None:
                raise UploadError(f"архив не принят: в нём «{visible(clash)}» — и файл, и "
                                  f"папка с тем же именем; переименуйте одно из них",
                                  file=name)
            photos = check_zip(archive, name, PHOTO_SUFFIXES)
            self._bound(stream, sum(i.file_size for i in books + photos), name)
            own = self.folder / f"zip-{sum(1 for _ in self.folder.glob('zip-*')) + 1:02d}" \
                if self.folder.is_dir() else self.folder / "zip-01"
            for info in books:
                target = self._target(PurePosixPath(info.filename).suffix.lower(),
                                      inside(own, info.filename))
                self._extract(archive, info, target, name)
                shown = visible(info.filename.replace("\\", "/"))
                self.books.append(Received(target, shown_name(shown, 200) if "/" not in shown
                                           else shown[-200:]))
            for info in photos:
                target = inside(own, info.filename, whole=True)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UploadError(f"файл «{visible(info.filename)}» из архива не "
                                      f"удалось распаковать", file=name) from exc
                self._extract(archive, info, target, name)
                self._keep_if_picture(target, info.filename)

    def _bound(self, stream: BinaryIO, size: int, name: str) -> None:
        """Refuse a zip before unpacking if it would write more than the upload may."""
        try:
            stream.seek(0, 2)
            packed = stream.tell()
        except (OSError, ValueError):
            packed = 0
        self.unpacked += size
        self.packed += packed
        limit = min(UNPACK_TOTAL, max(UNPACK_FLOOR, UNPACK_RATIO * self.packed))
        if self.unpacked > limit:
            raise UploadError(
                f"архив не принят: его книги и фото распакованные заняли бы "
                f"{_mb(self.unpacked)} МБ, а можно не больше {_mb(limit)} МБ (в "
                f"{UNPACK_RATIO} раз больше архива, всего не больше {UNPACK_TOTAL // MB} МБ); "
                f"так устроены «zip-бомбы»", file=name)

    def _keep_if_picture(self, path: Path, member: str) -> None:
        """A «photo» that does not open as a JPEG or PNG picture is not kept: its
        workbook's check then says the photo is missing, and the page says why."""
        from docgen.workbook.photos import inspect

        problem = inspect(path)
        if problem is not None:
            path.unlink(missing_ok=True)
            self.dropped.append(problem.replace(f"«{path.name}»", f"«{visible(member)}»", 1))

    @staticmethod
    def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
                 name: str) -> None:
        try:
            with archive.open(info) as source, target.open("wb") as out:
                _copy(source, out)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            target.unlink(missing_ok=True)
            raise UploadError(f"файл «{visible(info.filename)}» в архиве повреждён",
                              file=name) from exc


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}".replace(".", ",")


def _copy(source: BinaryIO, out: BinaryIO, chunk: int = 1 * MB) -> None:
    while True:
        block = source.read(chunk)
        if not block:
            return
        out.write(block)
