"""``docgen blank``: blank forms to fill by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docgen.cli.base import (
    cli,
    echo,
    err,
    print_problems,
    reports_errors,
)


def _forms_text() -> str:
    """The forms, one a line, as help and usage errors list them."""
    from docgen.forms import FORMS

    return "\n".join(f"  {f.id} — {f.title}" for f in FORMS)


def _form_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """FORM resolved once; an unknown one is a usage error that lists the forms."""
    if value is None:
        return None
    from docgen.forms import find_form

    form = find_form(value)
    if form is None:
        raise click.BadParameter(f"неизвестная форма «{value}». Возможные формы:\n"
                                 f"{_forms_text()}", ctx=ctx, param=param,
                                 param_hint="ФОРМА")
    return form


def _rows_option(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """--rows within 1..300, said in Russian (click's own range reads «1<=x<=300»)."""
    from docgen.forms import MAX_ROWS, MIN_ROWS

    if value is not None and not MIN_ROWS <= value <= MAX_ROWS:
        raise click.BadParameter(f"число строк должно быть от {MIN_ROWS} до {MAX_ROWS}, а "
                                 f"указано {value}", ctx=ctx, param=param, param_hint="--rows")
    return value


def _blank_epilog() -> str:
    from docgen.forms import FORMS

    lines = [f"  {f.id:<13} {f.title}" for f in FORMS]
    return "\b\nФормы (подробнее: docgen blank --list):\n" + "\n".join(lines)


@cli.command("blank", options_metavar="[ПАРАМЕТРЫ]", epilog=_blank_epilog())
@click.argument("form", required=False, metavar="ФОРМА", callback=_form_argument)
@click.option("--list", "list_forms", is_flag=True, help="Показать формы бланков с описанием.")
@click.option("--workbook", "-w", type=click.Path(dir_okay=False, path_type=Path),
              metavar="КНИГА",
              help="Заполненная книга группы: адресат, вид и название объединения, тема и "
                   "период будут впечатаны, от руки останутся только личные поля.")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, metavar="ПАПКА",
              help="Куда записать бланк: в её вложенную папку «Бланки», а с --workbook — в "
                   "папку «Бланки» внутри папки группы, как у docgen build.")
@click.option("--rows", type=int, metavar="N", callback=_rows_option,
              help="Число пустых строк (от 1 до 300): участников в листе регистрации (по "
                   "умолчанию 30), педагогов в заявке организации (5), вопросов повестки в "
                   "протоколе (3).")
@click.option("--templates", "templates_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="ПАПКА",
              help="Папка со своими шаблонами: файл с тем же именем, что у встроенного "
                   "(например, blank_protocol.docx), заменяет его.")
@click.option("--pdf", "make_pdf", is_flag=True,
              help="Сделать также PDF бланка (рядом, с тем же именем). Нужен LibreOffice.")
@click.option("--force", is_flag=True,
              help="Заменить бланк, изменённый вручную после прошлого запуска (без этого "
                   "параметра он сохраняется, а новый пишется рядом).")
@reports_errors
def blank_command(form: Any, list_forms: bool, workbook: Path | None, out_dir: Path,
                  rows: int | None, templates_dir: Path | None, make_pdf: bool,
                  force: bool) -> None:
    """Сформировать бланк для заполнения от руки.

    Без книги все сведения в бланке — строки для записи с подсказками под
    ними; файл пишется в «ПАПКА/Бланки/». С --workbook КНИГА книга сначала проверяется,
    как в docgen check (при ошибках бланк не создаётся), а адресат, вид,
    название, тема и период работы объединения впечатываются; файл пишется в
    «ПАПКА/<учебный год>/<группа>/Бланки/».
    """
    from docgen.api.blank import blank_form, forms
    from docgen.api.check import CheckResult
    from docgen.errors import ValidationError

    if list_forms:
        for i, item in enumerate(forms()):
            if i:
                echo()
            echo(f"{item.id} — {item.title}")
            echo(f"  {item.description[:1].upper()}{item.description[1:]}.")
            echo(f"  Файл: «{item.file_name}.docx».")
            if item.rows:
                echo(f"  {item.rows_what[:1].upper()}{item.rows_what[1:]}: {item.rows} "
                     f"(другое число: --rows N).")
        return
    ctx = click.get_current_context()
    if form is None:
        raise click.UsageError(f"укажите форму бланка:\n{_forms_text()}\n"
                               f"Описание форм: docgen blank --list", ctx=ctx)
    if rows is not None and not form.rows:
        with_rows = ", ".join(f.id for f in forms() if f.rows)
        raise click.UsageError(f"у бланка «{form.id}» нет пустых строк, которые задаёт --rows; "
                               f"--rows — для форм {with_rows}", ctx=ctx)
    try:
        result = blank_form(form, out_dir, workbook=workbook, rows=rows,
                                 templates=[templates_dir] if templates_dir else None,
                                 force=force)
    except ValidationError as exc:
        assert workbook is not None
        print_problems(CheckResult(workbook, problems=exc.problems))
        err(f"{workbook.name}: бланк не сформирован — исправьте ошибки в книге и запустите "
             f"команду снова.")
        ctx.exit(1)
    what = f"Бланк «{form.title}»"
    if result.group is not None:
        what += f" для {result.group.kind.noun['gen']} «{result.group.name}»"
    echo(f"{what} записан: {result.path}")
    if result.kept is not None:
        echo(f"  файл «{result.kept.name}» изменён вручную и сохранён; новая версия "
             f"записана рядом (заменить: --force)")
    if make_pdf:
        _blank_pdf(result, force, ctx)


def _blank_pdf(result: Any, force: bool, ctx: click.Context) -> None:
    """The blank's PDF beside it; exit 1 when it could not be made."""
    from docgen.api.pdf import convert_to_pdf
    from docgen.errors import LibreOfficeNotFound

    try:
        made = convert_to_pdf([result.path] + ([result.kept] if result.kept else []),
                                   jobs=1, force=force)
    except LibreOfficeNotFound as exc:
        err(exc.message)
        ctx.exit(1)
    for source, error in made.failed:
        err(f"{source.name}: PDF не создан: {error.message}")
    for written in made.written:
        if written.source == result.path:
            echo(f"PDF: {written.path}")
        if written.kept is not None:
            echo(f"  файл «{written.kept.name}» изменён вручную и сохранён; новый PDF "
                 f"записан рядом (заменить: --force)")
    for current in made.current:
        echo(f"PDF: {current} (бланк не изменился)")
    if not made.ok:
        ctx.exit(1)
