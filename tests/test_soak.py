"""Issue 15, load: thirty batch builds of the examples, most of them killed at random.

Kills come three ways: SIGKILL to the main process only (its workers must end
by themselves), SIGKILL to the whole process group, and SIGTERM (stopped like
Ctrl+C). The last build runs to its end, and then the output folder must hold
exactly the files of an uninterrupted build, byte for byte, with nothing left in
it, in the system temp folder or in the process table.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import processes_with

REPO = Path(__file__).resolve().parent.parent
BUILDS = 30
BOOKKEEPING = {".docgen.json", ".docgen.lock"}  # times of writing in them differ by design


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in BOOKKEEPING}


alive_with = processes_with


@pytest.fixture
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One build first, so the suite's cache (DOCGEN_CACHE) holds the compiled templates and
    charts, as after any other build test. Run first in the suite (conftest hands the longest
    tests out first), the cache was empty: the reference build took twice as long as the
    soak's builds, and the kills timed by it came after their builds had ended."""
    out = tmp_path_factory.mktemp("warm")
    subprocess.run([sys.executable, "-m", "docgen", "build", str(REPO / "data"), "-o", str(out),
                    "--jobs", "2", "-q"], env={**os.environ, "PYTHONPATH": str(REPO)},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)


@pytest.mark.slow
@pytest.mark.usefixtures("warm_cache")
def test_thirty_builds_with_random_kills_end_complete_and_identical(tmp_path: Path) -> None:
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the process table")
    system = tmp_path / "tmp"
    system.mkdir()
    env = {**os.environ, "TMPDIR": str(system), "PYTHONPATH": str(REPO)}
    out, reference = tmp_path / "out-soak", tmp_path / "reference"

    def build(target: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "docgen", "build", str(REPO / "data"),
                                 "-o", str(target), "--jobs", "2", "-q"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    began = time.monotonic()
    assert build(reference).wait(timeout=120) == 0
    length = time.monotonic() - began  # kills land inside a build, whatever the machine
    expected = files(reference)
    assert sum(name.endswith(".docx") for name in expected) >= 50
    try:
        soak(build, out, system, expected, length)
    finally:  # whatever failed, leave no process of this test behind
        for pid in alive_with(str(out)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def soak(build: Callable[[Path], subprocess.Popen[bytes]], out: Path, system: Path,
         expected: dict[str, bytes], length: float) -> None:
    rng = random.Random(15)
    started = time.monotonic()
    killed = 0
    for n in range(BUILDS):
        process = build(out)
        if n < BUILDS - 1 and rng.random() < 0.7:
            time.sleep(rng.uniform(0.1, 0.9) * length)
            how = rng.choice(["main", "group", "term"])
            killed += process.poll() is None  # still at work when the signal is sent
            with contextlib.suppress(ProcessLookupError):
                if how == "main":
                    os.kill(process.pid, signal.SIGKILL)
                elif how == "group":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=120)
    assert process.returncode == 0
    took = time.monotonic() - started
    deadline = time.monotonic() + 15
    while alive_with(str(out)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive_with(str(out)) == [], "processes left behind"
    got = files(out)
    assert sorted(got) == sorted(expected)  # no «(новая версия)», no «.~docgen-*.tmp»
    assert [name for name in expected if got[name] != expected[name]] == []
    assert list(system.iterdir()) == []  # no «openpyxl.*», no «docgen-pdf-*»
    assert killed >= 10
    assert took < 240, f"{BUILDS} builds took {took:.0f} s"
