"""Group folders: what docgen wrote there (a manifest by content hash), locked while written,
so a document the clerk edited by hand is never overwritten (``GroupFolder``)."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import OutputError
from docgen.runtime.files import check_component, os_problem, write_atomically

MANIFEST = ".docgen.json"  # per group folder: what docgen wrote there, by content hash
LOCK = ".docgen.lock"  # in the parent folder: a byte per subfolder, locked while written
NEW_VERSION = "новая версия"
DERIVED = "derived"  # a manifest entry made from documents (a PDF, the bundle): not a document
_TEMPORARY = ".~docgen-*.tmp"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def folder_lock(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock: parallel builds of one group take turns, never interleave.

    One lock file in the parent folder serves all its subfolders, each locking
    its own byte (by a hash of its name), so different groups never wait for
    each other. An OS lock: a killed process leaves no stale lock behind.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle = open(path.parent / LOCK, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise OutputError(os_problem(exc, path, writing=True)) from exc
    offset = zlib.crc32(path.name.casefold().encode("utf-8")) & 0x3FFFFFFF
    with handle:
        _lock_byte(handle, offset, lock=True)
        try:
            yield
        finally:
            _lock_byte(handle, offset, lock=False)


def _lock_byte(handle: Any, offset: int, lock: bool) -> None:
    """Lock (waiting for it) or unlock one byte of an open file, on Windows or POSIX."""
    if os.name == "nt":
        import msvcrt

        handle.seek(offset)
        if not lock:
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            return
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ten seconds; keep waiting
                continue
    import fcntl

    fcntl.lockf(handle.fileno(), fcntl.LOCK_EX if lock else fcntl.LOCK_UN, 1, offset)


@dataclass
class Manifest:
    """What ``.docgen.json`` says: the group, the run that wrote it, each file's hash.

    Each file's size, modification time and inode change time are kept too, so
    an untouched file is recognised without reading it again; a file whose size
    or either time moved is hashed. The change time is what makes this safe: an
    edit that puts the size and modification time back (``touch -r``) still
    moves it. Windows has no change time in ``os.stat``, so there every file is
    hashed.
    """

    group: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    documents: dict[str, dict[str, str]] = field(default_factory=dict)  # file name -> about it
    stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # size, m/ctime_ns
    pending: set[str] = field(default_factory=set)  # hashes of a run that has not finished

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The folder's manifest; a missing or damaged one is empty (trust nothing in it)."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = data.get("files", {})
            found = cls(group={str(k): str(v) for k, v in data.get("group", {}).items()},
                        pending={str(d) for d in data.get("pending", [])})
            for name, entry in files.items():
                if isinstance(entry, str):  # version 1: the hash only
                    found.files[str(name)] = entry
                    continue
                entry = dict(entry)
                found.files[str(name)] = str(entry.pop("sha256"))
                size, mtime = entry.pop("size", None), entry.pop("mtime_ns", None)
                ctime = entry.pop("ctime_ns", None)
                if isinstance(size, int) and isinstance(mtime, int) and isinstance(ctime, int):
                    found.stats[str(name)] = (size, mtime, ctime)
                found.documents[str(name)] = {str(k): str(v) for k, v in entry.items()}
            return found
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            return cls()

    def dump(self) -> bytes:
        files = {}
        for name, digest in sorted(self.files.items()):
            entry: dict[str, object] = {"sha256": digest, **self.documents.get(name, {})}
            if name in self.stats:
                entry["size"], entry["mtime_ns"], entry["ctime_ns"] = self.stats[name]
            files[name] = entry
        state: dict[str, object] = {"version": 2, "group": self.group, "files": files}
        if self.pending:
            state["pending"] = sorted(self.pending)
        text = json.dumps(state, ensure_ascii=False, indent=1)
        return text.encode("utf-8")

    def record(self, path: Path, data: bytes, digest: str | None = None) -> None:
        """Remember a file just written: its hash, size and modification time."""
        self.files[path.name] = digest or _digest(data)
        self.stats[path.name] = _stat_key(path.stat())

    def unchanged(self, path: Path) -> bool:
        """Whether ``path`` is still exactly what docgen wrote (FileNotFoundError if gone).

        A file a killed run wrote is docgen's too: its hash is among ``pending``.
        """
        expected = self.files.get(path.name)
        stat = path.stat()
        if expected is not None and os.name != "nt" \
                and self.stats.get(path.name) == _stat_key(stat):
            return True
        if expected is None and not self.pending:
            return False
        digest = _digest(path.read_bytes())
        return digest == expected or digest in self.pending


def _stat_key(stat: os.stat_result) -> tuple[int, int, int]:
    """What must not move for a file to count as untouched without reading it."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


