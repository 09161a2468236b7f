"""docgen: the paperwork of a teachers' group from one Excel workbook.

The public API lives in :mod:`docgen.main`; it is re-exported here lazily so
that ``import docgen`` (and ``docgen --help``) stays fast.
"""

from __future__ import annotations

import sys
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


class _OpenpyxlWithoutNumpy:
    """Import finder: openpyxl's number types are loaded while numpy is hidden.

    ``openpyxl.compat.numbers`` imports numpy, when it is installed (matplotlib
    installs it), only to accept numpy's number types as cell values; docgen never
    gives it any. That import is 0.13 s of every process that reads or writes a
    workbook, a third of a batch worker's start. numpy stays importable for
    whatever needs it later (charts).
    """

    NAME = "openpyxl.compat.numbers"

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != self.NAME:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _NumpyHidden(spec.loader)
        return spec


class _NumpyHidden:
    """A module loader that runs the module with ``import numpy`` failing."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        hide = "numpy" not in sys.modules
        if hide:
            sys.modules["numpy"] = None  # type: ignore[assignment]  # import raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            if hide and sys.modules.get("numpy", 0) is None:
                del sys.modules["numpy"]


if not any(isinstance(f, _OpenpyxlWithoutNumpy) for f in sys.meta_path):
    sys.meta_path.insert(0, _OpenpyxlWithoutNumpy())
