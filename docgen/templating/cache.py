"""A small on-disk cache of compiled templates, so a run does not compile them again.

Compiling a template costs tens of milliseconds; a centre's batch starts one
process per core and a clerk runs docgen again and again, so each process would
otherwise spend a good part of a second on the same work. Entries are keyed by
the template's content and ``diskcache.salt`` (the versions and code that shape it);
a missing, stale, damaged or unwritable cache only means compiling as usual.

The folder and its rules are ``docgen.runtime.diskcache``'s (``DOCGEN_CACHE``).
"""

from __future__ import annotations

import hashlib

from docgen.runtime.diskcache import folder, keep, read, salt

__all__ = ["KEEP", "folder", "get", "key", "put"]


def key(content: bytes) -> str:
    """The entry name for a template's bytes."""
    return hashlib.sha256(salt() + content).hexdigest()


def get(name: str) -> bytes | None:
    """An entry's bytes, or None if there is none (or no cache)."""
    where = folder()
    return read(where / f"{name}.bin") if where is not None else None


def put(name: str, data: bytes) -> None:
    """Store an entry atomically; any failure is silently a cache miss next time."""
    where = folder()
    if where is not None:
        keep(where / f"{name}.bin", data, KEEP)


KEEP = 200  # entries: every built-in template many times over, and a clerk's own
