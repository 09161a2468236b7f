"""Issue 15: faults from outside — kills, full disks, planted links, racing workbooks.

Each test names the defect of issue 15 it reproduces. The full-disk cases use a
real small tmpfs when the tests run as root and may mount one (``small_disk``),
else they simulate ENOSPC by making the write path raise it; each says which.
Tests that start a real ``python -m docgen`` and kill it are marked slow and
bound every wait.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import processes_with

from docgen.cli import cli
from docgen.output.folders import DERIVED, GroupFolder
from docgen.runtime import files as output

YEAR = "2025-2026 учебный год"
GROUP = "Творческая группа «Читающая школа»"
REPO = Path(__file__).resolve().parent.parent
ENGLISH = ("Errno", "No space left", "Permission denied", "Not a directory", "File exists",
           "File name too long", "Traceback", "возможно, он открыт")


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def english_free(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, text


@contextlib.contextmanager
def small_disk(where: Path, size: str = "2m") -> Iterator[Path]:
    """A real tmpfs of ``size`` at ``where`` (root only); skips the test if none can be had."""
    where.mkdir(parents=True, exist_ok=True)
    if os.name == "nt" or os.geteuid() != 0:
        pytest.skip("a small disk needs root to mount a tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, timeout=20)
    if done.returncode != 0:
        pytest.skip(f"tmpfs cannot be mounted here: {done.stderr.decode(errors='replace')}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=20)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    with open(disk / "ballast", "wb") as handle:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(0, free - leave))


# --- defect 1: own PDFs taken for hand edits --------------------------------------------


def test_pdfs_placed_by_an_interrupted_run_stay_docgens_after_a_docx_only_run(
        tmp_path: Path) -> None:
    """Defect 1 at the manifest: `--pdf` killed while placing, then `build -q`, then `--pdf`."""
    folder = tmp_path / "группа"
    with GroupFolder(folder) as group:  # the documents
        group.expect([b"docx"])
        group.write("01 Приказ.docx", b"docx", {"title": "Приказ"})
        group.finish()
    with GroupFolder(folder) as group:  # the PDFs: killed after the first one, no finish()
        group.expect([b"pdf 1", b"pdf 2"])
        group.write("01 Приказ.pdf", b"pdf 1", {DERIVED: "pdf", "from": "01 Приказ.docx"})
    with GroupFolder(folder) as group:  # `docgen build -q`: the documents only
        group.expect([b"docx"])
        group.write("01 Приказ.docx", b"docx", {"title": "Приказ"})
        group.finish()
    with GroupFolder(folder) as group:  # `docgen build --pdf`
        target, kept = group.write("01 Приказ.pdf", b"pdf 1, made again")
        group.finish()
    assert kept is None and target.name == "01 Приказ.pdf"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "01 Приказ.docx", "01 Приказ.pdf"]


def test_a_pdf_run_interrupted_while_placing_then_docx_then_pdf_keeps_no_copies(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 1 through the CLI, with a stand-in LibreOffice and Ctrl+C after two PDFs."""
    if os.name == "nt":
        pytest.skip("the stand-in soffice is a POSIX script")
    from test_pdf_convert import FAKE

    program = tmp_path / "soffice"
    stamped = FAKE.replace("hashlib.sha256(data).hexdigest().encode())",  # as LibreOffice
                           "hashlib.sha256(data).hexdigest().encode() + str(time.time_ns())"
                           ".encode())")  # stamps each PDF with its time: never the same bytes
    assert stamped != FAKE
    program.write_text(stamped.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(program))
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "calls.jsonl"))
    book, out = make_workbook(content), tmp_path / "out"
    real_write = GroupFolder.write
    placed = []

    def write(self: GroupFolder, name: str, data: bytes, about: dict | None = None):
        if name.endswith(".pdf") and len(placed) == 2:
            raise KeyboardInterrupt  # the run is stopped here: the manifest is not finished
        found = real_write(self, name, data, about)
        if name.endswith(".pdf"):
            placed.append(name)
        return found

    monkeypatch.setattr(GroupFolder, "write", write)
    stopped = invoke("build", book, "-o", out, "--pdf")
    assert stopped.exit_code == 130, stopped.output
    monkeypatch.setattr(GroupFolder, "write", real_write)
    assert len(list((out / YEAR / GROUP).glob("*.pdf"))) == 2
    assert invoke("build", book, "-o", out, "-q").exit_code == 0
    again = invoke("build", book, "-o", out, "--pdf")
    assert again.exit_code == 0, again.output
    assert "изменён вручную" not in again.output
    assert not list((out / YEAR / GROUP).glob("*новая версия*"))


