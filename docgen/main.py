"""The library entry point: what the CLI calls, usable from Python too.

Functions take paths and plain values and return results; they never print.
Failures are DocgenError subclasses (see errors.py).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError, OutputError, Problem, ValidationError
from docgen.kinds import Kind, all_kinds, find_kind, kinds_matching
from docgen.model import Group

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.documents import Document, Skipped
    from docgen.forms import Form
    from docgen.output import GroupFolder


@dataclass
class CheckResult:
    """The outcome of checking one workbook."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    error: DocgenError | None = None  # the file could not be read at all
    group: Group | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.errors


def resolve_kind(text: str) -> Kind:
    """The kind a clerk names by ``text`` (a word of its name, an alias, a code), or a
    DocgenError listing the kinds it could be."""
    found = kinds_matching(text)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"«{k.name}» (код {k.id})" for k in found)
        raise DocgenError(f"вид объединения «{text}» неоднозначен, подходят: {listed}; "
                          f"уточните название или укажите код")
    listed = ", ".join(f"«{k.name}» (код {k.id})" for k in all_kinds())
    raise DocgenError(f"неизвестный вид объединения «{text}»; возможные виды: {listed}")


def check_workbook(path: str | Path) -> CheckResult:
    """Read and validate one workbook; an unreadable file becomes ``error``."""
    from docgen.validate import validate
    from docgen.workbook.reader import read_workbook

    path = Path(path)
    try:
        data = read_workbook(path)
    except DocgenError as exc:
        return CheckResult(path, error=exc)
    group, problems = validate(data)
    return CheckResult(path, problems=problems, group=group)


def check(paths: list[str | Path]) -> list[CheckResult]:
    """Check every workbook; one unreadable file does not stop the others."""
    return [check_workbook(p) for p in paths]


def load_group(path: str | Path) -> Group:
    """The validated group of a workbook; raises ValidationError listing every problem."""
    result = check_workbook(path)
    if result.error is not None:
        raise result.error
    if result.group is None:
        raise ValidationError(result.problems, file=Path(path).name)
    return result.group


def init_workbook(path: str | Path, kind: str | Kind | None = None, force: bool = False) -> Path:
    """Write the blank workbook (``docgen init``), with a kind's sheets first if given.

    ``kind`` is a Kind or its Russian name, alias or code.
    """
    from docgen.workbook.blank import init_workbook as write_blank

    if isinstance(kind, str):
        kind = resolve_kind(kind)
    return write_blank(path, kind, force=force)


def carry_over(source: str | Path, target: str | Path, force: bool = False) -> Any:
    """``docgen init НОВАЯ.xlsx --from ПРОШЛАЯ.xlsx``: next year's workbook (``carry.py``)."""
    from docgen.carry import carry_over as carry

    return carry(source, target, force=force)


def carry_folder(source: str | Path, out_dir: str | Path, force: bool = False) -> Any:
    """``docgen init --from ПАПКА -o НОВАЯ_ПАПКА``: every workbook of a folder, a year on."""
    from docgen.carry import carry_folder as carry

    return carry(source, out_dir, force=force)


BLANKS_FOLDER = "Бланки"  # a group's blank forms, beside its documents


@dataclass
class BlankResult:
    """A blank form written to disk; ``kept`` is a hand-edited file it did not replace."""

    form: Form
    path: Path
    kept: Path | None = None
    group: Group | None = None


def forms() -> list[Form]:
    """The blank forms `docgen blank` makes, in the order they are listed."""
    from docgen.forms import FORMS

    return list(FORMS)


def find_blank_form(form_id: str) -> Form:
    """The form named ``form_id`` or a DocgenError listing the forms there are."""
    from docgen.forms import FORMS, find_form

    form = find_form(form_id)
    if form is None:
        listed = ", ".join(f"«{f.id}»" for f in FORMS)
        raise DocgenError(f"неизвестная форма бланка «{form_id}»; возможные формы: {listed}")
    return form


