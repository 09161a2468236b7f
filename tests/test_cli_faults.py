"""The command's remaining faults (issue 25 §4): each said in one Russian line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import errors
from docgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "klin-masterskaya.xlsx"


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


# --- a folder without the search right ---------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/«закрытая» as if it had no «x» right (tests run as root, which passes
    anyway): the workbook under it cannot be opened."""
    folder = tmp_path / "закрытая"
    (folder / "книги").mkdir(parents=True)
    book = Path(shutil.copy(EXAMPLE, folder / "книги" / "клин.xlsx"))
    monkeypatch.setattr(errors, "searchable", lambda path: path != folder)
    from docgen.workbook import reader

    def refused(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(reader, "read_bytes", refused)
    return book


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_folder_without_the_search_right_is_named_in_one_russian_line(
        locked: Path, tmp_path: Path, command: str) -> None:
    args = [command, locked] + (["-o", tmp_path / "out"] if command == "build" else [])
    code, output = invoke(*args)
    assert code == 1
    assert f"нет доступа к папке «{locked.parent.parent}»" in output, output
    assert "PermissionError" not in output and "Внутренняя ошибка" not in output
    assert "внутренняя ошибка" not in output


@pytest.mark.slow  # a real user without rights, in fresh processes
def test_a_folder_without_the_search_right_as_an_ordinary_user() -> None:
    setpriv = shutil.which("setpriv")
    if os.name == "nt" or setpriv is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to run as nobody")
    base = Path(tempfile.mkdtemp(prefix="docgen-noexec-", dir="/tmp"))
    try:
        base.chmod(0o755)
        closed = base / "закрытая"
        (closed / "книги").mkdir(parents=True)
        book = Path(shutil.copy(EXAMPLE, closed / "книги" / "клин.xlsx"))
        closed.chmod(0o644)  # readable, not searchable
        env = {**os.environ, "PYTHONPATH": str(REPO), "MPLCONFIGDIR": str(base),
               "HOME": str(base)}
        probe = subprocess.run([setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                sys.executable, "-c", "import docgen, click"], env=env,
                               capture_output=True, text=True, timeout=60, cwd=str(base))
        if probe.returncode != 0:  # a checkout or environment in a private (0700) folder
            pytest.skip(f"nobody cannot import docgen here: {probe.stderr.strip()[-200:]}")
        for args in (["check", str(book)], ["build", str(book), "-o", str(base / "out")],
                     ["build", str(EXAMPLE), "-o", str(closed / "out")]):
            done = subprocess.run([setpriv, "--reuid=nobody", "--regid=nogroup",
                                   "--clear-groups", sys.executable, "-m", "docgen", *args],
                                  env=env, capture_output=True, text=True, timeout=120,
                                  cwd=str(base))
            assert done.returncode == 1, (args, done.stderr)
            assert f"нет доступа к папке «{closed}»" in done.stderr, (args, done.stderr)
            assert "PermissionError" not in done.stderr, done.stderr
    finally:
        (base / "закрытая").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# --- a read-only output names its own mount point ---------------------------------------


def test_a_read_only_output_names_its_mount_point_from_the_mount_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bind mount shares the device number of the disk under it: the table decides."""
    import errno

    from docgen.runtime import files as output

    share = tmp_path / "общая папка"
    (share / "out").mkdir(parents=True)
    listed = str(share).replace(" ", "\\040")
    table = tmp_path / "mountinfo"
    table.write_text(f"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                     f"90 22 8:1 /x {listed} ro,relatime shared:1 - ext4 /dev/sda1 ro\n")
    monkeypatch.setattr(output, "MOUNTINFO", table)
    assert output.mount_point(share / "out" / "2025" / "x.docx") == share
    said = output.os_problem(OSError(errno.EROFS, "Read-only file system"), share / "out")
    assert f"диск {share} доступен только для чтения" in said


def test_a_read_only_bind_mount_is_named_by_build_and_blank(tmp_path: Path) -> None:
    if os.name == "nt" or not Path("/proc/self/mountinfo").is_file() or os.geteuid() != 0:
        pytest.skip("needs Linux and root to bind-mount")
    share = tmp_path / "общая"
    share.mkdir()
    done = subprocess.run(["mount", "--bind", str(share), str(share)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot bind-mount here")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(share)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        for args in (["build", EXAMPLE], ["blank", "protocol"]):
            code, said = invoke(*args, "-o", share / "out")
            assert code == 1
            assert f"диск {share} доступен только для чтения" in said, said
            assert "диск / " not in said
    finally:
        subprocess.run(["umount", "-l", str(share)], capture_output=True)


# --- a «Бланки» folder planted as a link ---------------------------------------------------


@pytest.mark.parametrize("with_workbook", [False, True])
def test_a_linked_blanks_folder_is_refused_like_other_output_folders(
        tmp_path: Path, with_workbook: bool) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "чужая"
    elsewhere.mkdir()
    if with_workbook:
        code, _ = invoke("build", EXAMPLE, "-o", out)
        assert code == 0
        [group] = [p for p in out.glob("*/*") if p.is_dir()]
        blanks = group / "Бланки"
    else:
        out.mkdir()
        blanks = out / "Бланки"
    try:
        blanks.symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    args = ["blank", "protocol", "-o", out] + (["--workbook", EXAMPLE] if with_workbook else [])
    code, said = invoke(*args)
    assert code == 1
    assert "ссылка на" in said and "за пределы папки результатов" in said, said
    assert list(elsewhere.iterdir()) == []
