"""The README's installation steps: Windows (python.org, `py`), Linux (venv, pipx).

A clerk follows them word for word, so the words must be there, and the commands
they name must work: `docgen` is the console script, `py -m docgen` its fallback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n### {title}\n")
    return README[start:README.index("\n## ", start)]


def test_windows_steps_are_given_in_order() -> None:
    windows = section("Windows")
    steps = ["https://www.python.org/downloads/", "«Add python.exe to PATH»",
             "наберите `cmd`", "«Открыть в терминале»", "py -m pip install .",
             "docgen --help", "docgen build data", "py -m docgen"]
    places = [windows.find(step) for step in steps]
    assert -1 not in places, [s for s, p in zip(steps, places, strict=True) if p == -1]
    assert places == sorted(places)


def test_linux_steps_cover_an_externally_managed_python() -> None:
    linux = README[README.index("\n### Linux и macOS\n"):]
    for text in ("externally-managed-environment", "python3 -m venv", "bin/python -m pip install .",
                 "bin/docgen build data", "pipx install ."):
        assert text in linux, text


def test_docgen_is_the_installed_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"docgen": "docgen.cli:main"}
    assert project["project"]["requires-python"] == ">=3.10"  # as the README says


def test_python_m_docgen_is_the_same_command(tmp_path: Path) -> None:
    """The fallback the README gives when Scripts is not on PATH: `py -m docgen`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "docgen", "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Использование: docgen [ПАРАМЕТРЫ] КОМАНДА")
