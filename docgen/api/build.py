"""Building documents (``docgen build``): one workbook, or a centre's folder in parallel.

Each workbook is checked, its documents rendered and written beside the
manifest that protects hand edits; one broken workbook never stops the others.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.api.check import CheckResult, check_workbook
from docgen.errors import DocgenError, OutputError
from docgen.workbook.model import Group

if TYPE_CHECKING:

    from docgen.content.documents import Document, Skipped
    from docgen.output.folders import GroupFolder


@dataclass
class Written:
    """A document written to disk; ``kept`` is a hand-edited file it did not replace.

    ``document`` carries no context: results cross process boundaries in a batch.
    """

    document: Document
    path: Path
    kept: Path | None = None


@dataclass
class BuildResult:
    """The outcome of building one workbook's documents."""

    check: CheckResult
    folder: Path | None = None
    written: list[Written] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[tuple[str, DocgenError]] = field(default_factory=list)  # (document, error)
    error: DocgenError | None = None  # the workbook was valid but nothing could be written
    crash: str | None = None  # a bug in docgen: its one-line description
    crash_traceback: str | None = None
    group_name: str = ""  # kept when a batch drops ``check.group`` to stay small
    bundle: Path | None = None  # «Комплект документов.docx», with ``bundle=True``
    bundle_kept: Path | None = None  # a hand-edited bundle it did not replace
    retired: list[str] = field(default_factory=list)  # earlier files removed: names changed
    retired_kept: list[Path] = field(default_factory=list)  # earlier files kept: hand-edited
    manifest_error: DocgenError | None = None  # documents written, «.docgen.json» not saved

    @property
    def path(self) -> Path:
        return self.check.path

    @property
    def ok(self) -> bool:
        return (self.check.ok and not self.failed and self.error is None and self.crash is None
                and self.manifest_error is None)


def build_workbook(path: str | Path, out_dir: str | Path = "output",
                   templates: list[Path] | None = None, force: bool = False,
                   run: str | None = None, dump_context: str | Path | None = None,
                   bundle: bool = False, order: int | None = None) -> BuildResult:
    """Validate a workbook and, if it has no errors, write its kind's document set.

    Documents go to ``out_dir/<учебный год>/<вид «название»>/``. A document that
    cannot be written is recorded in ``failed`` and the others are still written.
    A document edited by hand since docgen wrote it is kept, and the new one is
    written beside it, unless ``force``. ``run`` names one batch: a second
    workbook of the same group in the same batch is refused, not mixed in.
    With ``dump_context``, each document's context is also written there as
    JSON (``<учебный год>/<группа>/<документ>.json``), for template authors.
    With ``bundle``, «Комплект документов.docx» holds all the documents written.
    ``order`` is the workbook's place in its batch: of two workbooks of one group
    in one run, the earlier one's documents stay, whichever finished first.
    """
    from docgen.content.documents import build_documents

    check_result = check_workbook(path)
    result = BuildResult(check_result)
    group = check_result.group
    if group is not None:
        result.group_name = group.name
    if not check_result.ok or group is None:
        return result
    try:
        documents, result.skipped = build_documents(group)  # a damaged photo fails here
        if dump_context is not None:
            _dump_contexts(documents, group_path(dump_context, group))
        _write_documents(result, group, documents, group_path(out_dir, group), templates,
                         force, run, bundle, order)
    except DocgenError as exc:
        result.error = exc
    return result


def _dump_contexts(documents: list[Document], folder: Path) -> None:
    """Each document's template context as JSON, named as its .docx would be."""
    from docgen.runtime.files import write_atomically
    from docgen.templating import context_json

    used: set[str] = set()
    for document in documents:
        stem = _unique_stem(document, used)
        write_atomically(folder / f"{stem}.json", context_json(document.context).encode("utf-8"))


def _unique_stem(document: Document, used: set[str]) -> str:
    """The document's file name without extension, « (2)» added if the folder has it."""
    from docgen.runtime.files import MAX_NAME, safe_name

    stem = safe_name(document.file_stem)
    for n in itertools.count(2):
        if stem.casefold() not in used:  # Windows names ignore case
            break
        stem = f"{safe_name(document.file_stem, limit=MAX_NAME - 8)} ({n})"
    used.add(stem.casefold())
    return stem