# --- defect 2: a full system temp folder -------------------------------------------------


@pytest.mark.slow
def test_a_full_system_temp_folder_costs_no_traceback(tmp_path: Path) -> None:
    """Defect 2 on a real full tmpfs as TMPDIR: the build works, `--pdf` says the disk is full."""
    if os.name == "nt":
        pytest.skip("the stand-in soffice is a POSIX script")
    from test_pdf_convert import FAKE

    program = tmp_path / "soffice"
    program.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    with small_disk(tmp_path / "tmp", "1m") as disk:
        fill(disk, leave=16 * 1024)  # Python's own probe of TMPDIR still fits, a document not
        env = {**os.environ, "TMPDIR": str(disk), "PYTHONPATH": str(REPO),
               "DOCGEN_SOFFICE": str(program), "FAKE_SOFFICE_LOG": str(tmp_path / "log")}
        book = REPO / "data" / "amursk-tvorcheskaya.xlsx"
        plain = subprocess.run([sys.executable, "-m", "docgen", "build", str(book), "-o",
                                str(tmp_path / "out")], env=env, capture_output=True,
                               text=True, timeout=120)
        assert plain.returncode == 0, plain.stderr  # nothing of a build needs the temp folder
        assert "Реестр документов:" in plain.stdout
        english_free(plain.stderr)
        pdf = subprocess.run([sys.executable, "-m", "docgen", "build", str(book), "-o",
                              str(tmp_path / "out"), "--pdf"], env=env, capture_output=True,
                             text=True, timeout=120)
        assert pdf.returncode == 1
        english_free(pdf.stderr)
        errors = pdf.stderr.strip().splitlines()
        assert len(errors) == 1, pdf.stderr  # one line for all the documents
        assert f"во временной папке {disk} не хватает места для LibreOffice" in errors[0]
        assert "PDF не созданы для 12 документов" in errors[0]
        assert "Реестр документов:" in pdf.stdout and "PDF: записано 0" in pdf.stdout
        assert not list(disk.glob("docgen-pdf-*")) and not list(disk.glob("openpyxl*"))


# --- defect 4: which of two workbooks of one group wins ---------------------------------


@pytest.mark.slow  # builds with a pool of worker processes
def test_the_first_workbook_by_path_wins_whatever_jobs(content: dict, make_workbook: Callable,
                                                       tmp_path: Path) -> None:
    """Defect 4: «a.xlsx» (slow: many members) and «b.xlsx» (fast), one group, --jobs 2."""
    from conftest import member

    first = copy.deepcopy(content)
    first["Группа"]["Тема"] = "Тема первой книги"
    letters = "абвгдежзик"
    first["Участники"] += [member(f"Петров{letters[n % 10]}{letters[n // 10 % 10]}"
                                  f"{letters[n // 100]}", "Пётр", "Петрович") for n in range(600)]
    second = copy.deepcopy(content)
    second["Группа"]["Тема"] = "Тема второй книги"
    books = tmp_path / "книги"
    books.mkdir()
    make_workbook(first, "книги/a.xlsx")
    make_workbook(second, "книги/b.xlsx")
    from conftest import docx_text

    for run in range(2):
        out = tmp_path / f"out{run}"
        result = invoke("build", books, "-o", out, "--jobs", "2", "-q")
        assert result.exit_code == 1
        text = docx_text(next((out / YEAR / GROUP).glob("01 *.docx"))).lower()  # the theme
        assert "тема первой книги" in text and "тема второй книги" not in text, result.output
        assert "эту группу уже сформировала книга «a.xlsx»" in result.output
        assert not list((out / YEAR / GROUP).glob("*новая версия*"))


# --- defect 7: the registry's scratch files ----------------------------------------------


