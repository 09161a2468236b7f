"""A small on-disk cache of compiled templates, so a run does not compile them again.

Compiling a template costs tens of milliseconds; a centre's batch starts one
process per core and a clerk runs docgen again and again, so each process would
otherwise spend a good part of a second on the same work. Entries are keyed by
the template's content and the versions of everything that shapes the result;
a missing, stale, damaged or unwritable cache only means compiling as usual.

The folder and its rules are ``docgen.diskcache``'s (``DOCGEN_CACHE``).
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

from docgen.diskcache import folder, keep, read

__all__ = ["KEEP", "folder", "get", "key", "put"]


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """Everything besides the template that decides what compiling it gives."""
    import jinja2

    from docgen import __version__

    here = Path(__file__).resolve().parent  # the whole template machinery (this package)
    try:
        code = b"".join(path.read_bytes() for path in sorted(here.glob("*.py")))
        if not code:
            raise OSError("no sources")
    except OSError:  # installed without its sources (a frozen build): versions alone
        code = b""
    versions = (__version__, jinja2.__version__, sys.version)
    packages = b"".join(_version_source(name) for name in ("docxtpl", "docx"))
    return hashlib.sha256("|".join(versions).encode() + packages + code).digest()


def _version_source(name: str) -> bytes:
    """The package's __init__.py, which sets its __version__, read without importing it.

    A batch worker loads cached templates and renders without python-docx or
    docxtpl (some 30 ms of imports, before each batch forks its workers); a
    build without the file (a frozen one) imports the package for its version.
    """
    import importlib
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            raise OSError(f"{name}: no source")
        return Path(spec.origin).read_bytes()
    except (OSError, ImportError, ValueError):
        module = importlib.import_module(name)
        return str(getattr(module, "__version__", "")).encode()


def key(content: bytes) -> str:
    """The entry name for a template's bytes."""
    return hashlib.sha256(_salt() + content).hexdigest()


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