def group_path(out_dir: str | Path, group: Group) -> Path:
    """The group's folder: ``out_dir/<учебный год>/<вид «название»>``, Windows-safe."""
    from docgen.content.documents import group_folder
    from docgen.runtime.files import check_component, check_inside, folder_name, safe_name

    year, name = group_folder(group)
    path = Path(out_dir) / check_component(safe_name(year)) / check_component(folder_name(name))
    return check_inside(path, Path(out_dir))


def _write_documents(result: BuildResult, group: Group, documents: list[Document],
                     where: Path, templates: list[Path] | None, force: bool,
                     run: str | None, bundle: bool = False, order: int | None = None) -> None:
    from docgen.kinds import DOCUMENT_TYPES
    from docgen.output.folders import GroupFolder
    from docgen.output.summary import FIGURES, figures_json
    from docgen.templating import find_template, pictures_from, render

    result.folder = where
    workbook = str(Path(result.path).resolve())
    rendered: list[tuple[Document, str, bytes, dict[str, str]]] = []
    used: set[str] = set()
    current: set[str] = set()  # this run's file names, those it fails to write included
    for document in documents:  # all rendered first: the folder is locked only to write
        stem = _unique_stem(document, used)
        current.add(f"{stem}.docx")
        about = {"document": DOCUMENT_TYPES[document.doc_id], "title": document.name,
                 "number": document.reg_number,
                 "date": document.reg_date.isoformat() if document.reg_date else ""}
        try:
            template = find_template(document.doc_id, document.kind_id, templates)
            with pictures_from(group.source.parent):  # «|picture» reads the book's folder only
                data = render(template, document.context)
            rendered.append((document, f"{stem}.docx", data, about))
        except DocgenError as exc:
            result.failed.append((document.name, exc))
    with GroupFolder(result.folder, force=force) as folder:
        earlier = folder.manifest.group
        same_run = run is not None and earlier.get("run") == run \
            and earlier.get("workbook") != workbook
        if same_run and not _comes_before(order, earlier.get("order")):
            raise OutputError(_taken(earlier, group.name, result.folder))
        if not same_run and earlier.get("name") not in (None, group.name) \
                and earlier.get("workbook") != workbook:
            raise OutputError(_taken(earlier, group.name, result.folder))
        superseded = earlier.get("written", "").split("\t") if same_run else []
        folder.manifest.group = {"name": group.name, "kind": group.kind.name, "year": group.year,
                                 "workbook": workbook, "run": run or "",
                                 FIGURES: figures_json(group, _report(documents))}
        if order is not None:
            folder.manifest.group["order"] = str(order)
        folder.expect([data for _document, _name, data, _about in rendered])
        for document, name, data, about in rendered:
            try:
                target, kept = folder.write(name, data, about)
            except DocgenError as exc:
                result.failed.append((document.name, exc))
                continue
            light = dataclasses.replace(document, context={})  # contexts stay in the process
            result.written.append(Written(light, target, kept))
        try:  # files of earlier runs under names this run does not use
            result.retired, result.retired_kept = folder.retire(
                current | {w.path.name for w in result.written})
        except DocgenError as exc:
            result.failed.append(("прежние файлы папки", exc))
        if bundle and result.written:
            _write_bundle(result, group, folder)
        names = {w.path.name for w in result.written}
        names |= {result.bundle.name} if result.bundle is not None else set()
        _remove_superseded(folder, [n for n in superseded if n and n not in names])
        if run is not None:
            folder.manifest.group["written"] = "\t".join(sorted(names))
        try:
            folder.finish()
        except DocgenError as exc:
            result.manifest_error = exc


def _comes_before(order: int | None, other: str | None) -> bool:
    """Whether a workbook at ``order`` in its batch goes before the one at ``other``."""
    return order is not None and other is not None and other.isdigit() and order < int(other)


