"""A small on-disk cache of compiled templates, so a run does not compile them again.

Compiling a template costs tens of milliseconds; a centre's batch starts one
process per core and a clerk runs docgen again and again, so each process would
otherwise spend a good part of a second on the same work. Entries are keyed by
the template's content and the versions of everything that shapes the result;
a missing, stale, damaged or unwritable cache only means compiling as usual.

``DOCGEN_CACHE`` chooses the folder; ``DOCGEN_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path


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


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """Everything besides the template that decides what compiling it gives."""
    import docx
    import docxtpl
    import jinja2

    from docgen import __version__

    here = Path(__file__).resolve().parent  # the whole template machinery (this package)
    try:
        code = b"".join(path.read_bytes() for path in sorted(here.glob("*.py")))
        if not code:
            raise OSError("no sources")
    except OSError:  # installed without its sources (a frozen build): versions alone
        code = b""
    versions = (__version__, jinja2.__version__, docxtpl.__version__,
                getattr(docx, "__version__", ""), sys.version)
    return hashlib.sha256("|".join(versions).encode() + code).digest()


def key(content: bytes) -> str:
    """The entry name for a template's bytes."""
    return hashlib.sha256(_salt() + content).hexdigest()


def get(name: str) -> bytes | None:
    """An entry's bytes, or None if there is none (or no cache)."""
    where = folder()
    if where is None:
        return None
    try:
        return (where / f"{name}.bin").read_bytes()
    except OSError:
        return None


def put(name: str, data: bytes) -> None:
    """Store an entry atomically; any failure is silently a cache miss next time."""
    from docgen.errors import OutputError
    from docgen.output import write_atomically

    where = folder()
    if where is None:
        return
    with contextlib.suppress(OutputError, OSError):
        write_atomically(where / f"{name}.bin", data)
        _prune(where)


KEEP = 200  # entries: every built-in template many times over, and a clerk's own


def _prune(where: Path) -> None:
    """Drop the oldest entries beyond KEEP: edited templates leave old ones behind."""
    entries = list(where.glob("*.bin"))
    if len(entries) <= KEEP + KEEP // 2:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[:len(entries) - KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
