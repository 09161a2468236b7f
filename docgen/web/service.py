"""The server's work, without the web: uploads, checks, background builds, the archive.

Every check, build, blank and registry goes through ``docgen.api``, as the CLI's
do. Builds run in one bounded pool of processes shared by all clerks; a clerk's
upload, its results and their download ids belong to that clerk's session only.
Files are handed out by random ids mapped to paths the server wrote, never by a
path from a request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_urlsafe
from typing import Any, BinaryIO

from docgen.api.check import WORKBOOK_SUFFIXES
from docgen.errors import DocgenError, PdfError
from docgen.web import state_folder
from docgen.web.uploads import MAX_FILES, Intake, UploadError

UPLOADS = "uploads"  # per upload: its workbooks, annotated copies, zip; removed after a day
BOOKS = "books"  # the workbooks of the archive's groups, by content hash: «Сформировать заново»
KEEP_SECONDS = 24 * 3600
_STORED = re.compile(r"\b([0-9a-f]{32})\.(?:xls[xm]?|ods)\b")  # a stored workbook in a message
ZIP_NAME = "Документы.zip"
MARKING = "Книга с пометками"  # the progress bar's phase while the marked copies are made
MARK_LATER = 1000  # problems from which a marked copy is made after the page is shown
BLANK_PDF_WAIT = 60.0  # seconds a blank's PDF waits for the others before the page says «busy»
BLANK_PDF_BUSY = "PDF бланка не создан: сервер занят PDF других бланков; повторите через минуту."


@dataclass
class FileRef:
    """A file the server made, handed out by ``id``; ``name`` is the download name."""

    id: str
    path: Path
    name: str


@dataclass
class Row:
    """One line of a workbook's problem table, as `docgen check` says it."""

    error: bool
    sheet: str
    cell: str
    message: str


@dataclass
class Book:
    """One workbook of an upload: its check, then its build."""

    name: str
    path: Path
    rows: list[Row] = field(default_factory=list)
    unreadable: str | None = None  # the file could not be read as a workbook
    group: str = ""
    kind: str = ""
    annotated: FileRef | None = None
    marking: bool = False  # its marked copy is being made, after the page is shown
    photos: list[str] = field(default_factory=list)  # its check's photos, from its folder
    documents_expected: int = 0  # what its build should write: the progress bar's share
    # after the build
    built: bool = False
    folder: str = ""  # «<учебный год>/<группа>» in the archive
    documents: list[tuple[FileRef, FileRef | None, str]] = field(default_factory=list)
    bundle: tuple[FileRef, FileRef | None] | None = None  # (docx, pdf)
    notes: list[str] = field(default_factory=list)  # skipped documents, kept hand edits
    failures: list[str] = field(default_factory=list)  # what was not written, and why

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.error)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if not r.error)

    @property
    def ok(self) -> bool:
        return self.unreadable is None and not self.errors

    @property
    def made(self) -> bool:
        """Built whole: every document written, nothing failed."""
        return self.built and not self.failures and bool(self.documents)

    def why_not(self) -> str:
        """Why the workbook has no complete set of documents, in a few words."""
        if self.unreadable is not None:
            return "книга не читается"
        if self.errors:
            return "в книге есть ошибки"
        if not self.built:
            return "не сформирована"
        return self.failures[0] if self.failures else "документы не записаны"


