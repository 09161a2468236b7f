"""The library entry point: what the CLI calls, usable from Python too.

Functions take paths and plain values and return results; they never print.
Failures are DocgenError subclasses (see errors.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import DocgenError, Problem, ValidationError
from docgen.kinds import Kind, find_kind, kind_names
from docgen.model import Group

if TYPE_CHECKING:
    from docgen.documents import Document, Skipped
    from docgen.forms import Form


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
    """The kind named by ``text`` (Russian name, alias or id) or a DocgenError listing them."""
    kind = find_kind(text)
    if kind is None:
        listed = ", ".join(f"«{n}»" for n in kind_names())
        raise DocgenError(f"неизвестный вид объединения «{text}»; возможные виды: {listed}")
    return kind


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

    Without a workbook the form goes to ``out_dir`` itself; with one, to the
    group's folder as `build` makes it, sub-folder «Бланки». A workbook with
    errors raises ValidationError listing them, and nothing is written. ``rows``
    (1–300) is the count of the form's empty rows, for the forms that have them.
    A file edited by hand since docgen wrote it is kept unless ``force``.
    """
    from docgen.documents import group_folder
    from docgen.engine import find_template, render
    from docgen.forms import MAX_ROWS, MIN_ROWS, form_context
    from docgen.output import MAX_FOLDER, GroupFolder, safe_name

    if isinstance(form, str):
        form = find_blank_form(form)
    if rows is not None:
        if not form.rows:
            raise DocgenError(f"у бланка «{form.id}» нет строк, число которых можно задать")
        if not MIN_ROWS <= rows <= MAX_ROWS:
            raise DocgenError(f"число строк должно быть от {MIN_ROWS} до {MAX_ROWS}, "
                              f"а указано {rows}")
    group = load_group(workbook) if workbook is not None else None
    folder = Path(out_dir)
    if group is not None:
        year, name = group_folder(group)
        folder = folder / safe_name(year) / safe_name(name, limit=MAX_FOLDER) / BLANKS_FOLDER
    template = find_template(form.doc_id, group.kind.id if group else "", templates)
    data = render(template, form_context(form, group, rows))
    with GroupFolder(folder, force=force) as output:
        path, kept = output.write(f"{safe_name(form.file_name)}.docx", data)
        output.save()
    return BlankResult(form, path, kept, group)


def annotate(path: str | Path, problems: list[Problem]) -> Path:
    """Write ``<name>.проверка.xlsx`` with every problem cell marked; returns its path."""
    from docgen.workbook.annotate import annotate as write_annotated

    return write_annotated(path, problems)


@dataclass
class Written:
    """A document written to disk; ``kept`` is a hand-edited file it did not replace."""

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

    @property
    def path(self) -> Path:
        return self.check.path

    @property
    def ok(self) -> bool:
        return self.check.ok and not self.failed


def build_workbook(path: str | Path, out_dir: str | Path = "output",
                   templates: list[Path] | None = None, force: bool = False) -> BuildResult:
    """Validate a workbook and, if it has no errors, write its kind's document set.

    Documents go to ``out_dir/<учебный год>/<вид «название»>/``. A document that
    cannot be written is recorded in ``failed`` and the others are still written.
    A document edited by hand since docgen wrote it is kept, and the new one is
    written beside it, unless ``force``.
    """
    from docgen.documents import build_documents, group_folder
    from docgen.engine import find_template, render
    from docgen.output import MAX_FOLDER, MAX_NAME, GroupFolder, safe_name

    check_result = check_workbook(path)
    result = BuildResult(check_result)
    group = check_result.group
    if not check_result.ok or group is None:
        return result
    documents, result.skipped = build_documents(group)
    year, name = group_folder(group)
    result.folder = Path(out_dir) / safe_name(year) / safe_name(name, limit=MAX_FOLDER)
    folder = GroupFolder(result.folder, force=force)
    used: set[str] = set()
    for document in documents:
        stem = safe_name(document.file_stem)
        for n in itertools.count(2):
            if stem.casefold() not in used:  # Windows names ignore case
                break
            stem = f"{safe_name(document.file_stem, limit=MAX_NAME - 8)} ({n})"
        used.add(stem.casefold())
        try:
            template = find_template(document.doc_id, document.kind_id, templates)
            target, kept = folder.write(f"{stem}.docx", render(template, document.context))
        except DocgenError as exc:
            result.failed.append((document.name, exc))
            continue
        result.written.append(Written(document, target, kept))
    try:
        folder.save()
    except DocgenError as exc:
        result.failed.append(("список записанных файлов .docgen.json", exc))
    return result
