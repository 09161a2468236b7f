"""docgen's cache on disk: compiled templates, drawn charts, prepared photos.

Each entry is work the next run (or the batch's other worker) would otherwise do
again: compiling a template (tens of milliseconds), drawing a chart (a second
for matplotlib alone), preparing a photo (20 ms of Pillow for each one, in each
worker). Entries are named by a hash of everything that decides them, so a
stale entry is never found; a missing, damaged or unwritable cache only means
doing the work as usual.

``DOCGEN_CACHE`` chooses the folder; ``DOCGEN_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import os
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
    from docgen.output import write_atomically

    with contextlib.suppress(OutputError, OSError):
        write_atomically(path, data)
        entries = list(path.parent.glob(f"*{path.suffix}"))
        if len(entries) <= most + most // 2:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[:len(entries) - most]:
            with contextlib.suppress(OSError):
                old.unlink()