@dataclass
class Upload:
    """What one clerk sent at once, and what became of it."""

    id: str
    owner: str
    folder: Path
    created: float
    books: list[Book] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # a zip's «photos» that are not pictures
    state: str = "checked"  # checked → queued → running → done
    phase: str = ""
    done: int = 0
    total: int = 0
    pdf: bool = False
    bundle: bool = True
    archive: FileRef | None = None
    messages: list[str] = field(default_factory=list)  # said once for the whole upload
    marks_total: int = 0  # marked copies («Книга с пометками») made after the check
    marks_done: int = 0

    @property
    def marking(self) -> bool:
        """Its marked copies are still being made (the build need not wait for them)."""
        return self.marks_done < self.marks_total

    @property
    def buildable(self) -> list[Book]:
        return [b for b in self.books if b.ok]

    @property
    def outcome(self) -> str:
        """What the build came to, for the page's heading and «Ваши загрузки»:
        «Документы сформированы» only when every workbook of the upload built."""
        made = sum(1 for b in self.books if b.made)
        if self.state != "done":
            return ""
        if made == len(self.books) and not self.messages:
            return "Документы сформированы"
        if not made:
            return "Документы не сформированы"
        return "Документы сформированы частично"

    @property
    def unmade(self) -> list[Book]:
        """The workbooks left without their documents (or with some missing)."""
        return [b for b in self.books if not b.made] if self.state == "done" else []

    def outcome_line(self) -> str:
        """The outcome in one line: how many workbooks built and which did not."""
        made = sum(1 for b in self.books if b.made)
        if self.state != "done" or made == len(self.books):
            return ""
        missing = "; ".join(f"«{b.name}» — {b.why_not()}" for b in self.unmade)
        return (f"Документы сформированы по книгам: {made} из {len(self.books)}. "
                f"Не сформированы: {missing}.")

    def status(self) -> dict[str, Any]:
        """What the page's progress bar polls: the build's, else the marked copies'."""
        if self.state in ("checked", "done") and self.marking:
            return {"state": "running", "phase": MARKING, "done": self.marks_done,
                    "total": self.marks_total}
        return {"state": self.state, "phase": self.phase, "done": self.done,
                "total": self.total}


@dataclass
class ArchiveGroup:
    """A group folder of the archive: its documents and whether it can be rebuilt."""

    id: str
    name: str
    kind: str
    files: list[FileRef]
    rebuildable: bool


@dataclass
class ArchiveYear:
    name: str
    registry: FileRef | None
    groups: list[ArchiveGroup]
    id: str = ""  # «Скачать год (.zip)»


class PdfBusy(PdfError):
    """Other blanks' PDFs kept the converter longer than a clerk should wait."""


class NotFound(LookupError):
    """No such upload or file for this clerk: the page says 404, nothing more."""


def rows_of(result: Any) -> list[Row]:
    from docgen.text import visible

    return [Row(p.is_error, visible(p.location.sheet or ""), _where(p.location),
                visible(p.message)) for p in result.problems]


def _where(location: Any) -> str:
    """The cell as `docgen check` names it, with whose row it is: «E6 (Белова Наталья)»."""
    from docgen.text import visible

    cell = location.cell or (f"строка {location.row}" if location.row is not None else "")
    if cell and location.label and location.row is not None:
        cell += f" ({visible(location.label)})"
    return cell


