"""The README's installation steps: the two opening commands, Windows (python.org, `py`,
the double-click launcher), Linux (venv, pipx), and `.ci/run` running those commands.

A clerk follows them word for word, so the words must be there, and the commands
they name must work: `docgen` is the console script, `py -m docgen` its fallback.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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
             "**«Запустить docgen.bat»**", "наберите `cmd`", "«Открыть в терминале»",
             "py -m venv .venv && .venv\\Scripts\\pip install .", "docgen build data",
             ".venv\\Scripts\\activate",
             "docgen --help", "py -m pip install .", "py -m docgen"]
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


CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
LAUNCHER = ROOT / "Запустить docgen.bat"
TWIN = ROOT / "docgen-serve.sh"


def opening_commands(language: str) -> list[str]:
    """The lines of the README's first code block in ``language`` (before any section)."""
    top = README[:README.index("\n## ")]
    block = re.search(rf"```{language}\n(.*?)```", top, re.S)
    assert block, f"no {language} block before the first section"
    return block.group(1).strip().splitlines()


def test_the_readme_opens_with_two_commands_that_need_no_system_pip() -> None:
    """One line makes .venv, installs and builds the examples; the other tests."""
    build, tests = opening_commands("bash")
    assert build == ("python3 -m venv .venv && .venv/bin/pip install . "
                     "&& .venv/bin/docgen build data")
    assert tests == ('python3 -m venv .venv && .venv/bin/pip install ".[test]" '
                     "&& .venv/bin/pytest -n auto")
    assert README.index("```bash") < README.index("```bat") < README.index("\n## ")


def test_the_windows_commands_are_the_same_two() -> None:
    windows = opening_commands("bat")
    linux = opening_commands("bash")
    assert windows == [line.replace("python3", "py").replace(".venv/bin/", ".venv\\Scripts\\")
                       for line in linux]


def ci_value(name: str) -> str:
    found = re.findall(rf"^{name}='(.*)'$", CI_RUN, re.M)
    assert len(found) == 1, f"{name} is set {len(found)} times in .ci/run"
    return found[0]


def test_ci_runs_exactly_the_readme_commands_each_once() -> None:
    build, tests = opening_commands("bash")
    assert ci_value("readme_build") == build
    assert ci_value("readme_tests") == tests
    lines = [line.strip() for line in CI_RUN.splitlines() if not line.strip().startswith("#")]
    assert lines.count('time bash -c "$readme_build"') == 1
    assert lines.count('time bash -c "$readme_tests"') == 1
    assert lines.index('time bash -c "$readme_build"') < lines.index('time bash -c "$readme_tests"')
    # the tests run once: no other pytest, and no time limit of our own under CI's
    others = [line for line in lines if "pytest" in line and not line.startswith(
        ("readme_tests=", "echo "))]
    assert others == []
    assert not re.search(r"^\s*timeout\b", CI_RUN, re.M)
    # in a fresh copy of the repository, as a clone: not in the checkout itself
    assert "git ls-files" in CI_RUN
    assert CI_RUN.index('cd "$work"') < CI_RUN.index('time bash -c "$readme_build"')


def test_the_windows_launcher_makes_the_venv_installs_and_serves() -> None:
    """«Запустить docgen.bat»: what Linux can check of it, its text."""
    data = LAUNCHER.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 5, "cmd.exe needs CRLF line endings"
    # and git keeps them so, on any checkout (core.autocrlf or not)
    assert "*.bat -text" in (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == "@echo off"
    chcp = lines.index("chcp 65001 > nul")
    # UTF-8 text only after chcp 65001, and only in what it says (echo), never in commands
    for n, line in enumerate(lines):
        if not line.isascii():
            assert n > chcp and line.startswith("echo "), line
    text = "\n".join(lines)
    for command in ('cd /d "%~dp0"', "py -m venv .venv",
                    '".venv\\Scripts\\python.exe" -m pip install', '".venv\\Scripts\\docgen.exe" '
                    "serve %*", "pause"):
        assert command in text, command
    assert text.index("py -m venv .venv") < text.index("-m pip install") < text.index(
        "docgen.exe\" serve")
    assert "https://www.python.org/downloads/" in text  # when Python is missing


def _fresh_copy(tmp_path: Path) -> Path:
    """The files a clerk unpacks (no tests, no .venv): enough to install docgen."""
    copy = tmp_path / "docgen папка"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", TWIN.name):
        shutil.copy2(ROOT / name, copy / name)
    # (not "output": the top-level output/ is not copied, docgen/output/ is a package)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("docgen", "templates", "data"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    return copy


def _serve(script: Path, cwd: Path, *args: str) -> tuple[str, str]:
    """Run the twin until its page answers, then stop it as Ctrl+C does; (output, page)."""
    proc = subprocess.Popen(["sh", str(script), "--port", "0", "--no-browser", *args],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", start_new_session=True)
    lines: list[str] = []
    page = ""
    deadline = time.monotonic() + 900  # the first run installs docgen from the registry
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            url = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if url:
                page = urllib.request.urlopen(url.group(0), timeout=30).read().decode()
                proc.send_signal(signal.SIGINT)
            assert time.monotonic() < deadline, "".join(lines)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return "".join(lines), page


@pytest.mark.slow
def test_the_linux_twin_installs_once_then_serves(tmp_path: Path) -> None:
    """docgen-serve.sh in a fresh folder: the first run makes .venv and installs, then
    serves the page; the next run serves at once. Arguments reach docgen serve."""
    copy = _fresh_copy(tmp_path)
    script = copy / TWIN.name
    assert os.access(TWIN, os.X_OK), "docgen-serve.sh is executable in the repository"
    output, page = _serve(script, tmp_path, "--exit-after", "600")
    assert "Первый запуск" in output, output
    assert "docgen работает по адресу" in output and "Проверить" in page, output
    assert (copy / ".venv" / "bin" / "docgen").exists()
    assert (copy / "output").is_dir(), "the archive is in the docgen folder, wherever run from"
    started = time.monotonic()
    output, page = _serve(script, tmp_path, "--exit-after", "120")
    assert "Первый запуск" not in output, output
    assert "Проверить" in page
    assert time.monotonic() - started < 60


def test_the_readme_states_what_the_tests_cost() -> None:
    """CPU time, not only a quiet machine's minutes, and what a loaded machine does."""
    top = README[:README.index("\n## ")]
    assert "процессорного времени" in top
    assert "загруженной" in top and "29 мин" in top
    assert "-m \"not slow\"" in top
