"""Where documents go: Windows-safe Cyrillic file names and atomic writes.

A clerk opens the output on Windows, so every name avoids ``<>:"/\\|?*``,
reserved device names and trailing dots or spaces, and stays short enough for
Windows paths. Files are written to a temporary name in the same folder and
renamed, so an interrupted run never leaves half a document, and a document
the clerk edited by hand is never overwritten (``GroupFolder``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import tempfile
from pathlib import Path

from docgen.errors import OutputError

# Windows (and Word) refuse paths over 259 characters. The year folder takes ~25, a
# group folder at most MAX_FOLDER and a document MAX_NAME + 5, which leaves about 80
# characters for wherever the clerk keeps the output folder.
MAX_NAME = 75  # characters of a document's file name, extension excluded
MAX_FOLDER = 72  # characters of a group's folder name
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: str, limit: int = MAX_NAME) -> str:
    """``text`` as a file or folder name Windows accepts, meaning kept: «№ 3/4» → «№ 3-4»."""
    name = text.replace('"', "'").replace("/", "-").replace("\\", "-")
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


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~docgen-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except PermissionError as exc:
        raise OutputError(f"нет доступа к файлу {path}: возможно, он открыт в Word; закройте "
                          f"его и повторите") from exc
    except OSError as exc:
        raise OutputError(f"не удалось записать {path}: {exc.strerror or exc}") from exc


MANIFEST = ".docgen.json"  # per group folder: what docgen wrote there, by content hash
NEW_VERSION = "новая версия"
_TEMPORARY = ".~docgen-*.tmp"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class GroupFolder:
    """A group's output folder that never overwrites a file the clerk changed by hand.

    ``.docgen.json`` remembers the hash of every file docgen wrote. On a re-run a
    file whose content still has that hash is docgen's own and is replaced; a file
    that was edited (or that docgen never wrote) is kept, and the new version goes
    beside it as «… (новая версия).docx», unless ``force``.
    """

    def __init__(self, path: Path, force: bool = False) -> None:
        self.path = path
        self.force = force
        self.files: dict[str, str] = {}
        manifest = path / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            self.files = {str(k): str(v) for k, v in data.get("files", {}).items()}
        except (OSError, ValueError, AttributeError):
            self.files = {}  # no manifest yet, or a damaged one: trust nothing in it
        for leftover in path.glob(_TEMPORARY):  # a run killed halfway
            leftover.unlink(missing_ok=True)

    def __enter__(self) -> GroupFolder:
        """Held with ``with`` around the writes, as a folder that must be locked would be."""
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, name: str, data: bytes) -> tuple[Path, Path | None]:
        """Write ``name``; returns (where it went, the hand-edited file kept or None)."""
        target = self.path / name
        kept: Path | None = None
        if not self.force and not self._ours(target):
            kept = target
            stem, suffix = target.stem, target.suffix
            for n in itertools.count(1):  # «(новая версия)», «(новая версия 2)», …
                label = NEW_VERSION if n == 1 else f"{NEW_VERSION} {n}"
                target = target.with_name(f"{stem} ({label}){suffix}")
                if self._ours(target):
                    break
        write_atomically(target, data)
        self.files[target.name] = _digest(data)
        return target, kept

    def _ours(self, path: Path) -> bool:
        """Free to write: absent, or still exactly what docgen wrote there."""
        try:
            return _digest(path.read_bytes()) == self.files.get(path.name)
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise OutputError(f"не удалось прочитать {path}: {exc.strerror or exc}") from exc

    def save(self) -> None:
        """Record what was written; sorted, so the file itself is stable."""
        if not self.path.is_dir():
            return
        text = json.dumps({"version": 1, "files": dict(sorted(self.files.items()))},
                          ensure_ascii=False, indent=1)
        write_atomically(self.path / MANIFEST, text.encode("utf-8"))