def test_the_registry_leaves_nothing_in_the_system_temp_folder(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 7: no registry data in the system temp folder, and what a kill leaves is swept.

    openpyxl kept each sheet in «/tmp/openpyxl.*» until saved; the registry is now
    made in memory, and its one write goes through a temporary file of docgen's
    own in the year folder. A run killed during that write leaves only this
    file («killed» here: it is copied aside under another process's name before
    the write fails), and the next run removes it.
    """
    from docgen.output.registry import REGISTRY

    book, out = make_workbook(content), tmp_path / "out"
    system = tmp_path / "системная"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    real_replace = output.os.replace
    left: list[Path] = []

    def killed(source: str | Path, target: str | Path) -> None:
        if Path(target).name != REGISTRY:
            return real_replace(source, target)
        leftover = Path(source).with_name(".~docgen-999999-1.tmp")  # a killed process's
        leftover.write_bytes(Path(source).read_bytes())
        left.append(leftover)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(output.os, "replace", killed)
    result = invoke("build", book, "-o", out)
    assert result.exit_code == 1 and "Реестр документов не записан" in result.stderr
    assert list(system.iterdir()) == []
    assert left and left[0].parent == out / YEAR and left[0].read_bytes().startswith(b"PK")
    assert sorted(p.name for p in (out / YEAR).glob(".~docgen-*.tmp")) == [left[0].name]
    monkeypatch.undo()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    assert invoke("build", book, "-o", out).exit_code == 0
    assert not left[0].exists() and (out / YEAR / REGISTRY).is_file()
    assert list(system.iterdir()) == []


# --- defect 8: the batch summary ---------------------------------------------------------


def two_books(content: dict, make_workbook: Callable, tmp_path: Path) -> Path:
    books = tmp_path / "книги"
    books.mkdir(exist_ok=True)
    make_workbook(content, "книги/a.xlsx")
    other = copy.deepcopy(content)
    other["Группа"]["Название"] = "Вторая группа"
    make_workbook(other, "книги/b.xlsx")
    return books


def test_a_registry_failure_is_not_a_failed_workbook(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.api import summary
    from docgen.errors import OutputError

    def fail(results: list) -> list:
        raise OutputError("нет места")

    monkeypatch.setattr(summary, "write_registries", fail)
    result = invoke("build", two_books(content, make_workbook, tmp_path), "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert "Реестр документов не записан: нет места" in result.stderr
    assert "Обработано книг: 2, из них с ошибками: 0." in result.stdout


def test_a_manifest_failure_is_not_a_document(content: dict, make_workbook: Callable,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.errors import OutputError

    def fail(self: GroupFolder) -> None:
        raise OutputError("нет места")

    monkeypatch.setattr(GroupFolder, "finish", fail)
    result = invoke("build", content and make_workbook(content), "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert "Записано: 10 документов." in result.stdout  # not «не записано: 1»
    assert "список записанных файлов (.docgen.json) не обновлён: нет места" in result.stderr


def test_a_manifest_failure_of_several_workbooks_is_said_once(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 9 for «.docgen.json»: a full disk is one line, not one per workbook."""
    from docgen.errors import OutputError

    def fail(self: GroupFolder) -> None:
        raise OutputError("нет места")

    monkeypatch.setattr(GroupFolder, "finish", fail)
    result = invoke("build", two_books(content, make_workbook, tmp_path), "-o", tmp_path / "o")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ".docgen.json" in line]
    assert lines == ["Документы записаны, но список записанных файлов (.docgen.json) не "
                     "обновлён для 2 книг (a.xlsx, b.xlsx): нет места"], result.stderr


