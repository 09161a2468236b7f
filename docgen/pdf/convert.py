"""PDF copies of documents, made by LibreOffice (``soffice --headless``).

A LibreOffice start costs a second or more, so one process converts a whole
chunk of files; with ``instances`` > 1 several run side by side, each with its
own temporary profile (never the clerk's own, which a running LibreOffice
locks). Opening a file costs LibreOffice about 0.15 s however small it is, so
the documents of one folder are converted together, as one combined file whose
PDF is cut back into one PDF per document (``pdf_combine``: two to four times
as fast); a document that cannot be combined, or a combined file that fails, is
converted alone as before. Nothing here knows about manifests: .docx files in,
PDFs in a temporary folder out; docgen.api.pdf puts them beside the documents.
"""

from __future__ import annotations

import hashlib
import math
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import LibreOfficeNotFound, PdfError

ENV = "DOCGEN_SOFFICE"  # the path of soffice (or of LibreOffice's folder), if not found
COMBINE_ENV = "DOCGEN_PDF_COMBINE"  # «0»: convert every document alone (as before issue 19)
CHUNK = 100  # files per LibreOffice start: a start costs about as much as 10-20 files
# documents per LibreOffice start when combined: a start costs about as much as 20-40 of them
COMBINED_CHUNK = 400
EXPORT = "pdf:writer_pdf_Export"
# the same, with bookmarks as named destinations: where each combined document starts
EXPORT_MARKED = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
                 '{"type":"boolean","value":"true"}}')
STALL = 120.0  # seconds without a new PDF (the first one includes the start): hung
# free bytes in the temporary folder under which a failed LibreOffice is taken to have
# failed for want of room (its profile and own temporary files take a few MB; a full
# folder makes it exit with English lines such as «Fatal Error: … cannot be started»)
LOW_SPACE = 16 * 1024 * 1024
DOWNLOAD = "https://ru.libreoffice.org/download/"
NOT_FOUND = (f"LibreOffice не найден: PDF не созданы. Установите LibreOffice ({DOWNLOAD}) или "
             f"укажите путь к soffice в переменной {ENV}.")


def usual_places(environ: Mapping[str, str]) -> list[Path]:
    """Where LibreOffice's installer puts soffice when it is not on PATH (Windows, macOS)."""
    if os.name != "nt":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
                Path("/opt/libreoffice/program/soffice")]
    roots = [environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
    roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
    return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots if r]


def _in_folder(folder: Path) -> Path | None:
    """soffice in LibreOffice's folder or its «program» subfolder (DOCGEN_SOFFICE=C:\\…)."""
    for sub in (folder, folder / "program", folder / "Contents" / "MacOS"):
        for name in ("soffice.exe", "soffice", "libreoffice"):
            if (sub / name).is_file():
                return sub / name
    return None


def find_soffice(environ: Mapping[str, str] | None = None) -> Path:
    """LibreOffice's soffice: ``DOCGEN_SOFFICE``, then PATH, then the usual install places.

    Raises LibreOfficeNotFound with the one line a clerk is shown.
    """
    env = os.environ if environ is None else environ
    override = env.get(ENV, "").strip().strip('"')
    if override:
        path = Path(override)
        found = _in_folder(path) if path.is_dir() else (path if path.is_file() else None)
        if found is None:
            usual = (r"soffice.exe (обычно C:\Program Files\LibreOffice\program\soffice.exe)"
                     if os.name == "nt" else "программе soffice")
            raise LibreOfficeNotFound(
                f"LibreOffice не найден: в переменной {ENV} указано «{override}», но там нет "
                f"программы soffice; PDF не созданы. Укажите полный путь к {usual}.")
        return found
    for name in ("soffice", "libreoffice"):
        found_on_path = shutil.which(name, path=env.get("PATH"))
        if found_on_path:
            return Path(found_on_path)
    for candidate in usual_places(env):
        if candidate.is_file():
            return candidate
    raise LibreOfficeNotFound(NOT_FOUND)


@dataclass(frozen=True)
class Converted:
    """One file's outcome: its PDF (in a temporary folder) or why there is none.

    ``sha256`` is of the .docx bytes that were converted, for telling later
    whether the PDF is still that document's.
    """

    source: Path
    sha256: str
    pdf: Path | None = None
    error: PdfError | None = None


def chunks(count: int, instances: int, size: int = CHUNK) -> list[range]:
    """Index ranges of about equal chunks: at least one per instance, none over ``size``."""
    if count <= 0:
        return []
    parts = max(min(instances, count), math.ceil(count / size))
    step = math.ceil(count / parts)
    return [range(start, min(start + step, count)) for start in range(0, count, step)]


