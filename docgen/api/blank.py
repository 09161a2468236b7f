"""Blank forms (``docgen blank``): an application or a registration sheet to fill by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.api.build import group_path
from docgen.api.check import load_group
from docgen.errors import DocgenError
from docgen.workbook.model import Group

if TYPE_CHECKING:

    from docgen.forms import Form


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
    from docgen.content.documents import form_context
    from docgen.forms import MAX_ROWS, MIN_ROWS
    from docgen.output.folders import GroupFolder
    from docgen.runtime.files import check_inside, safe_name
    from docgen.templating import find_template, render

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
    # a «Бланки» planted as a link out of the output folder is refused like a group's folder
    folder = check_inside((group_path(out_dir, group) if group else Path(out_dir))
                          / BLANKS_FOLDER, Path(out_dir))
    template = find_template(form.doc_id, group.kind.id if group else "", templates)
    data = render(template, form_context(form, group, rows))
    with GroupFolder(folder, force=force) as output:
        output.expect([data])
        path, kept = output.write(f"{safe_name(form.file_name)}.docx", data)
        output.finish()
    return BlankResult(form, path, kept, group)