class Service:
    """All uploads and builds of one `docgen serve`, shared by its request threads."""

    def __init__(self, out_dir: Path, templates: Path | None = None, jobs: int = 1,
                 processes: bool = True, keep_seconds: float = KEEP_SECONDS) -> None:
        self.out = Path(out_dir).resolve()
        self.templates = [Path(templates).resolve()] if templates else None
        self.state = state_folder(self.out)
        self.keep_seconds = keep_seconds
        self.jobs = max(1, jobs)
        self._lock = threading.RLock()
        self._registry_lock = threading.Lock()
        self._pdf_lock = threading.Semaphore(1)  # LibreOffice is heavy: one conversion at a time
        # a blank's PDF (one page, seconds) does not queue behind a build's hundred: its own
        # one conversion at a time, waited for at most ``blank_pdf_wait`` seconds
        self._blank_pdf_lock = threading.Semaphore(1)
        self.blank_pdf_wait = BLANK_PDF_WAIT
        self._uploads: dict[str, Upload] = {}
        self._files: dict[str, tuple[str, FileRef, str]] = {}  # id -> (owner, file, upload)
        self._archive_files: dict[str, tuple[str, FileRef]] = {}  # as last listed
        self._key = hashlib.sha256(token_urlsafe(32).encode()).digest()
        self.pool: Executor
        from docgen.web import worker

        self._build_one: Callable[..., Any] = worker.build_one
        if processes:
            import multiprocessing
            import os

            # spawn, not fork: a fork of this many-threaded server could inherit held locks;
            # each worker ends with the server, even a SIGKILLed one (``worker.start``)
            self.pool = ProcessPoolExecutor(self.jobs,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=worker.start, initargs=(os.getpid(),))
        else:
            # threads (tests, embedding): the output folders' OS locks hold between
            # processes only, so the builds take turns here
            self.pool = ThreadPoolExecutor(self.jobs, thread_name_prefix="docgen-build")
            self._build_one = _one_at_a_time(worker.build_one)
        self._runners = ThreadPoolExecutor(16, thread_name_prefix="docgen-job")
        self._closed = False

    # --- life -----------------------------------------------------------------------

    def start(self) -> None:
        """Create the folders, drop old uploads, start the pool's processes."""
        from docgen.runtime.lifetime import sweep_stale

        for sub in (UPLOADS, BOOKS):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        self.clean()
        sweep_stale()  # LibreOffice copies of a killed earlier run (their own lu*.tmp inside)
        if isinstance(self.pool, ProcessPoolExecutor):
            from docgen.web import worker

            for future in [self.pool.submit(worker.warm) for _ in range(self.jobs)]:
                future.result()

    def close(self) -> None:
        """Stop now: queued builds are dropped and running ones end with their workers.

        Waiting for a build would keep a stopped server running for minutes; what
        a cut build wrote is whole or absent (writes are atomic), and «Сформировать
        заново» makes it again.
        """
        self._closed = True
        self._runners.shutdown(wait=False, cancel_futures=True)
        self.pool.shutdown(wait=False, cancel_futures=True)
        if isinstance(self.pool, ProcessPoolExecutor):
            from docgen.runtime.lifetime import end_children

            end_children()

    def clean(self, now: float | None = None) -> int:
        """Remove uploads older than a day, on disk and in memory; the archive stays."""
        now = time.time() if now is None else now
        removed = 0
        with self._lock:
            for upload in list(self._uploads.values()):
                if now - upload.created > self.keep_seconds \
                        and upload.state not in ("queued", "running"):
                    del self._uploads[upload.id]
                    self._files = {k: v for k, v in self._files.items() if v[2] != upload.id}
            live = {u.folder.name for u in self._uploads.values()}
        root = self.state / UPLOADS
        for folder in root.iterdir() if root.is_dir() else []:
            try:
                old = now - folder.stat().st_mtime > self.keep_seconds
            except OSError:
                continue
            if folder.name not in live and (old or not folder.is_dir()):
                shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() \
                    else folder.unlink(missing_ok=True)
                removed += 1
        return removed

    # --- ids --------------------------------------------------------------------------

    def _register(self, owner: str, upload_id: str, path: Path, name: str) -> FileRef:
        ref = FileRef(token_urlsafe(18), path, name)
        with self._lock:
            self._files[ref.id] = (owner, ref, upload_id)
        return ref

    def file(self, owner: str, file_id: str) -> FileRef:
        """The clerk's own file of this id (NotFound for another clerk's or none)."""
        with self._lock:
            found = self._files.get(file_id)
        if found is None or not hmac.compare_digest(found[0].encode(), owner.encode()) \
                or not found[1].path.is_file():
            raise NotFound(file_id)
        return found[1]

    def upload(self, owner: str, upload_id: str) -> Upload:
        with self._lock:
            found = self._uploads.get(upload_id)
        if found is None or not hmac.compare_digest(found.owner.encode(), owner.encode()):
            raise NotFound(upload_id)
        return found

    def uploads_of(self, owner: str) -> list[Upload]:
        """The clerk's own uploads still kept, newest first."""
        with self._lock:
            mine = [u for u in self._uploads.values()
                    if hmac.compare_digest(u.owner.encode(), owner.encode())]
        return sorted(mine, key=lambda u: u.created, reverse=True)

    # --- check ------------------------------------------------------------------------

    def receive(self, owner: str, files: list[tuple[BinaryIO, str]]) -> Upload:
        """Store an upload's workbooks and check each, as `docgen check --annotate` does."""
        if not files:
            raise UploadError("выберите одну или несколько книг Excel (.xlsx) или архив .zip")
        if len(files) > MAX_FILES:
            raise UploadError(f"за один раз можно загрузить не больше {MAX_FILES} файлов")
        upload_id = token_urlsafe(12)
        folder = self.state / UPLOADS / upload_id
        intake = Intake(folder)
        try:
            for stream, name in files:
                intake.add(stream, name)
            if not intake.books:
                raise UploadError("среди загруженных файлов нет книг Excel (.xlsx)" + (
                    ": " + "; ".join(intake.skipped) if intake.skipped else ""))
            upload = Upload(upload_id, owner, folder, time.time(), skipped=intake.skipped,
                            dropped=intake.dropped)
            marks: list[Callable[[], None]] = []
            for received in intake.books:
                upload.books.append(self._check(owner, upload_id, received.path,
                                                received.name, marks))
        except BaseException:  # nothing is left on disk behind a refused upload
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload.marks_total = len(marks)
        with self._lock:
            self._uploads[upload_id] = upload
        if marks:  # 18,000 problems take seconds to mark: not while the request waits
            self._runners.submit(self._mark, upload, marks)
        return upload

    def _mark(self, upload: Upload, marks: list[Callable[[], None]]) -> None:
        """Make an upload's marked copies, in a runner thread; the page polls ``status``."""
        for mark in marks:
            try:
                mark()
            except Exception:  # a bug: the table on the page still says it all
                import logging

                logging.getLogger("docgen.web").exception("marking failed")
            finally:
                with self._lock:
                    upload.marks_done += 1

    def _check(self, owner: str, upload_id: str, path: Path, name: str,
               later: list[Callable[[], None]] | None = None) -> Book:
        """One workbook's check, as `docgen check --annotate` does it; the marked copy is
        made at once, or appended to ``later`` for a runner thread to make."""
        from docgen.api.check import annotate, check_workbook

        result = check_workbook(path)
        book = Book(name, path)
        if result.error is not None:
            book.unreadable = result.error.message
            return book
        book.rows = rows_of(result)
        if result.group is not None:
            book.group, book.kind = result.group.name, result.group.kind.name
            book.photos = photos_of(result.group, path.parent)
            book.documents_expected = expected_documents(result.group)
        if any(p.location.row is not None or p.location.column is not None
               for p in result.problems):  # a cell to mark, not only the «Проверка» list
            def mark() -> None:
                try:
                    marked = annotate(path, result.problems)
                    stem = (name.rsplit(".", 1)[0] if name.lower().endswith(WORKBOOK_SUFFIXES)
                            else name)
                    book.annotated = self._register(owner, upload_id, marked,
                                                    f"{stem}.проверка.xlsx")
                except DocgenError:
                    pass  # the table on the page says it all; the copy is a convenience
                finally:
                    book.marking = False

            book.marking = True
            if later is None or len(result.problems) < MARK_LATER:  # a second at most
                mark()
            else:
                later.append(mark)
        return book

    # --- build ------------------------------------------------------------------------

    def start_build(self, owner: str, upload_id: str, pdf: bool = False,
                    bundle: bool = True) -> Upload:
        """Queue the upload's valid workbooks for building; the page then polls ``status``."""
        upload = self.upload(owner, upload_id)
        with self._lock:
            if upload.state in ("queued", "running"):
                return upload
            if not upload.buildable:
                raise UploadError("в загруженных книгах есть ошибки: исправьте их и загрузите "
                                  "книги снова")
            upload.state, upload.phase = "queued", "В очереди"
            upload.pdf = pdf
            # the bar counts documents (and their PDFs), not workbooks: each workbook's
            # share is what its check says its kind will write; corrected as results come
            upload.done = 0
            upload.total = sum(self._share(b, bundle, pdf) for b in upload.buildable)
            upload.bundle = bundle
            for book in upload.books:  # «ещё раз»: the page shows this build only
                book.built, book.folder, book.bundle = False, "", None
                book.documents, book.notes, book.failures = [], [], []
            upload.archive, upload.messages = None, []
        self._runners.submit(self._run, upload)
        return upload

    def _store(self, book: Book) -> Path:
        """The workbook kept for the archive with the photos its check found, by content.

        The build checks this copy again, so it must see what the upload's check saw:
        ``books/<digest>/<digest>.xlsx`` with each photo at its place relative to the
        workbook («семинар/01.jpg»); the digest covers the workbook and its photos.
        «Сформировать заново» rebuilds from it; ``books/<digest>.json`` keeps the
        clerk's name of the workbook for messages (``_named``).
        """
        books = self.state / BOOKS
        if _inside(book.path, books):
            return book.path
        root = book.path.parent
        digest_of = hashlib.sha256(book.path.read_bytes())
        for name in book.photos:
            digest_of.update(b"\0" + name.encode("utf-8") + b"\0")
            digest_of.update(hashlib.sha256((root / name).read_bytes()).digest())
        digest = digest_of.hexdigest()[:32]
        folder = books / digest
        target = folder / f"{digest}{book.path.suffix.lower()}"
        if not target.exists():
            books.mkdir(parents=True, exist_ok=True)
            tmp = books / f".{digest}.{token_urlsafe(4)}.tmp"
            try:
                tmp.mkdir()
                for name in book.photos:
                    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(root / name, tmp / name)
                shutil.copyfile(book.path, tmp / target.name)
                try:
                    tmp.rename(folder)
                except OSError:  # stored meanwhile by another build of the same files
                    if not target.exists():
                        raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        about = books / f"{digest}.json"
        text = json.dumps({"name": book.name}, ensure_ascii=False)
        tmp_about = books / f".{digest}.{token_urlsafe(4)}.json.tmp"
        tmp_about.write_text(text, "utf-8")
        tmp_about.replace(about)
        return target

    @staticmethod
    def _share(book: Book, bundle: bool, pdf: bool) -> int:
        """The steps of the progress bar a workbook's build is expected to take."""
        return (book.documents_expected + (1 if bundle else 0)) * (2 if pdf else 1)

    def _run(self, upload: Upload) -> None:
        """One upload's build, in a runner thread: its workbooks go to the shared pool."""
        from docgen.api.summary import write_registries

        try:
            run = uuid.uuid4().hex
            books = upload.buildable
            futures: dict[Future[Any], Book] = {}
            for book in books:
                stored = self._store(book)
                futures[self.pool.submit(self._build_one, stored, self.out, self.templates,
                                         run, upload.bundle)] = book
            with self._lock:
                upload.state, upload.phase = "running", "Формирование документов"
            results: list[Any] = []
            for future in as_completed(futures):
                book = futures[future]
                result = future.result()
                results.append(result)
                self._take(upload, book, result)
                written = len(result.written) + (1 if result.bundle is not None else 0)
                with self._lock:  # the expected share replaced by what was written
                    upload.done += written
                    upload.total += written * (2 if upload.pdf else 1) \
                        - self._share(book, upload.bundle, upload.pdf)
            with self._registry_lock:
                try:
                    write_registries(results)
                except DocgenError as exc:
                    upload.messages.append(f"Реестр документов не записан: {exc.message}")
            if upload.pdf:
                self._make_pdfs(upload, results)
            with self._lock:
                upload.phase = "Архив .zip"
            self._zip(upload)
            upload.phase = "Готово"
        except Exception as exc:  # a bug: the page says so in Russian, the server goes on
            if self._closed:  # the server stopped under it: nothing to say, nobody to see it
                return
            import logging

            logging.getLogger("docgen.web").exception("build failed")
            upload.messages.append(f"Внутренняя ошибка docgen ({type(exc).__name__}); "
                                   f"документы сформированы не полностью")
        finally:
            with self._lock:
                upload.state = "done"

    def _named(self, text: str) -> str:
        """A message with the stored workbooks' hash names replaced by the clerk's names."""
        def name(match: re.Match[str]) -> str:
            try:
                about = json.loads((self.state / BOOKS / f"{match[1]}.json").read_text("utf-8"))
                return str(about["name"])
            except (OSError, ValueError, KeyError, TypeError):
                return match[0]

        return _STORED.sub(name, text)

    def _take(self, upload: Upload, book: Book, result: Any) -> None:
        """What the page shows of one workbook's BuildResult."""
        book.built = True
        self._take_result(upload, book, result)
        book.failures = [self._named(f) for f in book.failures]

    def _take_result(self, upload: Upload, book: Book, result: Any) -> None:
        if result.crash is not None:
            book.failures.append(f"внутренняя ошибка docgen ({result.crash})")
            return
        if result.check.error is not None:
            book.failures.append(result.check.error.message)
            return
        if not result.check.ok:
            book.rows = rows_of(result.check)
            book.failures.append("документы не сформированы — в книге есть ошибки")
            return
        if result.error is not None:
            book.failures.append(result.error.message)
            return
        if result.folder is not None:
            book.folder = f"{result.folder.parent.name}/{result.folder.name}"
        for written in result.written:
            ref = self._register(upload.owner, upload.id, written.path, written.path.name)
            book.documents.append((ref, None, written.document.name))
            if written.kept is not None:
                book.notes.append(f"файл «{written.kept.name}» изменён вручную и сохранён; "
                                  f"новая версия записана рядом")
        for skipped in result.skipped:
            book.notes.append(f"пропущено: {skipped.reason}")
        for document, error in result.failed:
            book.failures.append(f"не записан документ «{document}»: {error}")
        if result.bundle is not None:
            bundle = self._register(upload.owner, upload.id, result.bundle, result.bundle.name)
            book.bundle = (bundle, None)

    def _make_pdfs(self, upload: Upload, results: list[Any]) -> None:
        from docgen.api.pdf import convert_to_pdf, pdf_sources
        from docgen.errors import LibreOfficeNotFound

        sources = pdf_sources(results)
        with self._lock:  # the bar goes on from the documents to their PDFs
            upload.total = upload.done + len(sources)
        if not sources:
            return
        with self._lock:
            upload.phase = "PDF"

        def step(n: int) -> None:
            with self._lock:
                upload.done += n

        with self._pdf_lock:
            try:
                made = convert_to_pdf(sources, jobs=1, progress=step)
            except LibreOfficeNotFound as exc:
                upload.messages.append(exc.message)
                return
        pdfs = {w.source: w.path for w in made.written}
        pdfs.update({p.with_suffix(".docx"): p for p in made.current})
        for book in upload.books:
            book.documents = [(doc, self._pdf(upload, pdfs, doc), title)
                              for doc, _pdf, title in book.documents]
            if book.bundle is not None:
                book.bundle = (book.bundle[0], self._pdf(upload, pdfs, book.bundle[0]))
        for source, error in made.failed:
            upload.messages.append(f"{source.name}: PDF не создан: {error.message}")

    def _pdf(self, upload: Upload, pdfs: dict[Path, Path], doc: FileRef) -> FileRef | None:
        found = pdfs.get(doc.path)
        return self._register(upload.owner, upload.id, found, found.name) if found else None

    def _zip(self, upload: Upload) -> None:
        """«Скачать все документы»: the upload's documents as «<год>/<группа>/<файл>»."""
        refs: list[tuple[str, FileRef]] = []
        for book in upload.books:
            for doc, pdf, _title in book.documents:
                refs += [(book.folder, doc)] + ([(book.folder, pdf)] if pdf else [])
            if book.bundle is not None:
                refs += [(book.folder, r) for r in book.bundle if r is not None]
        if not refs:
            return
        target = upload.folder / ZIP_NAME
        tmp = upload.folder / f".{token_urlsafe(6)}.tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
            seen: set[str] = set()
            for where, ref in refs:  # .docx and .pdf are compressed already: stored
                if f"{where}/{ref.name}" in seen:  # two workbooks of one group: one copy
                    continue
                seen.add(f"{where}/{ref.name}")
                member = zipfile.ZipInfo(f"{where}/{ref.name}", (1980, 1, 1, 0, 0, 0))
                member.external_attr = 0o644 << 16
                with ref.path.open("rb") as source, archive.open(member, "w") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
        tmp.replace(target)
        upload.archive = self._register(upload.owner, upload.id, target, ZIP_NAME)

    # --- blanks -----------------------------------------------------------------------

    def new_workbook(self, kind: str | None) -> tuple[bytes, str]:
        """The blank workbook `docgen init` writes, as bytes and a download name."""
        from docgen.api.check import resolve_kind
        from docgen.api.init import init_workbook

        chosen = resolve_kind(kind) if kind else None
        folder = self.state / UPLOADS / f"init-{token_urlsafe(8)}"
        try:
            folder.mkdir(parents=True)
            data = init_workbook(folder / "book.xlsx", chosen).read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        name = f"Книга — {chosen.name}.xlsx" if chosen else "Книга.xlsx"
        return data, name

    def blank(self, form_id: str, rows: int | None,
              workbook: tuple[BinaryIO, str] | None, pdf: bool = False) -> tuple[bytes, str]:
        """A blank form of `docgen blank`, optionally filled from a workbook; as bytes.

        With ``pdf``, its PDF instead, made as `docgen blank --pdf` makes it
        (``convert_to_pdf``); PdfError (LibreOfficeNotFound among them) when it
        cannot be, with the line the CLI prints.
        """
        from docgen.api.blank import blank_form, find_blank_form

        form = find_blank_form(form_id)
        folder = self.state / UPLOADS / f"blank-{token_urlsafe(8)}"
        try:
            book = None
            if workbook is not None:
                intake = Intake(folder / "in")
                intake.add(*workbook)
                if len(intake.books) != 1:
                    raise UploadError("для бланка загрузите одну книгу Excel (.xlsx)")
                book = intake.books[0].path
            result = blank_form(form, folder / "out", workbook=book, rows=rows,
                                     templates=self.templates)
            made = self._blank_pdf(result.path) if pdf else result.path
            return made.read_bytes(), made.name
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _blank_pdf(self, document: Path) -> Path:
        """The PDF of a blank just written (beside it, same name), or PdfError saying why."""
        from docgen.api.pdf import convert_to_pdf

        if not self._blank_pdf_lock.acquire(timeout=self.blank_pdf_wait):
            raise PdfBusy(BLANK_PDF_BUSY)
        try:
            made = convert_to_pdf([document], jobs=1)
        finally:
            self._blank_pdf_lock.release()
        for source, error in made.failed:
            raise PdfError(f"{source.name}: PDF не создан: {error.message}")
        return made.written[0].path if made.written else made.current[0]

    # --- archive ----------------------------------------------------------------------

    def _archive_id(self, relative: str) -> str:
        return hmac.new(self._key, relative.encode("utf-8"), "sha256").hexdigest()[:24]

    def archive(self) -> list[ArchiveYear]:
        """The year folders of the output folder, newest first, with their groups' files."""
        from docgen.output.folders import MANIFEST, Manifest
        from docgen.output.registry import REGISTRY

        years: list[ArchiveYear] = []
        found: dict[str, tuple[str, FileRef]] = {}
        if not self.out.is_dir():
            return years
        for year in sorted(self.out.iterdir(), key=lambda p: p.name, reverse=True):
            if not year.is_dir() or year.name.startswith("."):
                continue
            groups: list[ArchiveGroup] = []
            for folder in sorted(year.iterdir(), key=lambda p: p.name.casefold()):
                if not (folder / MANIFEST).is_file():
                    continue
                manifest = Manifest.read(folder)
                files = []
                for name in sorted(manifest.files, key=str.casefold):
                    path = folder / name
                    if path.is_file():
                        rel = f"{year.name}/{folder.name}/{name}"
                        ref = FileRef(self._archive_id(rel), path, name)
                        found[ref.id] = ("", ref)
                        files.append(ref)
                workbook = Path(manifest.group.get("workbook", ""))
                group_id = self._archive_id(f"{year.name}/{folder.name}/")
                groups.append(ArchiveGroup(
                    group_id, manifest.group.get("name") or folder.name,
                    manifest.group.get("kind", ""), files,
                    _inside(workbook, self.state / BOOKS) and workbook.is_file()))
            registry = None
            if (year / REGISTRY).is_file():
                registry = FileRef(self._archive_id(f"{year.name}/{REGISTRY}"),
                                   year / REGISTRY, REGISTRY)
                found[registry.id] = ("", registry)
            if groups or registry:
                years.append(ArchiveYear(year.name, registry, groups,
                                         self._archive_id(f"{year.name}/")))
        with self._lock:
            self._archive_files = found
        return years

    def archive_file(self, file_id: str) -> FileRef:
        """A file of the archive by its id (the archive is the centre's: any clerk)."""
        with self._lock:
            found = self._archive_files.get(file_id)
        if found is None:
            self.archive()
            with self._lock:
                found = self._archive_files.get(file_id)
        if found is None or not found[1].path.is_file():
            raise NotFound(file_id)
        return found[1]

    def archive_zip(self, item_id: str) -> tuple[Path, str]:
        """A group's documents, or a whole year's, as one .zip: (a temporary file the
        caller removes once sent, its download name). Members are «<год>/<группа>/<файл>»,
        as in the output folder and in an upload's «Документы.zip»."""
        for year in self.archive():
            if year.id == item_id:
                files = [f for g in year.groups for f in g.files]
                files += [year.registry] if year.registry else []
                name = f"{year.name}.zip"
                break
            group = next((g for g in year.groups if g.id == item_id), None)
            if group is not None:
                files, name = group.files, f"{group.files[0].path.parent.name}.zip" \
                    if group.files else f"{group.name}.zip"
                break
        else:
            raise NotFound(item_id)
        (self.state / UPLOADS).mkdir(parents=True, exist_ok=True)
        target = self.state / UPLOADS / f".archive-{token_urlsafe(9)}.zip"
        try:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
                for ref in files:  # .docx, .pdf, .xlsx are compressed already: stored
                    member = zipfile.ZipInfo(ref.path.relative_to(self.out).as_posix(),
                                             (1980, 1, 1, 0, 0, 0))
                    member.external_attr = 0o644 << 16
                    with ref.path.open("rb") as source, archive.open(member, "w") as out:
                        shutil.copyfileobj(source, out, 1024 * 1024)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target, name

    def rebuild(self, owner: str, group_id: str, pdf: bool = False,
                bundle: bool = True) -> Upload:
        """«Сформировать заново»: check and build the group's stored workbook again."""
        from docgen.output.folders import Manifest

        group = next((g for y in self.archive() for g in y.groups if g.id == group_id), None)
        if group is None or not group.rebuildable:
            raise NotFound(group_id)
        folder = next(f.path.parent for f in group.files) if group.files else None
        if folder is None:
            raise NotFound(group_id)
        workbook = Path(Manifest.read(folder).group["workbook"])
        try:
            about = json.loads((self.state / BOOKS / f"{workbook.stem}.json")
                               .read_text("utf-8"))
            name = str(about.get("name") or workbook.name)
        except (OSError, ValueError, AttributeError):
            name = f"{group.name}.xlsx"
        upload_id = token_urlsafe(12)
        upload = Upload(upload_id, owner, self.state / UPLOADS / upload_id, time.time())
        upload.folder.mkdir(parents=True, exist_ok=True)
        # its check's marked copy goes beside the copy; a workbook stored with its photos
        # (books/<digest>/) comes with them, so the check finds them as the first one did
        if workbook.parent.resolve() != (self.state / BOOKS).resolve():
            shutil.copytree(workbook.parent, upload.folder / "book")
            copy = upload.folder / "book" / f"book-01{workbook.suffix}"
            (upload.folder / "book" / workbook.name).replace(copy)
        else:  # stored alone, before photos were kept with it
            copy = upload.folder / f"book-01{workbook.suffix}"
            shutil.copyfile(workbook, copy)
        upload.books.append(self._check(owner, upload_id, copy, name))
        with self._lock:
            self._uploads[upload_id] = upload
        if upload.buildable:
            self.start_build(owner, upload_id, pdf, bundle)
        return upload


def expected_documents(group: Any) -> int:
    """How many documents a build of a checked group writes: the progress bar's share,
    counted by the same ``build_documents`` the build uses (no rendering)."""
    from docgen.content.documents import build_documents

    return len(build_documents(group)[0])


def photos_of(group: Any, folder: Path) -> list[str]:
    """The photos a checked group's events name, relative to its workbook's ``folder``
    (POSIX, each once, in order): what a copy of the workbook must keep beside it."""
    found: dict[str, None] = {}
    for event in group.events:
        for photo in event.photos:
            try:
                found[Path(photo.path).relative_to(folder).as_posix()] = None
            except ValueError:  # outside its folder: the check refuses such a photo
                continue
    return list(found)


def _one_at_a_time(function: Callable[..., Any]) -> Callable[..., Any]:
    lock = threading.Lock()

    def call(*args: Any) -> Any:
        with lock:
            return function(*args)

    return call


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def pdf_available() -> bool:
    """Whether LibreOffice is there to make PDFs (the page offers them only then)."""
    from docgen.errors import LibreOfficeNotFound
    from docgen.pdf.convert import find_soffice

    try:
        find_soffice()
    except LibreOfficeNotFound:
        return False
    return True