def command(soffice: Path, profile: Path, out_dir: Path, files: Sequence[Path],
            export: str = EXPORT) -> list[str]:
    """The command that converts ``files`` to PDFs in ``out_dir`` in one LibreOffice start."""
    return [str(soffice), "--headless", "--invisible", "--norestore", "--nolockcheck",
            "--nodefault", "--nologo", f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to", export, "--outdir", str(out_dir),
            *(str(f) for f in files)]


def _count(folder: Path) -> int:
    try:
        return len(os.listdir(folder))
    except OSError:
        return 0


class _Runner:
    """Runs LibreOffice calls; remembers the live ones so an interrupt can end them."""

    def __init__(self, soffice: Path, stall: float, reaper: Any = None) -> None:
        self.soffice = soffice
        self.stall = stall
        self.reaper = reaper  # lifetime.Reaper: kills LibreOffice if docgen is killed
        self.stopped = threading.Event()
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def run(self, profile: Path, out_dir: Path, files: list[Path],
            export: str = EXPORT) -> tuple[str, str]:
        """Convert ``files`` into ``out_dir``: (how it ended, LibreOffice's error lines).

        How it ended: «ok», «exit N», «stall» (killed: no new PDF for ``stall``
        seconds), «stopped» (killed: interrupted) or «не запускается (…)».
        """
        extra: dict[str, object] = {}
        if os.name == "nt":
            extra["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
                subprocess, "CREATE_NO_WINDOW", 0)
        else:
            extra["start_new_session"] = True  # its children die with it on a hang
        log = out_dir.parent / "soffice.log"
        # LibreOffice's own temporary files (lu*.tmp: copies of the documents, with the
        # people's names) go into docgen's staging folder, which is removed after the run,
        # by the Reaper if docgen is killed, or by the next start (``sweep_stale``)
        try:
            own_tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=out_dir.parent))
        except OSError as exc:
            return f"не запускается ({exc.strerror or exc})", ""
        environ = {**os.environ, "TMPDIR": str(own_tmp), "TMP": str(own_tmp),
                   "TEMP": str(own_tmp)}
        with open(log, "wb") as output:
            try:
                process = subprocess.Popen(command(self.soffice, profile, out_dir, files,
                                                   export),
                                           stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, env=environ,
                                           **extra)  # type: ignore[call-overload]
            except OSError as exc:
                shutil.rmtree(own_tmp, ignore_errors=True)
                return f"не запускается ({exc.strerror or exc})", ""
            with self._lock:
                self._live.add(process)
            if self.reaper is not None:
                self.reaper.started(process.pid)
            try:
                outcome = self._wait(process, out_dir)
            finally:
                with self._lock:
                    self._live.discard(process)
                if self.reaper is not None:
                    self.reaper.ended(process.pid)
                shutil.rmtree(own_tmp, ignore_errors=True)
        if outcome != "stopped" and _free(out_dir) < LOW_SPACE:
            return "nospace", ""  # whatever LibreOffice said of it, in English
        try:
            said = log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            said = []
        errors = [line.strip() for line in said if "error" in line.lower()]
        return outcome, "; ".join(dict.fromkeys(errors[-3:]))

    def _wait(self, process: subprocess.Popen[bytes], out_dir: Path) -> str:
        done, progress = 0, time.monotonic()
        while True:
            try:
                code = process.wait(timeout=0.2)
                return "ok" if code == 0 else f"exit {code}"
            except subprocess.TimeoutExpired:
                pass
            if self.stopped.is_set():
                self.kill(process)
                return "stopped"
            made = _count(out_dir)
            if made > done:
                done, progress = made, time.monotonic()
            elif time.monotonic() - progress > self.stall:
                self.kill(process)
                return "stall"

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """End LibreOffice and what it started (soffice is a launcher of soffice.bin)."""
        try:
            if os.name == "nt":
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                               capture_output=True, check=False)
            else:
                os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            process.kill()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def stop(self) -> None:
        self.stopped.set()
        with self._lock:
            live = list(self._live)
        for process in live:
            self.kill(process)


