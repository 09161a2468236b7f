"""``python -m docgen``: the same command as ``docgen``, where Scripts is not on PATH."""

from __future__ import annotations

from docgen.cli import main

main()