def _taken(earlier: dict[str, str], name: str, folder: Path) -> str:
    """Why a workbook's documents are not written: its folder is another workbook's."""
    book = Path(earlier.get("workbook", "")).name
    if earlier.get("name") == name:
        return (f"эту группу уже сформировала книга «{book}» в этом же запуске (у книг "
                f"совпадают вид объединения, название и учебный год); документы из этой книги "
                f"не записаны")
    return (f"папка «{folder.name}» уже занята документами группы «{earlier.get('name')}» из "
            f"книги «{book}»: названия групп совпадают после сокращения до имени папки или "
            f"различаются только знаками, недопустимыми в именах файлов; измените название "
            f"одной из групп")


def _remove_superseded(folder: GroupFolder, names: list[str]) -> None:
    """Remove the files a later workbook of this run wrote here before this one took over.

    Two workbooks of one group in one batch: the first by path wins whichever
    finishes first, so the folder holds the same files at every run.
    """
    for name in names:
        path = folder.path / name
        try:
            if folder.manifest.unchanged(path):
                path.unlink()
        except OSError:
            continue
        for table in (folder.manifest.files, folder.manifest.documents, folder.manifest.stats):
            table.pop(name, None)


def settle_duplicates(results: list[BuildResult]) -> None:
    """Of results that wrote into one folder, keep the first by order; the others refused.

    In a batch a later workbook of the same group may finish (and report its
    documents written) before the first one takes the folder over.
    """
    first: dict[str, BuildResult] = {}
    for result in results:  # in the batch's order
        if result.folder is None or result.error is not None or not result.written:
            continue
        key = str(result.folder).casefold()
        winner = first.setdefault(key, result)
        if winner is result:
            continue
        group = {"workbook": str(winner.path), "name": winner.group_name}
        result.error = OutputError(_taken(group, result.group_name, result.folder))
        result.written, result.failed = [], []
        result.bundle = result.bundle_kept = None


def _report(documents: list[Document]) -> dict[str, Any] | None:
    """The annual report's figures, when the set has the report: the summary reuses them."""
    return next((d.context["report"] for d in documents if d.doc_id == "annual_report"), None)


def _write_bundle(result: BuildResult, group: Group, folder: GroupFolder) -> None:
    """«Комплект документов.docx»: the documents just written, in the kind's order.

    A document the clerk edited by hand goes in as edited (the file docgen
    kept), not as docgen's new version beside it: the set is printed to be signed.
    """
    from docgen.language.russian import capfirst
    from docgen.output.bundle import BUNDLE, compose
    from docgen.output.folders import DERIVED

    parts = [w.kept or w.path for w in result.written]
    try:
        data = compose(parts, title=f"{BUNDLE}: {capfirst(group.kind.noun['nom'])} "
                                    f"«{group.name}»")
        folder.expect([data])
        result.bundle, result.bundle_kept = folder.write(
            f"{BUNDLE}.docx", data, {DERIVED: "bundle", "title": BUNDLE,
                                     "documents": str(len(parts))})
    except DocgenError as exc:
        result.failed.append((BUNDLE, exc))


def _build_safely(path: Path, out_dir: Path, templates: list[Path] | None, force: bool,
                  run: str, dump_context: Path | None = None, bundle: bool = False,
                  order: int | None = None) -> BuildResult:
    """One workbook of a batch: a bug is reported in the result, never raised.

    The validated group is dropped from the result: a batch's memory must not
    grow with the number of workbooks, and results cross process boundaries.
    """
    try:
        result = build_workbook(path, out_dir, templates, force, run, dump_context, bundle,
                                order)
        result.check.group = None
        return result
    except DocgenError as exc:
        result = BuildResult(CheckResult(path))
        result.error = exc
        return result
    except Exception as exc:  # a bug in docgen must cost only this workbook
        import traceback

        from docgen.errors import closed_folder

        result = BuildResult(CheckResult(path))
        closed = closed_folder(exc) if isinstance(exc, OSError) else None
        if closed is not None:  # not a bug: a folder on the way cannot be entered
            result.error = closed
            return result
        result.crash = f"{type(exc).__name__}: {exc}"
        result.crash_traceback = traceback.format_exc()
        return result


