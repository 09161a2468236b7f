"""The library entry point: what the CLI calls, usable from Python too.

Functions take paths and plain values and return results; they never print.
Failures are DocgenError subclasses (see errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError, Problem, ValidationError
from docgen.kinds import Kind, find_kind, kind_names
from docgen.model import Group


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


def annotate(path: str | Path, problems: list[Problem]) -> Path:
    """Write ``<name>.проверка.xlsx`` with every problem cell marked; returns its path."""
    from docgen.workbook.annotate import annotate as write_annotated

    return write_annotated(path, problems)
