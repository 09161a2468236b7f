"""A real `docgen serve` process: killed, interrupted or stopped while it builds, it leaves
nothing running (pool workers, multiprocessing's resource tracker) and says nothing English.

Every server here listens on 127.0.0.1 and is ended by its own process id.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")]


def children_of(pid: int) -> set[int]:
    """Every living descendant of ``pid`` (Linux /proc), zombies left out."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return bool(condition())  # type: ignore[operator]


# under docgen's loop limit, ~8 s a protocol: a build of three protocols runs ~25 s
SLOW_TEMPLATE_LOOPS = ("{% for a in range(1400) %}{% for b in range(1400) %}"
                       "{% set c = (a * b) ~ '-' ~ (b * a) %}{% endfor %}{% endfor %}")


class Server:
    """`docgen serve --port 0` in its own session; ``url`` once it listens."""

    def __init__(self, tmp_path: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docgen", "serve", "--port", "0", "--no-browser", "-o",
             str(tmp_path / "out"), *extra],
            env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (self.process.stderr.read() if self.process.stderr else "")
        self.url = found.group(0)
        for _ in range(3):  # the rest of the greeting: the pool has started by then
            self.process.stdout.readline()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path.lstrip("/"), timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict[str, str],
             files: dict[str, tuple[str, bytes]] | None = None) -> str:
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                     f"{value}\r\n").encode()
        for name, (filename, data) in (files or {}).items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                     f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream"
                     f"\r\n\r\n").encode() + data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + path.lstrip("/"), data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.opener.open(request, timeout=60) as response:
            return response.geturl()

    def start_build(self, workbook: Path) -> None:
        """Upload ``workbook`` and press «Сформировать документы»."""
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.get("/"))
        assert csrf
        page = self.post("/upload", {"csrf": csrf.group(1)},
                         {"files": (workbook.name, workbook.read_bytes())})
        upload = page.rstrip("/").rsplit("/", 1)[-1]
        self.post(f"/u/{upload}/build", {"csrf": csrf.group(1), "bundle": "1"})

    def end(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


@pytest.fixture
def slow_templates(tmp_path: Path) -> Path:
    """A clerk's protocol template that keeps a build busy for many seconds."""
    import docx

    folder = tmp_path / "шаблоны"
    folder.mkdir()
    doc = docx.Document()
    doc.add_paragraph(SLOW_TEMPLATE_LOOPS)
    doc.save(str(folder / "protocol.docx"))
    return folder


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    from web_support import without_photos

    return without_photos(REPO / "data" / "klin-masterskaya.xlsx", tmp_path / "клин.xlsx")


def building(server: Server) -> set[int]:
    """The server's descendants once a worker is busy (its CPU time grows)."""
    def cpu(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except OSError:
            return 0

    before = {pid: cpu(pid) for pid in children_of(server.process.pid)}
    assert wait_until(lambda: any(cpu(pid) - used > 50 for pid, used in before.items()), 30), \
        "no build is running"
    return children_of(server.process.pid)


def test_sigkill_of_the_server_leaves_no_worker_and_no_resource_tracker(
        tmp_path: Path, slow_templates: Path, workbook: Path) -> None:
    server = Server(tmp_path, "--jobs", "2", "--templates", str(slow_templates))
    try:
        server.start_build(workbook)
        left = building(server)
        assert len(left) >= 3, left  # two workers and multiprocessing's resource tracker
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=30)
        assert wait_until(lambda: not any(running(pid) for pid in left), 10), \
            [Path(f"/proc/{pid}/cmdline").read_bytes()[:120] for pid in left if running(pid)]
    finally:
        server.end()
        for pid in left if "left" in locals() else ():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C", "Ctrl+C idle"])
def test_stopping_the_server_while_it_builds_takes_seconds_and_says_so_in_russian(
        tmp_path: Path, slow_templates: Path, workbook: Path, how: str) -> None:
    server = Server(tmp_path, "--jobs", "2", "--templates", str(slow_templates))
    left: set[int] = set()
    try:
        if how != "Ctrl+C idle":
            server.start_build(workbook)
            left = building(server)
        else:
            left = children_of(server.process.pid)
        started = time.monotonic()
        if how == "SIGTERM":
            os.kill(server.process.pid, signal.SIGTERM)
        else:  # a terminal's Ctrl+C: SIGINT to the whole foreground process group
            os.killpg(server.process.pid, signal.SIGINT)
        out, err = server.process.communicate(timeout=30)
        took = time.monotonic() - started
        assert took < 10, f"the server took {took:.1f} s to stop"
        assert "Сервер остановлен." in out
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert not re.search(r"[A-Za-z]{4,}", err), err  # nothing English either
        assert server.process.returncode in (0, 1), server.process.returncode
        assert wait_until(lambda: not any(running(pid) for pid in left), 10)
    finally:
        server.end()
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def no_servers_left(server: Server) -> Iterator[None]:
    try:
        yield
    finally:
        server.end()


def test_a_rebound_host_gets_no_archive_from_a_real_server(tmp_path: Path) -> None:
    server = Server(tmp_path)
    with no_servers_left(server):
        request = urllib.request.Request(server.url + "archive",
                                         headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 421
        assert "Неверный адрес сервера" in refused.value.read().decode()
        assert "Архив" in server.get("/archive")