def blank_form(form: str | Form, out_dir: str | Path = "output",
               workbook: str | Path | None = None, rows: int | None = None,
               templates: list[Path] | None = None, force: bool = False) -> BlankResult:
    """Write a blank form to fill in by hand; with a workbook, its group pre-filled.

    The form goes to the sub-folder «Бланки» of ``out_dir`` or, with a workbook,
    of the group's folder as `build` makes it. A workbook with
    errors raises ValidationError listing them, and nothing is written. ``rows``
    (1–300) is the count of the form's empty rows, for the forms that have them.
    A file edited by hand since docgen wrote it is kept unless ``force``.
    """
    from docgen.engine import find_template, render
    from docgen.forms import MAX_ROWS, MIN_ROWS, form_context
    from docgen.output import GroupFolder, safe_name

    if isinstance(form, str):
        form = find_blank_form(form)
    if rows is not None:
        if not form.rows:
            raise DocgenError(f"у бланка «{form.id}» нет строк, число которых можно задать")
        if not MIN_ROWS <= rows <= MAX_ROWS:
            raise DocgenError(f"число строк должно быть от {MIN_ROWS} до {MAX_ROWS}, "
                              f"а указано {rows}")
    group = load_group(workbook) if workbook is not None else None
    if group and form.requires and form.requires not in group.kind.documents:
        from docgen.kinds import all_kinds

        keeping = ", ".join(f"«{k.name}»" for k in all_kinds() if form.requires in k.documents)
        raise DocgenError(
            f"у вида «{group.kind.name}» положение не предусматривает заявок на включение "
            f"в состав, поэтому бланк «{form.title}» с данными книги не делается; такие "
            f"заявки есть у вида {keeping}; общий бланк без книги: docgen blank {form.id}")
    folder = (group_path(out_dir, group) if group else Path(out_dir)) / BLANKS_FOLDER
    template = find_template(form.doc_id, group.kind.id if group else "", templates)
    data = render(template, form_context(form, group, rows))
    with GroupFolder(folder, force=force) as output:
        output.expect([data])
        path, kept = output.write(f"{safe_name(form.file_name)}.docx", data)
        output.finish()
    return BlankResult(form, path, kept, group)


def annotate(path: str | Path, problems: list[Problem]) -> Path:
    """Write ``<name>.проверка.xlsx`` with every problem cell marked; returns its path."""
    from docgen.workbook.annotate import annotate as write_annotated

    return write_annotated(path, problems)


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
    from docgen.documents import build_documents

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
    from docgen.fields import context_json
    from docgen.output import write_atomically

    used: set[str] = set()
    for document in documents:
        stem = _unique_stem(document, used)
        write_atomically(folder / f"{stem}.json", context_json(document.context).encode("utf-8"))


def _unique_stem(document: Document, used: set[str]) -> str:
    """The document's file name without extension, « (2)» added if the folder has it."""
    from docgen.output import MAX_NAME, safe_name

    stem = safe_name(document.file_stem)
    for n in itertools.count(2):
        if stem.casefold() not in used:  # Windows names ignore case
            break
        stem = f"{safe_name(document.file_stem, limit=MAX_NAME - 8)} ({n})"
    used.add(stem.casefold())
    return stem


def group_path(out_dir: str | Path, group: Group) -> Path:
    """The group's folder: ``out_dir/<учебный год>/<вид «название»>``, Windows-safe."""
    from docgen.documents import group_folder
    from docgen.output import check_component, check_inside, folder_name, safe_name

    year, name = group_folder(group)
    path = Path(out_dir) / check_component(safe_name(year)) / check_component(folder_name(name))
    return check_inside(path, Path(out_dir))


def _write_documents(result: BuildResult, group: Group, documents: list[Document],
                     where: Path, templates: list[Path] | None, force: bool,
                     run: str | None, bundle: bool = False, order: int | None = None) -> None:
    from docgen.charts import charts_in
    from docgen.charts import place as place_charts
    from docgen.drawing import pictures_from
    from docgen.engine import find_template, render
    from docgen.kinds import DOCUMENT_TYPES
    from docgen.output import GroupFolder
    from docgen.summary import FIGURES, figures_json

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
            if charts := charts_in(document.context):
                data = place_charts(data, charts)
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
    from docgen.bundle import BUNDLE, compose
    from docgen.output import DERIVED
    from docgen.russian import capfirst

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


