"""The `docgen` command: parse options, call ``docgen.api``, print in Russian.

This package is the only one that imports click and the only one that prints.
``base`` holds the group and the error boundary; each command lives in the
module named after it and registers itself on the group when imported here.
"""

from __future__ import annotations

from docgen.cli import blank, build, check, init, serve, templates  # noqa: F401  (registers)
from docgen.cli.base import cli, first_sentence, main, reports_errors

__all__ = ["cli", "first_sentence", "main", "reports_errors"]
