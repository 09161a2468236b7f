"""`docgen serve`: the whole workflow on a web page, for clerks who never open a terminal.

Only ``app.py`` and ``server.py`` import the web framework (Flask) and the WSGI
server (waitress); the other modules here are plain Python, so the build
workers (``worker.py``) and ``docgen serve --set-password`` stay light.
"""

from __future__ import annotations

from pathlib import Path

STATE_FOLDER = ".docgen-serve"  # inside the output folder: password, key, stored workbooks, uploads


def state_folder(out_dir: str | Path) -> Path:
    """The server's own folder, kept with the archive it serves (a backup takes both)."""
    return Path(out_dir) / STATE_FOLDER