LOCK_PREFIXES = ("~$", ".~lock.")  # what Excel and LibreOffice leave beside an open book
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Tables a clerk may have saved a group's workbook as by mistake. In a folder they are
# built like workbooks, so each one fails with its own «save it as .xlsx» message and
# the batch exits 1, instead of the group being left out in silence; a file beside a
# workbook of the same name («группа.xls» next to «группа.xlsx») is the old copy and
# is left out.
MISTAKEN_SUFFIXES = (".xls", ".xlsb", ".ods", ".fods", ".csv", ".numbers")


def workbook_paths(paths: list[str | Path]) -> tuple[list[Path], list[DocgenError]]:
    """The workbooks named by ``paths``: files as given, folders by their .xlsx files.

    A folder's lock files, «….проверка.xlsx» copies (made by ``check --annotate``)
    and files that are not tables are left out; tables in other formats (.xls, .ods,
    .csv…) are kept, so that they are reported. A folder with no workbook is an
    error of its own, so the other paths are still built. A file named twice is
    built once.
    """
    found: list[Path] = []
    problems: list[DocgenError] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)
            continue
        files = [p for p in path.iterdir()
                 if p.is_file() and not p.name.startswith(LOCK_PREFIXES)]
        books = [p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES
                 and not p.stem.lower().endswith(".проверка")]
        converted = {p.stem.casefold() for p in books}
        mistaken = [p for p in files if p.suffix.lower() in MISTAKEN_SUFFIXES
                    and p.stem.casefold() not in converted]
        if not books and not mistaken:
            problems.append(DocgenError("в папке нет книг Excel (.xlsx)", file=str(path)))
        found.extend(sorted(books + mistaken, key=lambda p: p.name.casefold()))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), problems


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

        result = BuildResult(CheckResult(path))
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
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from docgen.compiler import preload_for_workers

    preload_for_workers(templates)  # forked workers inherit what it loads
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_build_safely, path, out, templates, force, run, dump, bundle,
                               i): i
                   for i, path in enumerate(paths)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                yield i, results[i]  # type: ignore[misc]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    settle_duplicates([r for r in results if r is not None])


def _worker_start(parent: int) -> None:
    """A batch worker: it ends when the process that started it is gone (killed).

    Linux ends it with the parent (``PR_SET_PDEATHSIG``); elsewhere a thread
    watches the parent and ends the worker once it is gone.
    """
    from docgen.lifetime import die_with_parent

    die_with_parent(parent)


def write_registries(results: list[BuildResult]) -> list[Path]:
    """Rewrite «Реестр документов.xlsx» in every year folder this batch wrote to.

    Each registry lists every document docgen wrote in that year folder, by
    every run, not only this one: it is made from the group folders' manifests.
    """
    from docgen.registry import write_registry

    years = sorted({r.folder.parent for r in results if r.folder is not None and r.written})
    return [write_registry(year) for year in years]

def write_summaries(results: list[BuildResult]) -> list[Path]:
    """«Сводный отчёт» and «Сводная таблица.xlsx» in every year folder this batch wrote to.

    Made from all group folders of the year (see ``summary.py``), when there are
    two groups or more; a year folder of one group gets none.
    """
    from docgen.summary import write_summary

    years = sorted({r.folder.parent for r in results if r.folder is not None and r.written})
    return [path for year in years for path in write_summary(year)]

# --- PDF: docgen build --pdf, docgen blank --pdf ----------------------------------------


@dataclass
class PdfWritten:
    """A PDF written beside its document; ``kept`` is a hand-edited PDF it did not replace."""

    source: Path
    path: Path
    kept: Path | None = None


@dataclass
class PdfResult:
    """What ``convert_to_pdf`` did with each document."""

    written: list[PdfWritten] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)  # PDFs already of these very documents
    failed: list[tuple[Path, DocgenError]] = field(default_factory=list)  # (document, why)

    @property
    def ok(self) -> bool:
        return not self.failed


