"""Nothing docgen starts outlives it: batch workers, LibreOffice, staging folders.

A clerk (or Windows at log-off) may end docgen any way, SIGKILL included, which
no handler sees. So what docgen starts is tied to docgen's own life from the
other side:

* a batch worker ends when its parent is gone (``die_with_parent``);
* LibreOffice and the PDF staging folder are watched by a small reaper process
  (``Reaper``) that reads a pipe from docgen: when the pipe closes without a
  «done» (docgen was killed), it kills the LibreOffice processes still listed
  and removes the staging folder, which holds copies of every document
  (names, phones, e-mails);
* a staging folder of a run that died anyway (a power cut) is removed at the
  next start (``sweep_stale``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STAGING_PREFIX = "docgen-pdf-"  # + «<pid>-» + a random part, in the system temp folder
STALE_SECONDS = 24 * 3600  # where a process id cannot be checked: a day-old folder is stale


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends (call first thing in a child process)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="docgen-parent-watch").start()


def _watch_parent(parent: int) -> None:
    """Elsewhere than Linux (and as a second net): poll the parent once a second."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent or not alive(parent):
            os._exit(1)


def end_children(seconds: float = 5.0) -> None:
    """End this process's multiprocessing children (a stopping server's pool workers).

    SIGTERM first, SIGKILL for any still there after ``seconds``.
    """
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + seconds
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(1.0)


def leave_when_busy(grace: float = 3.0) -> None:
    """After a server has stopped: end the process now if work threads are still busy.

    A build's thread may be waiting for LibreOffice, and Python waits for such
    threads at exit: the server would hang for minutes after «Сервер остановлен.».
    Ending the process is safe here: the ``Reaper`` of each LibreOffice run then
    kills LibreOffice and removes its copies, and docgen's writes are atomic.
    """
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is threading.current_thread() or thread.daemon:
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
    busy = [t for t in threading.enumerate()
            if t is not threading.current_thread() and not t.daemon and t.is_alive()]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (never signals it)."""
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def staging_folder() -> Path:
    """A new PDF staging folder, named with this process id (see ``sweep_stale``)."""
    sweep_stale()
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-"))


def sweep_stale(where: Path | None = None) -> list[Path]:
    """Remove staging folders of docgen runs that are no longer running; returns them."""
    base = Path(where or tempfile.gettempdir())
    removed = []
    try:
        candidates = list(base.glob(f"{STAGING_PREFIX}*"))
    except OSError:
        return []
    for folder in candidates:
        pid_text, dash, _rest = folder.name[len(STAGING_PREFIX):].partition("-")
        try:
            if dash and pid_text.isdigit():
                dead = not alive(int(pid_text))
            else:  # an older docgen's folder, without its process id
                dead = time.time() - folder.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if dead and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


_REAPER = r"""
import os, shutil, signal, subprocess, sys
root = sys.argv[1]
live = set()
for line in sys.stdin:
    word, _, value = line.strip().partition(" ")
    if word == "start":
        live.add(int(value))
    elif word == "end":
        live.discard(int(value))
    elif word == "done":
        sys.exit(0)
for pid in live:
    try:
        if os.name == "nt":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True)
        else:
            os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
shutil.rmtree(root, ignore_errors=True)
"""


class Reaper:
    """A watcher process that cleans up after a killed docgen (see the module's text).

    ``started``/``ended`` tell it each LibreOffice process (its process group on
    POSIX); ``close`` says docgen finished by itself, so it does nothing.
    """

    def __init__(self, root: Path) -> None:
        extra: dict[str, object] = {}
        if os.name == "nt":
            extra["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
                subprocess, "CREATE_NO_WINDOW", 0)
        else:
            extra["start_new_session"] = True  # a Ctrl+C or SIGHUP to docgen's group spares it
        self._lock = threading.Lock()
        try:
            self._process: subprocess.Popen[str] | None = subprocess.Popen(
                [sys.executable, "-c", _REAPER, str(root)], stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
                **extra)  # type: ignore[call-overload]
        except OSError:
            self._process = None  # no watcher: the in-process cleanup still runs

    def _say(self, line: str) -> None:
        with self._lock:
            if self._process is None or self._process.stdin is None:
                return
            try:
                self._process.stdin.write(line + "\n")
                self._process.stdin.flush()
            except (OSError, ValueError):
                pass

    def started(self, pid: int) -> None:
        self._say(f"start {pid}")

    def ended(self, pid: int) -> None:
        self._say(f"end {pid}")

    def close(self) -> None:
        """docgen cleaned up itself: the watcher ends without touching anything."""
        self._say("done")
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
