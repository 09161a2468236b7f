"""What a build process of the server's pool runs: one workbook, through docgen.api.

Kept free of the web framework: on Windows each pool process imports this module
afresh, and it should cost no more than the CLI's own batch workers.
"""

from __future__ import annotations

import signal
from pathlib import Path

from docgen.api.build import BuildResult


def start(parent: int) -> None:
    """A pool process: it ends with the server, however the server ends.

    ``die_with_parent`` covers a SIGKILLed server (no handler of the server runs
    then). Ctrl+C in a terminal reaches every process of its group: the worker
    ignores it (no English traceback of an idle worker), the server stops it.
    """
    from docgen.runtime.lifetime import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def build_one(path: Path, out_dir: Path, templates: list[Path] | None, run: str,
              bundle: bool) -> BuildResult:
    """Build one workbook of a batch ``run`` exactly as `docgen build` would."""
    from docgen.api.build import build_batch

    [(_, result)] = list(build_batch([path], out_dir, templates, jobs=1, bundle=bundle,
                                          run=run))
    return result


def warm() -> bool:
    """Load the document machinery once, so a clerk's first build does not pay for it."""
    import docgen.content.documents
    import docgen.templating  # noqa: F401

    return True