def pdf_sources(results: list[BuildResult]) -> list[Path]:
    """The files of a batch to make PDFs of, in order: documents, then each group's bundle.

    A document the clerk edited by hand, and docgen kept, gets its PDF as well
    as docgen's new version beside it: each .docx has the PDF of what it says.
    """
    found: list[Path] = []
    for result in results:
        for written in result.written:
            found += [written.path] + ([written.kept] if written.kept else [])
        if result.bundle is not None:
            found += [result.bundle] + ([result.bundle_kept] if result.bundle_kept else [])
    return found


def convert_to_pdf(paths: list[Path], jobs: int | None = None, force: bool = False,
                   progress: Callable[[int], None] | None = None,
                   soffice: str | Path | None = None) -> PdfResult:
    """A PDF beside each .docx of ``paths`` (same name), made by LibreOffice.

    One LibreOffice start converts a chunk of documents; ``jobs`` instances run
    at a time (by default one per core, at most 4). Each PDF is written like a
    document (``GroupFolder``): a PDF edited or replaced by hand is kept and the
    new one goes beside it, unless ``force``. A PDF already made from the very
    same .docx (by its hash in the manifest) is not made again unless
    ``force``. A document LibreOffice cannot convert is in ``failed``; the
    others are still converted. Raises LibreOfficeNotFound when there is no
    LibreOffice and some PDF is to be made. ``progress`` is called with the
    number of documents done.
    """
    import os

    from docgen import pdf
    from docgen.output import Manifest

    result = PdfResult()
    unique = list(dict.fromkeys(Path(p) for p in paths))
    manifests: dict[Path, Manifest] = {}
    todo: list[Path] = []
    for path in unique:
        current = None
        if not force:
            manifest = manifests.setdefault(path.parent, Manifest.read(path.parent))
            current = _current_pdf(manifest, path)
        if current is None:
            todo.append(path)
            continue
        result.current.append(current)
        if progress is not None:
            progress(1)
    if not todo:
        return result  # every PDF is current: LibreOffice is not even needed
    program = Path(soffice) if soffice is not None else pdf.find_soffice()
    instances = jobs or min(os.cpu_count() or 1, 4)
    for chunk in pdf.convert(todo, program, instances=instances):
        _place_pdfs(chunk, result, force)
        if progress is not None:
            progress(len(chunk))
    return result


def _current_pdf(manifest: Any, document: Path) -> Path | None:
    """The PDF docgen already made from exactly this document, if it is still as made."""
    import hashlib

    from docgen.output import DERIVED

    made = [name for name, about in manifest.documents.items()
            if about.get(DERIVED) == "pdf" and about.get("from") == document.name]
    if not made:
        return None
    try:
        if manifest.unchanged(document):  # by size and time: the document is not read
            digest = manifest.files[document.name]
        else:
            digest = hashlib.sha256(document.read_bytes()).hexdigest()
    except OSError:
        return None
    for name in made:
        if manifest.documents[name].get("source_sha256") != digest:
            continue
        try:
            if manifest.unchanged(document.parent / name):
                return document.parent / name
        except OSError:
            continue
    return None


def _place_pdfs(chunk: list[Any], result: PdfResult, force: bool) -> None:
    """Move a chunk's PDFs from LibreOffice's folder beside their documents, folder by folder."""
    from docgen.output import DERIVED, GroupFolder

    by_folder: dict[Path, list[Any]] = {}
    for converted in chunk:
        if converted.error is not None:
            result.failed.append((converted.source, converted.error))
        else:
            by_folder.setdefault(converted.source.parent, []).append(converted)
    for where, items in by_folder.items():
        made: list[tuple[Any, bytes]] = []
        for converted in items:
            try:
                made.append((converted, converted.pdf.read_bytes()))
            except OSError as exc:
                from docgen.output import os_problem

                result.failed.append((converted.source, OutputError(
                    f"не удалось прочитать PDF: {os_problem(exc, converted.pdf, writing=False)}")))
        try:
            with GroupFolder(where, force=force) as folder:
                folder.expect([data for _, data in made])
                for converted, data in made:
                    about = {DERIVED: "pdf", "from": converted.source.name,
                             "source_sha256": converted.sha256}
                    try:
                        target, kept = folder.write(f"{converted.source.stem}.pdf", data, about)
                    except DocgenError as exc:
                        result.failed.append((converted.source, exc))
                        continue
                    result.written.append(PdfWritten(converted.source, target, kept))
                folder.finish()
        except DocgenError as exc:
            written = {w.source for w in result.written}
            result.failed += [(c.source, exc) for c, _ in made if c.source not in written]