def test_stdout_has_no_leading_blank_lines_when_messages_go_to_stderr(tmp_path: Path) -> None:
    books = tmp_path / "книги"
    books.mkdir()
    for n in range(5):
        (books / f"{n}.xlsx").write_bytes(b"not a workbook")
    result = invoke("build", books, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert result.stdout.startswith("Книга"), repr(result.stdout[:40])


# --- defect 9: messages ------------------------------------------------------------------


def test_a_full_disk_is_said_once_in_russian(content: dict, make_workbook: Callable,
                                             tmp_path: Path) -> None:
    """Defect 9 on a real full tmpfs as the output folder."""
    book = make_workbook(content)
    with small_disk(tmp_path / "диск", "1m") as disk:
        (disk / "out" / YEAR / GROUP).mkdir(parents=True)
        fill(disk)
        result = invoke("build", book, "-o", disk / "out")
    assert result.exit_code == 1
    english_free(result.output)
    lines = [line for line in result.stderr.splitlines() if "не хватает места" in line]
    assert len(lines) == 1, result.stderr
    assert f"на диске {disk} не хватает места: освободите место" in lines[0]


@pytest.mark.slow
def test_a_full_disk_under_a_batch_says_each_cause_once(tmp_path: Path) -> None:
    """Defect 9 for a whole batch on a real 600 KB tmpfs: no line per document or workbook."""
    with small_disk(tmp_path / "диск", "600k") as disk:
        result = subprocess.run(
            [sys.executable, "-m", "docgen", "build", str(REPO / "data"), "-o",
             str(disk / "out"), "--jobs", "2"], env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    english_free(result.stderr)
    full = [line for line in result.stderr.splitlines() if "не хватает места" in line]
    # once per kind of what was not written: whole workbooks, documents, a .docgen.json,
    # the registry — never once per document or per workbook
    assert 1 <= len(full) <= 4, result.stderr
    assert all(f"на диске {disk} не хватает места: освободите место" in line for line in full)
    assert "Обработано книг: 5" in result.stdout


def test_a_full_disk_simulated_is_said_once_in_russian(
        content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 9 without a tmpfs: the write path raises ENOSPC (simulated)."""
    real = os.fdopen

    def full(fd: int, *args: object, **kwargs: object):
        handle = real(fd, *args, **kwargs)

        def write(data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = write  # type: ignore[method-assign]
        return handle

    book = make_workbook(content)
    monkeypatch.setattr(output.os, "fdopen", full)
    result = invoke("build", book, "-o", tmp_path / "out")
    assert result.exit_code == 1
    english_free(result.output)
    assert "не хватает места: освободите место" in result.stderr


@pytest.mark.parametrize("case", ["read-only", "not-a-folder", "file-exists", "too-long"])
def test_write_failures_are_said_in_russian_with_what_to_do(
        case: str, content: dict, make_workbook: Callable, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out, book = tmp_path / "out", make_workbook(content)
    said = {"read-only": "нет прав на запись в папку", "not-a-folder": "лежит файл",
            "file-exists": "уже есть файл", "too-long": "слишком длинный путь"}[case]
    if case == "read-only":  # root ignores permissions: the folder refuses new files
        def refuse(folder: Path) -> tuple[Path, int]:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(output, "temporary_file", refuse)
    elif case == "not-a-folder":
        out.mkdir()
        (out / YEAR).write_text("a file where the year folder should be")
    elif case == "file-exists":
        (out / YEAR).mkdir(parents=True)
        (out / YEAR / GROUP).write_text("a file where the group's folder should be")
    else:
        out = tmp_path / ("очень длинное имя папки " * 12).strip()
    result = invoke("build", book, "-o", out)
    assert result.exit_code == 1, result.output
    english_free(result.output)
    assert said in result.stderr, result.stderr
    assert "(параметр -o" in result.stderr


# --- defect 10: an edit that keeps size and time ------------------------------------------


def test_an_edit_that_keeps_size_and_time_is_still_a_hand_edit(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("Windows hashes every file: no change time in os.stat")
    folder = tmp_path / "группа"
    with GroupFolder(folder) as group:
        group.expect([b"docgen's text"])
        target, _ = group.write("01 Приказ.docx", b"docgen's text")
        group.finish()
    stat = target.stat()
    target.write_bytes(b"clerk's texts")  # the same size
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    with GroupFolder(folder) as group:
        _target, kept = group.write("01 Приказ.docx", b"docgen's new text")
    assert kept == target
    assert target.read_bytes() == b"clerk's texts"


# --- defect 11: a planted link -------------------------------------------------------------


def test_a_link_out_of_the_output_folder_is_refused(content: dict, make_workbook: Callable,
                                                    tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "чужая"
    elsewhere.mkdir()
    (out / YEAR).mkdir(parents=True)
    try:
        (out / YEAR / GROUP).symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    result = invoke("build", make_workbook(content), "-o", out)
    assert result.exit_code == 1
    assert "ссылка на" in result.stderr and "за пределы папки результатов" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_link_inside_the_output_folder_is_followed(content: dict, make_workbook: Callable,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "архив").mkdir(parents=True)
    try:
        (out / YEAR).symlink_to(out / "архив", target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    assert invoke("build", make_workbook(content), "-o", out).exit_code == 0
    assert list((out / "архив" / GROUP).glob("*.docx"))


# --- defects 5 and 6: killed processes ----------------------------------------------------


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper that is not docgen does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return bool(condition())


HANGING_SOFFICE = """#!{python}
import os, sys, time
from pathlib import Path
Path(os.environ["FAKE_SOFFICE_PID"]).write_text(str(os.getpid()))
time.sleep(300)
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_killed_during_pdf_leaves_no_libreoffice_and_no_copies(how: str, tmp_path: Path) -> None:
    """Defect 5: docgen killed while «LibreOffice» (a hanging stand-in) converts."""
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc")
    program = tmp_path / "soffice"
    program.write_text(HANGING_SOFFICE.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    system = tmp_path / "tmp"
    system.mkdir()
    pid_file = tmp_path / "soffice.pid"
    env = {**os.environ, "TMPDIR": str(system), "PYTHONPATH": str(REPO),
           "DOCGEN_SOFFICE": str(program), "FAKE_SOFFICE_PID": str(pid_file)}
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(REPO / "data" / "klin-masterskaya.xlsx"),
         "-o", str(tmp_path / "out"), "--pdf"], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_until(pid_file.exists, 60), "LibreOffice was never started"
        soffice = int(pid_file.read_text())
        assert list(system.glob("docgen-pdf-*"))
        process.send_signal(getattr(signal, how))
        process.wait(timeout=30)
        assert wait_until(lambda: not processes_with(str(program)), 15), "LibreOffice left"
        assert wait_until(lambda: not list(system.glob("docgen-pdf-*")), 15), "copies left"
        # a process on its way out has lost its command line before its state says so
        assert wait_until(lambda: not running(soffice), 15), "LibreOffice still runs"
        if how != "SIGKILL":
            stderr = process.stderr.read().decode() if process.stderr else ""
            assert "Прервано." in stderr and "Traceback" not in stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in processes_with(str(program)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if process.stderr:
            process.stderr.close()


def test_a_staging_folder_of_a_dead_run_is_swept(tmp_path: Path) -> None:
    """Defect 5, the next start: a dead run's copies are removed, a live run's kept."""
    from docgen.runtime import lifetime

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, timeout=30)
    stale = tmp_path / f"{lifetime.STAGING_PREFIX}{dead.stdout.strip()}-abc"
    live = tmp_path / f"{lifetime.STAGING_PREFIX}{os.getpid()}-abc"
    for folder in (stale, live):
        (folder / "chunk-1" / "docx").mkdir(parents=True)
        (folder / "chunk-1" / "docx" / "0000.docx").write_bytes(b"a copy with phone numbers")
    assert lifetime.sweep_stale(tmp_path) == [stale]
    assert not stale.exists() and live.exists()


@pytest.mark.slow
def test_batch_workers_end_with_a_killed_parent(content: dict, make_workbook: Callable,
                                                tmp_path: Path) -> None:
    """Defect 6: SIGKILL to the main process of `--jobs 2`; its workers must not stay."""
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc")
    books = tmp_path / "книги"
    books.mkdir()
    for n in range(4):
        other = copy.deepcopy(content)
        other["Группа"]["Название"] = f"Группа {n}"
        make_workbook(other, f"книги/{n}.xlsx")
    slow = tmp_path / "шаблоны"
    slow.mkdir()
    import docx

    doc = docx.Document()
    doc.add_paragraph("{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}"
                      "{% endfor %}{% for a in range(1000) %}{% for b in range(1000) %}"
                      "{% endfor %}{% endfor %}")
    doc.save(str(slow / "protocol.docx"))
    marker = str(tmp_path / "out-killed")
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(books), "-o", marker, "--jobs", "2",
         "--templates", str(slow)], env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: len(processes_with(marker)) >= 3, 60), "no workers started"
        time.sleep(0.5)
        process.kill()
        process.wait(timeout=30)
        assert wait_until(lambda: not processes_with(marker), 15), processes_with(marker)
    finally:
        for pid in processes_with(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
