"""Where documents go: Windows-safe Cyrillic file names and atomic writes.

A clerk opens the output on Windows, so every name avoids ``<>:"/\\|?*``,
reserved device names and trailing dots or spaces, and stays short enough for
Windows paths. Files are written to a temporary name in the same folder and
renamed, so an interrupted run never leaves half a document, and a document
the clerk edited by hand is never overwritten (``GroupFolder``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import os
import re
import unicodedata
import zipfile
from pathlib import Path

from docgen.errors import OutputError

# Windows (and Word) refuse paths over 259 characters. The year folder takes ~25, a
# group folder at most MAX_FOLDER and a document MAX_NAME + 5, which leaves about 80
# characters for wherever the clerk keeps the output folder.
MAX_NAME = 75  # characters of a document's file name, extension excluded
MAX_FOLDER = 72  # characters of a group's folder name
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# Invisible characters that would make two names look alike or, for the bidi
# controls, show a name reversed in Explorer («Протокол\u202excod.exe»).
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# Names Windows gives to devices, whatever extension follows them (Windows 11 list).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))}


def safe_name(text: str, limit: int = MAX_NAME) -> str:
    """``text`` as a file or folder name Windows accepts, meaning kept: «№ 3/4» → «№ 3-4».

    Never a path: no separators, never «.» or «..», no reserved device name, no
    dot or space at either end (Windows drops them), at most ``limit`` characters.
    """
    name = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    name = name.replace('"', "'").replace("/", "-").replace("\\", "-")
    name = _FORBIDDEN.sub(" ", name)
    name = " ".join(name.split())
    if len(name) > limit:
        cut = name[:limit].rsplit(" ", 1)[0]
        name = (cut if len(cut) > limit // 2 else name[:limit]).rstrip(" ,;—–-") + "…"
        name += "»" * (name.count("«") - name.count("»"))  # close a title the cut opened
    name = name.strip(" .")
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = f"_{name}"
    return name or "_"


def check_component(name: str) -> str:
    """``name`` itself if it is one plain file name; OutputError if it could leave its folder.

    safe_name already makes every name so; this guard stands where paths are
    joined, so that no future path from data can write outside the output folder.
    """
    if (not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name
            or Path(name).is_absolute() or ":" in name):
        raise OutputError(f"недопустимое имя файла «{name}»: docgen пишет только внутрь "
                          f"папки результатов")
    return name


def check_inside(path: Path, root: Path) -> Path:
    """``path`` itself if every existing folder on the way from ``root`` stays inside it.

    A link (or junction) planted in place of a year or group folder would send
    the documents elsewhere; one that points inside ``root`` is harmless. The
    output folder itself may be a link: the clerk chose it.
    """
    base = Path(os.path.realpath(root))
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return path
    current = Path(root)
    for part in parts:
        current = current / part
        try:
            if not (current.is_symlink() or _is_junction(current)):
                continue
        except OSError:  # too long a path and the like: the write itself will say it
            return path
        real = Path(os.path.realpath(current))
        if real != base and base not in real.parents:
            raise OutputError(f"папка {current} — это ссылка на {real}, за пределы папки "
                              f"результатов {root}; docgen не пишет по таким ссылкам: удалите "
                              f"ссылку (документы будут записаны в обычную папку)")
    return path


def _is_junction(path: Path) -> bool:
    """A Windows junction: a folder link that ``is_symlink`` does not see."""
    is_junction = getattr(os.path, "isjunction", None)
    return bool(is_junction and is_junction(path))


def folder_name(text: str, limit: int = MAX_FOLDER) -> str:
    """A group's folder name, cut in the middle when too long.

    Groups of one centre often differ only at the end of a long name («…
    сетевой формат 2», «… 2026»), so the end is kept: cutting the end would put
    two groups into one folder.
    """
    name = safe_name(text, limit=10 * limit)
    if len(name) <= limit:
        return name
    tail = name[-(limit // 3):]
    if " " in tail[:-1]:
        tail = tail[tail.index(" ") + 1:]  # from the start of a word
    head = name[:limit - len(tail) - 3]
    words = head.rsplit(" ", 1)[0]
    if len(words) > limit // 3 and words.count("«") == head.count("«"):
        head = words  # at the end of a word, with its opening quote kept
    return f"{head.rstrip(' ,;:—–-')} … {tail}"




ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold; docx members use it too
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible_zip(data: bytes, when: dt.datetime | None = None) -> bytes:
    """A package (.xlsx, .docx) with every timestamp fixed: same content, same bytes.

    openpyxl and python-docx stamp the zip members with the time of saving, and
    openpyxl the «modified» property too, so two runs over the same data would
    differ. Members are rewritten in their order with ZIP_EPOCH, and with
    ``when`` the document's created/modified properties become ``when``.
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if when else b""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if when is not None and info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            member = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, body)
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the new one."""
    try:
        tmp, fd = temporary_file(path.parent)
    except OSError as exc:
        where = path if isinstance(exc, FileNotFoundError) or not isinstance(
            exc, PermissionError) else path.parent / ".~docgen.tmp"  # a folder's rights
        raise OutputError(os_problem(exc, where, writing=True)) from exc
    replacing = False
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            replacing = True
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(os_problem(exc, path, writing=True, replacing=replacing)) from exc


MOUNTINFO = Path("/proc/self/mountinfo")  # Linux: every mount of this process, bind mounts too


def mount_point(path: Path) -> Path:
    """The disk (mount point, or «C:\\») ``path`` is on: many files' full disk is one cause.

    On Linux the system's own table of mounts decides: a bind mount (a read-only
    folder given to a container, a share) has the same device number as the
    disk under it, so ``ismount`` alone walked up to «/» and named the wrong disk.
    """
    current = Path(os.path.abspath(path))
    while not current.exists() and current.parent != current:
        current = current.parent
    with contextlib.suppress(OSError):
        current = Path(os.path.realpath(current))
    listed = _listed_mount(current)
    if listed is not None:
        return listed
    while not os.path.ismount(current) and current.parent != current:
        current = current.parent
    return current


def _listed_mount(path: Path) -> Path | None:
    """The deepest mount point in /proc/self/mountinfo holding ``path`` (Linux), or None."""
    try:
        lines = MOUNTINFO.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best: Path | None = None
    for line in lines:
        fields = line.split(" ")
        if len(fields) < 5:
            continue
        point = Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4]))
        if (point == path or point in path.parents) and (
                best is None or len(point.parts) > len(best.parts)):
            best = point
    return best


def os_problem(exc: OSError, path: Path, writing: bool = True, replacing: bool = False) -> str:
    """One Russian sentence for a failed file operation: what happened and what to do.

    Said the same way for every file of one cause (a full disk names the disk,
    not the file), so the CLI can say a cause shared by many files once.
    """
    import errno

    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in (39, 112):
        return (f"на диске {mount_point(path)} не хватает места: освободите место (удалите "
                f"ненужные файлы или очистите корзину) и запустите команду снова")
    if code == errno.EROFS:
        return (f"диск {mount_point(path)} доступен только для чтения: выберите для результатов "
                f"другую папку (параметр -o)")
    if code == errno.ENAMETOOLONG or winerror == 206:
        return (f"слишком длинный путь ({len(str(path))} знаков): {path}; выберите папку "
                f"результатов ближе к корню диска (параметр -o, например C:\\Документы)")
    if code == errno.ENOTDIR:
        blocker = next((p for p in [path, *path.parents] if p.is_file()), path.parent)
        return (f"на месте папки {blocker} лежит файл с тем же именем: переименуйте или "
                f"удалите его либо выберите другую папку результатов (параметр -o)")
    if code == errno.EEXIST:
        blocker = next((p for p in [path, *path.parents] if p.exists() and not p.is_dir()),
                       path)
        return (f"на месте папки {blocker} уже есть файл с тем же именем: переименуйте или "
                f"удалите его либо выберите другую папку результатов (параметр -o)")
    if code == errno.ENOENT and not writing:
        return f"файл {path} не найден"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        if not replacing and (path.is_dir() or (writing and not path.exists())):
            folder = path if path.is_dir() else path.parent
            return (f"нет прав на {'запись в папку' if writing else 'чтение папки'} {folder}: "
                    f"выберите другую папку результатов (параметр -o) или попросите права на "
                    f"неё")
        app = "Excel" if path.suffix.lower() in (".xlsx", ".xlsm") else "Word"
        if writing:
            return (f"файл {path} не удаётся заменить: возможно, он открыт в {app}; закройте его "
                    f"(или снимите с него «только чтение») и повторите")
        return f"нет прав на чтение файла {path}: проверьте права на него"
    verb = "записать" if writing else "прочитать"
    return f"не удалось {verb} {path} (ошибка системы: {exc.strerror or exc})"


_counter = itertools.count()


def temporary_file(folder: Path) -> tuple[Path, int]:
    """A new file «.~docgen-<process>-<n>.tmp» in ``folder`` (made if missing), open.

    Created exclusively, with the permissions the umask gives any new file.
    """
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    while True:
        path = folder / f".~docgen-{os.getpid()}-{next(_counter)}.tmp"
        try:
            return path, os.open(path, flags, 0o666)
        except FileExistsError:  # left by a killed process that had the same number
            continue
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            return path, os.open(path, flags, 0o666)