# --- templates: docgen templates list / export / check, docgen fields ---------------


@dataclass
class TemplateInfo:
    """A template file: which document it makes, and where it comes from."""

    name: str  # file name, e.g. regulation_gmo.docx
    document: str | None  # document id; None when the name stands for no document
    kind: Kind | None  # the kind it is for, if only one
    builtin: Path | None = None  # the built-in file of this name
    custom: Path | None = None  # the file of this name in the clerk's folder, used instead


def _kind_by_id(kind_id: str | None) -> Kind | None:
    return find_kind(kind_id) if kind_id else None


def _template_order(info: TemplateInfo) -> tuple[int, int, str]:
    from docgen.fields import template_documents
    from docgen.kinds import all_kinds

    ids = [k.id for k in all_kinds()]
    documents = template_documents()
    return (documents.index(info.document) if info.document else len(documents),
            ids.index(info.kind.id) + 1 if info.kind else 0, info.name)


def list_templates(folders: list[Path] | None = None) -> list[TemplateInfo]:
    """The built-in templates and, with ``folders``, which of them the clerk's files replace.

    A file in a folder replaces the built-in one of the same name (the first
    folder wins, as in ``engine.find_template``); other files there are listed
    after them, with the document their name stands for, if any.
    """
    from docgen.engine import builtin_templates
    from docgen.lint import identify, template_files

    infos: dict[str, TemplateInfo] = {}
    for path in sorted(builtin_templates().glob("*.docx")):
        doc_id, kind_id = identify(path.name) or (None, None)
        infos[path.name.lower()] = TemplateInfo(path.name, doc_id, _kind_by_id(kind_id), path)
    extra: list[TemplateInfo] = []
    for folder in folders or []:
        for path in template_files([Path(folder)]):
            if path.suffix.lower() != ".docx":
                continue
            known = infos.get(path.name.lower())
            if known is not None:
                if known.custom is None:
                    known.custom = path
                continue
            if any(e.name.lower() == path.name.lower() for e in extra):
                continue
            doc_id, kind_id = identify(path.name) or (None, None)
            extra.append(TemplateInfo(path.name, doc_id, _kind_by_id(kind_id), None, path))
    return sorted(infos.values(), key=_template_order) + sorted(extra, key=_template_order)


def resolve_document(text: str) -> tuple[str, str | None]:
    """(document id, kind id or None) named by an id, a Russian name or a template's file name."""
    from docgen.fields import DOCUMENT_TITLES, find_documents
    from docgen.lint import identify

    name = text.strip()
    found = identify(name if name.lower().endswith(".docx") else f"{name}.docx")
    if found is not None:
        return found
    candidates = find_documents(name)
    if len(candidates) == 1:
        return candidates[0], None
    listed = "; ".join(f"{d} — {DOCUMENT_TITLES[d]}" for d in candidates or DOCUMENT_TITLES)
    if candidates:
        raise DocgenError(f"«{text}» подходит к нескольким документам, уточните: {listed}")
    raise DocgenError(f"неизвестный документ «{text}»; документы: {listed}")


@dataclass
class ExportResult:
    """What ``export_templates`` did: files copied, and files already there that it kept."""

    folder: Path
    copied: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)  # copied over an existing file (--force)
    kept: list[Path] = field(default_factory=list)  # already there, not replaced