def _free(folder: Path) -> int:
    """Free bytes on the disk of ``folder`` (a large number when it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return LOW_SPACE * 1024


def no_room_reason() -> str:
    """The one line for a LibreOffice that failed in a full temporary folder."""
    from docgen.runtime.files import mount_point

    where = Path(tempfile.gettempdir())
    return (f"во временной папке {where} не хватает места для LibreOffice: освободите место "
            f"на диске {mount_point(where)} или укажите другую временную папку (переменная "
            f"TMPDIR, в Windows — TEMP) и повторите")


def _reason(outcome: str, stall: float, tail: str) -> str:
    if outcome == "nospace":
        return no_room_reason()
    if outcome == "stall":
        return (f"LibreOffice не отвечал {stall:.0f} с на этом документе и был остановлен; "
                f"откройте документ в Word и проверьте его")
    if outcome.startswith("exit"):
        said = f": {tail}" if tail else ""
        return f"LibreOffice завершился с ошибкой (код {outcome.split()[1]}){said}"
    if outcome == "stopped":
        return "преобразование прервано"
    if outcome != "ok":
        return f"LibreOffice {outcome}"  # «не запускается (…)»
    return "LibreOffice не смог преобразовать документ" + (f" ({tail})" if tail else "")


def _convert_chunk(runner: _Runner, profiles: queue.Queue[Path], work: Path,
                   paths: list[Path], export: str = EXPORT) -> list[Converted]:
    """Convert one chunk; after a crash or hang, the rest of the chunk is tried again.

    LibreOffice converts files in the order given, so after a hang the first
    file without a PDF is the one it hung on: that one is reported, the files
    after it get another start. Two starts in a row with nothing made end the
    chunk (LibreOffice itself is broken, not a document).
    """
    results: dict[Path, Converted] = {}
    pending = []
    for n, path in enumerate(paths):
        try:
            pending.append(_stage(work / "docx", n, path))
        except PdfError as exc:
            results[path] = Converted(path, "", error=exc)
    out_dir = work / "pdf"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from docgen.runtime.files import os_problem

        error = PdfError(os_problem(exc, out_dir, writing=True))
        return [results.get(p) or Converted(p, "", error=error) for p in paths]
    profile = profiles.get()
    try:
        barren = 0
        while pending and not runner.stopped.is_set():
            outcome, tail = runner.run(profile, out_dir, [copy for _, copy, _ in pending],
                                       export)
            left = []
            for source, copy, digest in pending:
                pdf = out_dir / f"{copy.stem}.pdf"
                if pdf.is_file() and pdf.stat().st_size > 0:
                    results[source] = Converted(source, digest, pdf)
                else:
                    left.append((source, copy, digest))
            barren = 0 if len(left) < len(pending) else barren + 1
            if not left:
                break
            if outcome in ("ok", "stopped", "nospace") or barren >= 2 \
                    or outcome.startswith("не "):
                for source, _, digest in left:  # LibreOffice finished without them
                    results[source] = Converted(source, digest, error=PdfError(
                        _reason(outcome, runner.stall, tail), file=source))
                break
            source, _, digest = left[0]  # the one it crashed or hung on
            results[source] = Converted(source, digest, error=PdfError(
                _reason(outcome, runner.stall, tail), file=source))
            pending = left[1:]
    finally:
        profiles.put(profile)
    return [results[p] for p in paths if p in results]


def _convert_combined(runner: _Runner, profiles: queue.Queue[Path], work: Path,
                      paths: list[Path]) -> list[Converted]:
    """Convert one chunk, each group's documents as one combined file (see ``pdf_combine``).

    What cannot be combined is converted alone in the same LibreOffice start;
    the documents of a combined file that fails or cannot be cut are converted
    again, alone, in another start: a bad document still costs only itself.
    """
    from docgen.pdf import combine as pdf_combine

    batch = pdf_combine.Batch()
    parts = []
    for path in paths:
        try:
            parts.append(pdf_combine.read(path.read_bytes(), batch))
        except OSError:  # _convert_chunk reports it, in the clerk's words
            parts.append(pdf_combine.Part({}, None))
    alone: list[Path] = []
    combined: dict[Path, list[int]] = {}
    folder = work / "combined"
    for unit in pdf_combine.units([p.parent for p in paths], parts):
        if len(unit) == 1:
            alone.append(paths[unit[0]])
            continue
        target = folder / f"{len(combined):04d}.docx"
        try:
            data = pdf_combine.combine([parts[n] for n in unit])
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except Exception:  # any surprise in a document: convert it alone
            alone += [paths[n] for n in unit]
            continue
        combined[target] = unit
    results: dict[Path, Converted] = {}
    again: list[Path] = []
    for converted in _convert_chunk(runner, profiles, work / "first", alone + list(combined),
                                    EXPORT_MARKED if combined else EXPORT):
        unit = combined.get(converted.source)
        if unit is None:
            results[converted.source] = converted
            continue
        sources = [paths[n] for n in unit]
        pdfs = [work / "split" / f"{converted.source.stem}-{n:03d}.pdf" for n in range(len(unit))]
        if converted.pdf is None and runner.stopped.is_set():  # interrupted: no second try
            results.update((paths[n], Converted(paths[n], parts[n].sha256,
                                                error=converted.error)) for n in unit)
            continue
        try:
            if converted.pdf is None:
                raise ValueError("not converted")
            pdfs[0].parent.mkdir(parents=True, exist_ok=True)
            pdf_combine.split(converted.pdf, len(unit), pdfs,
                              [pdf_combine.title(parts[n]) for n in unit])
        except Exception:  # pypdf raises many kinds: convert them alone
            again += sources
            continue
        for source, made, n in zip(sources, pdfs, unit, strict=True):
            results[source] = Converted(source, parts[n].sha256, made)
    if again and not runner.stopped.is_set():
        for converted in _convert_chunk(runner, profiles, work / "again", again):
            results[converted.source] = converted
    return [results[p] for p in paths if p in results]


def _stage(folder: Path, n: int, path: Path) -> tuple[Path, Path, str]:
    """Copy a file under a plain numbered name: (the file, its copy, sha256 of its bytes).

    Two groups' «03 Положение.docx» would make the same PDF name, and plain
    ASCII names keep any command line and any LibreOffice version happy.
    """
    from docgen.runtime.files import os_problem

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PdfError(os_problem(exc, path, writing=False), file=path) from exc
    copy = folder / f"{n:04d}.docx"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
    except OSError as exc:  # the system temp folder is full or closed to docgen
        import errno

        copy.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):  # as LibreOffice's own
            raise PdfError(no_room_reason(), file=path) from exc
        raise PdfError(f"временная копия для LibreOffice не записана: "
                       f"{os_problem(exc, copy, writing=True)}", file=path) from exc
    return path, copy, hashlib.sha256(data).hexdigest()


def combining(environ: Mapping[str, str] | None = None) -> bool:
    """Whether documents are converted combined: unless ``DOCGEN_PDF_COMBINE=0``."""
    env = os.environ if environ is None else environ
    return env.get(COMBINE_ENV, "").strip() != "0"


def convert(paths: Sequence[Path], soffice: Path, instances: int = 1,
            chunk_size: int | None = None, stall: float = STALL,
            combine: bool | None = None) -> Iterator[list[Converted]]:
    """Convert every .docx of ``paths``, ``instances`` LibreOffice processes at a time.

    Yields each chunk's results as the chunk finishes; its PDFs stay in a
    temporary folder until the generator is resumed (move or read them before).
    A file that cannot be read or converted has ``error`` and costs only itself.
    Closing the generator early (an interrupt) ends the LibreOffice processes.
    ``combine`` (by default: ``combining()``) converts each folder's documents
    as one combined file where they can be; ``chunk_size`` is then in documents.
    """
    combine = combining() if combine is None else combine
    if combine:  # a folder's documents next to each other, so that they meet in one chunk
        first: dict[Path, int] = {}
        for path in paths:
            first.setdefault(Path(path).parent, len(first))
        paths = sorted(paths, key=lambda p: first[Path(p).parent])
    size = chunk_size or (COMBINED_CHUNK if combine else CHUNK)
    parts = chunks(len(paths), instances, size)
    if not parts:
        return
    from docgen.runtime import lifetime
    from docgen.runtime.files import os_problem

    instances = max(1, min(instances, len(parts)))
    try:
        root = lifetime.staging_folder()
    except OSError as exc:
        where = Path(tempfile.gettempdir())
        raise PdfError(f"PDF не созданы: во временной папке {where} нельзя создать папку для "
                       f"LibreOffice — {os_problem(exc, where / 'docgen-pdf', writing=True)}"
                       ) from exc
    reaper = lifetime.Reaper(root)
    runner = _Runner(soffice, stall, reaper)
    profiles: queue.Queue[Path] = queue.Queue()
    for n in range(instances):
        profiles.put(root / f"profile-{n + 1}")
    pool = ThreadPoolExecutor(max_workers=instances, thread_name_prefix="soffice")
    try:
        work = _convert_combined if combine else _convert_chunk
        futures = {pool.submit(work, runner, profiles, root / f"chunk-{n + 1}",
                               [paths[i] for i in part]): root / f"chunk-{n + 1}"
                   for n, part in enumerate(parts)}
        for future in as_completed(futures):
            yield future.result()
            shutil.rmtree(futures[future], ignore_errors=True)
    finally:
        runner.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(root, ignore_errors=True)
        reaper.close()
