"""LibreOffice's own temporary files (``lu*.tmp``: copies of documents with people's names)
stay inside docgen's staging folder, so they go with it: after the run, after a kill (the
Reaper), or at the next start (``sweep_stale``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import processes_with
from test_pdf_convert import documents

from docgen import lifetime
from docgen.main import convert_to_pdf
from docgen.pdf import find_soffice

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake soffice is a POSIX script")

LEAVES_TMP = """#!{python}
# A stand-in for soffice that, like LibreOffice, leaves a copy in its temporary folder.
import os, sys
from pathlib import Path

args = sys.argv[1:]
tmp = Path(os.environ.get("TMPDIR", "/tmp"))
(tmp / f"lu{{os.getpid()}}.tmp").mkdir()
(tmp / f"lu{{os.getpid()}}.tmp" / "Иванова Мария Петровна.docx").write_bytes(b"copy")
with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
    log.write(str(tmp) + "\\n")
out = Path(args[args.index("--outdir") + 1])
for name in args[args.index("--outdir") + 2:]:
    (out / (Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4 fake")
"""


def test_libreoffice_writes_its_temporary_files_inside_docgens_staging_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "soffice"
    program.write_text(LEAVES_TMP.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    system = tmp_path / "system-tmp"
    system.mkdir()
    log = tmp_path / "log"
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setenv("DOCGEN_PDF_COMBINE", "0")
    monkeypatch.setenv("TMPDIR", str(system))
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    paths = documents(tmp_path, 3)
    result = convert_to_pdf(paths, jobs=1)
    assert result.ok and len(result.written) == 3
    [used] = log.read_text("utf-8").split()
    assert Path(used).parent.parent.name.startswith(lifetime.STAGING_PREFIX), used
    assert list(system.iterdir()) == []  # no lu*.tmp, no staging folder


@pytest.mark.slow  # real LibreOffice, SIGKILLed while it converts
def test_a_killed_pdf_build_leaves_no_libreoffice_temporary_files(tmp_path: Path) -> None:
    try:
        find_soffice()
    except Exception:
        pytest.skip("LibreOffice is not installed")
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc")
    system = tmp_path / "system-tmp"
    system.mkdir()
    env = {**os.environ, "TMPDIR": str(system), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(REPO / "data" / "klin-masterskaya.xlsx"),
         "-o", str(tmp_path / "out"), "--pdf"], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)

    def lo_tmp() -> list[Path]:
        return [p for p in system.rglob("lu*.tmp")]

    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not lo_tmp():
            time.sleep(0.05)
        assert lo_tmp(), "LibreOffice never wrote a temporary file"
        os.kill(process.pid, signal.SIGKILL)  # docgen alone, as a clerk's task manager would
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (lo_tmp() or processes_with(str(system))):
            time.sleep(0.1)
        assert not lo_tmp(), lo_tmp()
        assert not processes_with(str(system)), "LibreOffice still runs"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in processes_with(str(system)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