def export_templates(folder: str | Path, documents: list[str] | None = None,
                     force: bool = False) -> ExportResult:
    """Copy the built-in templates (all, or those of ``documents``) to ``folder`` for editing.

    ``documents`` are document ids, Russian names or template file names. A file
    already in the folder is kept unless ``force``: it may hold a clerk's edits.
    """
    import shutil

    from docgen.errors import OutputError

    builtin = [i for i in list_templates() if i.builtin is not None]
    chosen = builtin
    if documents:
        chosen = []
        for text in documents:
            doc_id, kind_id = resolve_document(text)
            same = [i for i in builtin if i.document == doc_id]
            picked = [i for i in same if kind_id is None or (i.kind and i.kind.id == kind_id)]
            # «protocol_gmo»: no built-in one, so the common protocol.docx to start from
            chosen += [i for i in picked or [i for i in same if i.kind is None]
                       if i not in chosen]
    folder = Path(folder)
    result = ExportResult(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from docgen.output import os_problem

        raise OutputError(os_problem(exc, folder, writing=True)) from exc
    for info in chosen:
        assert info.builtin is not None
        target = folder / info.name
        existed = target.exists()
        if existed and not force:
            result.kept.append(target)
            continue
        try:
            shutil.copyfile(info.builtin, target)
        except OSError as exc:
            from docgen.output import os_problem

            raise OutputError(os_problem(exc, target, writing=True, replacing=existed)) from exc
        (result.replaced if existed else result.copied).append(target)
    return result


def check_templates(paths: list[str | Path]) -> list:
    """``docgen templates check``: every template file's problems (see ``lint.py``)."""
    from docgen.lint import check_templates as lint_templates

    return lint_templates([Path(p) for p in paths])


def _example_workbook(kind: Kind) -> Path | None:
    """The bundled example workbook of a kind (``data/*-<kind>.xlsx``), if it is installed."""
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        found = sorted(folder.glob(f"*-{kind.id}.xlsx"))
        if found:
            return found[0]
    return None


@dataclass
class FieldsResult:
    """``docgen fields``: the variables of one document (or the common ones) with examples."""

    document: str | None  # document id; None: the common fields and the list of documents
    kind: Kind  # the kind whose example gave the values
    example: Path | None = None  # that example workbook; None when it is not installed
    example_document: str | None = None  # the example document's name: «Протокол № 1 от …»
    rows: list = field(default_factory=list)  # fields.FieldRow
    filters: list = field(default_factory=list)  # (name, description, expression, result)
    documents: list[tuple[str, str, list[str]]] = field(default_factory=list)  # id, title, files


def document_fields(document: str | None = None, kind: str | Kind | None = None,
                    full: bool = False) -> FieldsResult:
    """What a template of ``document`` can use, with values from the kind's example workbook.

    ``document`` is an id, a Russian name or a template's file name; without it,
    the fields every document has. ``kind`` picks the example (by default the
    first kind that has the document, or the file name's kind).
    """
    from docgen import fields
    from docgen.documents import build_documents
    from docgen.kinds import all_kinds

    doc_id, named_kind = resolve_document(document) if document else (None, None)
    form = next((f for f in fields.forms() if f.doc_id == doc_id), None)  # a blank form's

    def has(k: Kind) -> bool:
        return doc_id is None or form is not None or doc_id in k.documents

    if isinstance(kind, str):
        kind = resolve_kind(kind)
    if kind is None and named_kind:
        kind = find_kind(named_kind)
    if kind is None:
        kind = next(k for k in all_kinds() if has(k))
    elif not has(kind):
        having = ", ".join(f"«{k.name}»" for k in all_kinds() if has(k))
        raise DocgenError(f"у вида «{kind.name}» нет документа «{fields.title(str(doc_id))}»; "
                          f"он есть у видов: {having}")
    result = FieldsResult(doc_id, kind, _example_workbook(kind))
    context = None
    if result.example is not None:
        group = load_group(result.example)
        if form is not None:
            from docgen.forms import form_context  # type: ignore[import-not-found, unused-ignore]

            context = form_context(form, group)
            result.example_document = f"{form.title}, заполненный по книге"
        else:
            docs, _skipped = build_documents(group)
            example = next((d for d in docs if doc_id is None or d.doc_id == doc_id), None)
            if example is not None:
                context, result.example_document = example.context, example.name
    result.rows = fields.field_rows(
        doc_id, fields.context_paths(context) if context is not None else None, full)
    result.filters = fields.filter_examples(context)
    if doc_id is None:
        infos = list_templates()
        result.documents = [(d, fields.title(d), [i.name for i in infos if i.document == d])
                            for d in fields.template_documents()]
    return result
