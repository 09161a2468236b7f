"""docgen: the paperwork of a teachers' group from one Excel workbook.

The public API lives in :mod:`docgen.main`; it is re-exported here lazily so
that ``import docgen`` (and ``docgen --help``) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = [
    "BuildResult",
    "CheckResult",
    "annotate",
    "build_workbook",
    "check",
    "check_workbook",
    "init_workbook",
    "load_group",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from docgen import main

        return getattr(main, name)
    raise AttributeError(name)
