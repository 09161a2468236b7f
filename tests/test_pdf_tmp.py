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

from docgen.main import convert_to_pdf
from docgen.pdf.convert import find_soffice
from docgen.runtime import lifetime

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
        found = []  # os.walk: folders vanish while it looks (LibreOffice, the Reaper)
        for folder, subfolders, files in os.walk(system, onerror=lambda _exc: None):
            found += [Path(folder) / n for n in subfolders + files
                      if n.startswith("lu") and n.endswith(".tmp")]
        return found

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


# --- a full temporary folder -------------------------------------------------------------

FAILS_FULL = """#!{python}
# LibreOffice in a full temporary folder: English on its output, exit code 77.
print("LibreOffice 7.4 - Fatal Error: The application cannot be started.")
print("Error: could not write the temporary file")
raise SystemExit(77)
"""


@pytest.mark.parametrize("command", ["build", "blank"])
def test_a_full_temporary_folder_is_one_russian_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    from click.testing import CliRunner

    from docgen.cli import cli
    from docgen.pdf import convert as pdf

    program = tmp_path / "soffice"
    program.write_text(FAILS_FULL.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    monkeypatch.setattr(pdf, "_free", lambda _folder: 200 * 1024)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    args = (["build", str(REPO / "data" / "klin-masterskaya.xlsx")] if command == "build"
            else ["blank", "protocol"])
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "PDF" in line]
    assert len(lines) == 1, result.stderr
    assert f"во временной папке {tmp_path} не хватает места для LibreOffice" in lines[0]
    assert "Fatal" not in result.stderr and "Error" not in result.stderr


@pytest.mark.slow  # real LibreOffice in a real full tmpfs (root only)
def test_a_full_temporary_folder_with_real_libreoffice(tmp_path: Path) -> None:
    from test_faults import fill, small_disk

    try:
        find_soffice()
    except Exception:
        pytest.skip("LibreOffice is not installed")
    with small_disk(tmp_path / "tmp", "30m") as disk:
        fill(disk, leave=200 * 1024)  # the copies fit, LibreOffice's profile does not
        env = {**os.environ, "TMPDIR": str(disk), "PYTHONPATH": str(REPO)}
        for args in (["build", str(REPO / "data" / "klin-masterskaya.xlsx")],
                     ["blank", "protocol"]):
            done = subprocess.run([sys.executable, "-m", "docgen", *args, "-o",
                                   str(tmp_path / "out"), "--pdf"], env=env,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 1, done.stderr
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1, done.stderr
            assert f"во временной папке {disk} не хватает места для LibreOffice" in lines[0]
            assert "Fatal" not in done.stderr and "Error" not in done.stderr
            assert sorted(p.name for p in disk.iterdir()) == ["ballast"]