def build_batch(paths: list[Path], out_dir: str | Path = "output",
                templates: list[Path] | None = None, force: bool = False,
                jobs: int | None = None, dump_context: str | Path | None = None,
                bundle: bool = False, run: str | None = None,
                ) -> Iterator[tuple[int, BuildResult]]:
    """Build every workbook, ``jobs`` at a time in separate processes.

    Yields (index in ``paths``, result) as each workbook finishes. One broken
    workbook, or a bug on one, does not stop the others. ``run`` names the batch
    (see ``build_workbook``); `docgen serve` passes one when it builds a batch's
    workbooks one by one in its own pool.
    """
    import os
    import uuid

    run = run or uuid.uuid4().hex
    out = Path(out_dir)
    dump = Path(dump_context) if dump_context is not None else None
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    results: list[BuildResult | None] = [None] * len(paths)
    if jobs == 1:
        for i, path in enumerate(paths):
            results[i] = _build_safely(path, out, templates, force, run, dump, bundle, i)
            yield i, results[i]  # type: ignore[misc]
        return
    import gc
    from concurrent.futures import ProcessPoolExecutor, as_completed

    preload_for_workers(templates)  # forked workers inherit what it loads
    gc.freeze()  # …and never scan it in their garbage collections (5 % of a worker's CPU)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start,
                             initargs=(os.getpid(),)) as pool:
        try:
            futures = {pool.submit(_build_safely, paths[i], out, templates, force, run, dump,
                                   bundle, i): i
                       for i in _largest_first(paths)}
        finally:
            gc.unfreeze()  # the workers are forked at the first submit: this one as before
        try:
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                yield i, results[i]  # type: ignore[misc]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    settle_duplicates([r for r in results if r is not None])


def _largest_first(paths: list[Path]) -> list[int]:
    """The workbooks' indexes, largest file first: the last to start are the quick ones.

    In path order a big group could start last and keep one worker busy while
    the others wait; the results do not depend on the order (``settle_duplicates``
    goes by index).
    """
    def size(i: int) -> int:
        try:
            return paths[i].stat().st_size
        except OSError:  # its build reports it
            return 0

    return sorted(range(len(paths)), key=lambda i: (-size(i), i))


# Imported by every batch worker: at its start (lifetime, and ctypes, with which it ends
# with its parent), then for its first workbook: reading (and python_calamine, which
# reads every workbook), checking, contexts, rendering, pictures (python-docx reads them
# and makes their drawing), charts (not matplotlib, imported only to draw), writing.
_BATCH_MODULES = ("docgen.runtime.lifetime", "ctypes", "docgen.workbook.reader",
                  "python_calamine", "docgen.workbook.validate", "docgen.content.documents",
                  "docgen.runtime.files", "docgen.output.folders", "docgen.content.charts",
                  "docgen.workbook.photos", "docgen.output.registry", "docgen.output.summary",
                  "docgen.output.bundle", "docx.image.image", "docx.oxml.shape")


def preload_for_workers(folders: list[Path] | None = None) -> None:
    """Load in this process what each worker of a batch would load for itself.

    Called before a batch starts its workers: forked, they inherit the modules,
    the compiled built-in templates (and a clerk's, from ``folders``) and the
    declension rules instead of each one spending most of a second on them. On
    a 2-core machine shared with other work that CPU time is wall time. Where
    workers are not forked (Windows, macOS) they would inherit nothing, so
    nothing is loaded here. Loading changes nothing a render gives; a template
    that does not load is left for its render to report, as without preloading.
    """
    import importlib
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return

    from docgen.language import russian
    from docgen.templating import builtin_templates, identify, warm

    for name in _BATCH_MODULES:
        importlib.import_module(name)
    russian.preload()
    paths = sorted(builtin_templates().glob("*.docx"))
    for folder in folders or []:  # a clerk's templates: only files named for a document
        try:
            paths += sorted(p for p in Path(folder).glob("*.docx") if identify(p.name))
        except OSError:  # an unreadable folder: its renders will say so
            continue
    warm(paths)


def _worker_start(parent: int) -> None:
    """A batch worker: it ends when the process that started it is gone (killed).

    Linux ends it with the parent (``PR_SET_PDEATHSIG``); elsewhere a thread
    watches the parent and ends the worker once it is gone.
    """
    from docgen.runtime.lifetime import die_with_parent

    die_with_parent(parent)
