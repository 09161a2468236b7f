"""docgen's cache on disk: compiled templates, drawn charts, prepared photos.

Each entry is work the next run (or the batch's other worker) would otherwise do
again: compiling a template (tens of milliseconds), drawing a chart (a second
for matplotlib alone), preparing a photo (20 ms of Pillow for each one, in each
worker). Entries are named by a hash of everything that decides them, so a
stale entry is never found; a missing, damaged or unwritable cache only means
doing the work as usual.

``DOCGEN_CACHE`` chooses the folder; ``DOCGEN_CACHE=off`` turns the cache off.
Every kind of entry is keyed with the one ``salt``.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path

# What makes the entries besides their own input: these packages and docgen's code that
# compiles templates, prepares photos and draws charts.
_PACKAGES = ("jinja2", "docxtpl", "docx", "PIL", "matplotlib")
_CODE = ("templating/*.py", "photos.py", "charts.py")


@lru_cache(maxsize=1)
def salt() -> bytes:
    """Everything besides an entry's own input that decides it, for every kind of entry.

    A change of any of it (docgen, Python, a package's version, the code) makes
    every entry stale at once: simpler than knowing which kind depends on what.
    """
    import hashlib
    import sys

    from docgen import __version__

    here = Path(__file__).resolve().parent
    try:
        code = b"".join(path.read_bytes() for pattern in _CODE
                        for path in sorted(here.glob(pattern)))
    except OSError:  # installed without its sources (a frozen build): versions alone
        code = b""
    packages = b"".join(_version_source(name) for name in _PACKAGES)
    return hashlib.sha256(f"{__version__}|{sys.version}|".encode() + packages + code).digest()


def _version_source(name: str) -> bytes:
    """The files of a package that hold its version, read without importing it.

    A batch worker loads cached templates, photos and charts without importing
    Jinja's compiler, docxtpl, Pillow or matplotlib (half a second for the
    last); a build without the files (a frozen one) imports the package for
    its version, and a package not installed counts as empty.
    """
    import importlib
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            raise OSError(f"{name}: no source")
        init = Path(spec.origin)
        version = init.with_name("_version.py")  # PIL's and matplotlib's __version__
        return init.read_bytes() + (version.read_bytes() if version.is_file() else b"")
    except (OSError, ImportError, ValueError):
        try:
            module = importlib.import_module(name)
        except ImportError:
            return b""
        return str(getattr(module, "__version__", "")).encode()


def folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get("DOCGEN_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "docgen" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docgen"


def read(path: Path) -> bytes | None:
    """An entry's bytes, or None when there is none."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def keep(path: Path, data: bytes, most: int) -> None:
    """Store an entry atomically, then drop the oldest of its kind beyond ``most``.

    Pruning waits until half as many again have gathered, so that a run does not
    list the folder for every entry. Any failure is silently a miss next time.
    """
    from docgen.errors import OutputError
    from docgen.runtime.files import write_atomically

    with contextlib.suppress(OutputError, OSError):
        write_atomically(path, data)
        entries = list(path.parent.glob(f"*{path.suffix}"))
        if len(entries) <= most + most // 2:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[:len(entries) - most]:
            with contextlib.suppress(OSError):
                old.unlink()