class GroupFolder:
    """A group's output folder that never overwrites a file the clerk changed by hand.

    ``.docgen.json`` remembers the hash of every file docgen wrote. On a re-run a
    file whose content still has that hash is docgen's own and is replaced; a file
    that was edited (or that docgen never wrote) is kept, and the new version goes
    beside it as «… (новая версия).docx», unless ``force``. Open it with ``with``
    around the writes: that holds the folder's lock.
    """

    def __init__(self, path: Path, force: bool = False) -> None:
        self.path = path
        self.force = force
        self.manifest = Manifest()
        self._inherited: set[str] = set()
        self._lock: Any = None
        self._expected: dict[int, tuple[bytes, str]] = {}  # id → (data, hash) of ``expect``

    @property
    def files(self) -> dict[str, str]:
        return self.manifest.files

    def __enter__(self) -> GroupFolder:
        self._lock = folder_lock(self.path)
        self._lock.__enter__()
        self.manifest = Manifest.read(self.path)
        self._inherited = set(self.manifest.pending)  # a run that did not finish left these
        for leftover in self.path.glob(_TEMPORARY):  # a run killed halfway
            leftover.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)

    def write(self, name: str, data: bytes,
              about: dict[str, str] | None = None) -> tuple[Path, Path | None]:
        """Write ``name``; returns (where it went, the hand-edited file kept or None).

        ``about`` (what the document is) goes to the manifest, for the registry.
        """
        target = self.path / check_component(name)
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
        known = self._expected.get(id(data))
        try:
            self.manifest.record(target, data, known[1] if known and known[0] is data else None)
        except OSError as exc:
            raise OutputError(os_problem(exc, target, writing=True)) from exc
        if about is not None:
            self.manifest.documents[target.name] = about
        return target, kept

    def expect(self, data: list[bytes]) -> None:
        """Record what is about to be written, before writing it.

        A run killed between two documents leaves files the manifest does not
        list yet; without this the next run would take them for hand edits and
        put «(новая версия)» copies beside them.
        """
        hashed = {id(item): (item, _digest(item)) for item in data}  # hashed once: see write
        self._expected.update(hashed)
        self.manifest.pending |= {digest for _item, digest in hashed.values()}
        self.save()

    def _ours(self, path: Path) -> bool:
        """Free to write: absent, or still exactly what docgen wrote there."""
        try:
            return self.manifest.unchanged(path)
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise OutputError(os_problem(exc, path, writing=False)) from exc

    def retire(self, current: set[str]) -> tuple[list[str], list[Path]]:
        """Remove the documents docgen wrote here before that are not in ``current``.

        A file name can change between versions of docgen («05 Протокол № 1 …» became
        «05.01 Протокол № 1 …») or because the workbook changed (a meeting taken out,
        a member renamed). A document docgen wrote and nobody touched since is
        removed, with its PDF as docgen made it; one the clerk edited, or a PDF they
        replaced, is kept and still listed. A file the clerk deleted is forgotten.
        Returns (the names removed, the hand-edited files kept).
        """
        removed: list[str] = []
        kept: list[Path] = []
        # Windows names ignore case: «x.docx» written now is the file «X.docx» of before
        current_folded = {name.casefold() for name in current}
        for name in sorted(self.manifest.files):
            about = self.manifest.documents.get(name, {})
            if (name.casefold() in current_folded or about.get(DERIVED)
                    or not name.lower().endswith(".docx")):
                continue
            state = self._drop_if_ours(name)
            if state is False:
                kept.append(self.path / name)
                continue
            if state:
                removed.append(name)
            for pdf, made in list(self.manifest.documents.items()):
                if made.get(DERIVED) == "pdf" and made.get("from") == name:
                    self._drop_if_ours(pdf)
        return removed, kept

    def _drop_if_ours(self, name: str) -> bool | None:
        """Delete ``name`` and forget it if it is still as docgen wrote it.

        True: removed; None: it was gone already (forgotten); False: changed by hand, kept.
        """
        path = self.path / check_component(name)
        try:
            if not self.manifest.unchanged(path):
                return False
            path.unlink()
            state: bool | None = True
        except FileNotFoundError:
            state = None
        except PermissionError as exc:
            raise OutputError(f"нет доступа к прежнему файлу {path}: возможно, он открыт; "
                              f"закройте его и повторите") from exc
        except OSError as exc:
            raise OutputError(f"не удалось удалить прежний файл {path}: "
                              f"{exc.strerror or exc}") from exc
        for table in (self.manifest.files, self.manifest.documents, self.manifest.stats):
            table.pop(name, None)
        return state

    def save(self) -> None:
        """Record what was written; sorted, so the file itself is stable."""
        if not self.path.is_dir():
            return
        write_atomically(self.path / MANIFEST, self.manifest.dump())

    def finish(self) -> None:
        """Save the manifest of a run that wrote everything it meant to.

        ``pending`` may also hold hashes of an earlier run that was killed (or hit
        a full disk) after writing some files and before recording them: the PDFs
        of a ``--pdf`` run stopped while placing them, when the next run only
        builds documents. Those files are recorded as docgen's before the hashes
        are dropped, so they are never taken for hand edits.
        """
        if self._inherited:  # only then: a finished run's folder is not read again
            self._adopt(self._inherited)
        self.manifest.pending.clear()
        self._expected.clear()
        self.save()

    def _adopt(self, pending: set[str]) -> None:
        """Record the files in the folder whose content is among ``pending``."""
        try:
            entries = list(os.scandir(self.path))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name in (MANIFEST, LOCK) or name.startswith(".~docgen-"):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                stat = entry.stat(follow_symlinks=False)
                if name in self.files and self.manifest.stats.get(name) == _stat_key(stat) \
                        and os.name != "nt":
                    continue  # recorded and untouched
                data = Path(entry.path).read_bytes()
            except OSError:
                continue
            if _digest(data) not in pending or self.files.get(name) == _digest(data):
                continue
            self.manifest.record(Path(entry.path), data)
            if name.lower().endswith(".pdf"):  # a PDF: not listed in the registry
                about = self.manifest.documents.get(name, {})
                self.manifest.documents[name] = {**about, DERIVED: "pdf",
                                                 "from": f"{Path(name).stem}.docx"}
