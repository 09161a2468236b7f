"""The `docgen` command: parse options, call docgen.main, print in Russian.

This is the only module that imports click and the only one that prints. Every
DocgenError becomes one Russian line on stderr and exit code 1; click's usage
errors exit 2; a traceback is shown only with --traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from docgen import __version__, clickru
from docgen.errors import DocgenError

for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                click.types):
    if hasattr(_module, "_"):
        _module._ = clickru.gettext  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = clickru.ngettext  # type: ignore[attr-defined]

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _err(text: str) -> None:
    click.echo(text, err=True)


def _report_bug(exc: Exception, where: str = "") -> None:
    """A bug in docgen, said in one Russian line; the traceback only with --traceback."""
    if click.get_current_context().find_root().params.get("traceback"):
        traceback.print_exc()
    text = f"внутренняя ошибка docgen ({type(exc).__name__}: {exc})"
    _err(f"{where}: {text}" if where else text[:1].upper() + text[1:] + ".")
    _err("Запустите команду с --traceback и передайте вывод разработчикам.")


def reports_errors(func: F) -> F:
    """Turn DocgenError (and any bug) into a Russian line on stderr and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        show_traceback = bool(ctx.find_root().params.get("traceback"))
        try:
            return func(*args, **kwargs)
        except DocgenError as exc:
            if show_traceback:
                traceback.print_exc()
            _err(f"Ошибка: {exc}")
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _err("Прервано.")
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in Russian, keep the details optional
            _report_bug(exc)
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


def _kinds_help() -> str:
    from docgen.kinds import all_kinds

    return "; ".join(f"{k.id} — {k.name}" for k in all_kinds())


@click.group(name="docgen", context_settings=CONTEXT, options_metavar="[ПАРАМЕТРЫ]",
             subcommand_metavar="КОМАНДА [АРГУМЕНТЫ]...")
@click.version_option(__version__, "--version", prog_name="docgen",
                      message="%(prog)s, версия %(version)s")
@click.option("--traceback", is_flag=True, help="Показывать подробности внутренних ошибок "
              "(для разработчиков).")
def cli(traceback: bool) -> None:
    """docgen — документы методических объединений педагогов из одной книги Excel.

    Порядок работы: создайте пустую книгу (docgen init), заполните её в Excel,
    проверьте (docgen check) и сформируйте документы (docgen build).
    """


def _kind_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--kind by Russian name, alias or code, resolved once; unknown is a usage error."""
    if value is None:
        return None
    from docgen.main import resolve_kind

    try:
        return resolve_kind(value)
    except DocgenError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param, param_hint="--kind") from None


@cli.command("init", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="ФАЙЛ")
@click.option("--kind", "-k", metavar="ВИД", callback=_kind_option,
              help="Вид объединения: его листы будут первыми, а поле «Вид объединения» "
                   "заполнено. Можно указать название или код (docgen kinds).")
@click.option("--force", is_flag=True, help="Заменить существующий файл.")
@reports_errors
def init_command(path: Path, kind: Any, force: bool) -> None:
    """Создать пустую книгу Excel для заполнения.

    В книге есть все листы и столбцы, выпадающие списки, форматы дат,
    подсказки к каждому полю и лист «Инструкция». Существующий файл не
    заменяется без --force.
    """
    from docgen import main

    written = main.init_workbook(path, kind, force=force)
    what = f" (вид: {kind.name})" if kind else ""
    click.echo(f"Создана пустая книга {written}{what}.")
    click.echo(f"Заполните её в Excel и проверьте: docgen check \"{written}\"")


def _summary(errors: int, warnings: int) -> str:
    from docgen.russian import count

    if not errors and not warnings:
        return "ошибок нет"
    parts = []
    parts.append(count(errors, "ошибка", "ошибки", "ошибок") if errors else "ошибок нет")
    if warnings:
        parts.append(count(warnings, "предупреждение", "предупреждения", "предупреждений"))
    return ", ".join(parts)


def _print_problems(result: Any, quiet: bool = False) -> None:
    """A workbook's header line and its problems, as `check` and `build` show them."""
    shown = result.errors if quiet else result.problems
    click.echo(f"{result.path.name}: {_summary(len(result.errors), len(result.warnings))}")
    for problem in shown:
        click.echo(f"  {problem.severity.label}: {problem.format(with_file=False)}")


@cli.command("check", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path), metavar="ФАЙЛ...")
@click.option("--annotate", is_flag=True,
              help="Записать рядом копию книги «<имя>.проверка.xlsx», где ячейки с ошибками "
                   "закрашены, а текст ошибки — в примечании. Исходная книга не меняется.")
@click.option("--quiet", "-q", is_flag=True, help="Не показывать предупреждения.")
@reports_errors
def check_command(paths: tuple[Path, ...], annotate: bool, quiet: bool) -> None:
    """Проверить книги и показать все ошибки сразу.

    Для каждой ошибки указаны лист, ячейка и как её исправить. Ошибки мешают
    сформировать документы, предупреждения — нет. Код выхода 0, если ошибок нет,
    и 1, если они есть.
    """
    from docgen import main

    failed = 0
    for i, result in enumerate(main.check(list(paths))):
        name = result.path.name
        if result.error is not None:
            failed += 1
            _err(f"{name}: {result.error.message}")
            continue
        if i:
            click.echo()
        _print_problems(result, quiet)
        if not result.ok:
            failed += 1
        if annotate and result.problems:
            written = main.annotate(result.path, result.problems)
            click.echo(f"  Копия с пометками: {written}")
    if len(paths) > 1:
        click.echo()
        click.echo(f"Проверено книг: {len(paths)}, из них с ошибками: {failed}.")
    if failed:
        sys.exit(1)


@cli.command("build", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="КНИГА...")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, metavar="ПАПКА",
              help="Куда записать документы: в ней появится папка учебного года, а в ней "
                   "папка группы.")
@click.option("--force", is_flag=True,
              help="Заменять и документы, изменённые вручную после прошлого запуска (без "
                   "этого параметра они сохраняются, а новая версия пишется рядом).")
@click.option("--quiet", "-q", is_flag=True, help="Не показывать предупреждения.")
@reports_errors
def build_command(paths: tuple[Path, ...], out_dir: Path, force: bool, quiet: bool) -> None:
    """Сформировать все документы группы по заполненной книге.

    Сначала книга проверяется, как в docgen check: при ошибках документы не
    создаются. Затем в папку «ПАПКА/<учебный год>/<группа>/» записываются
    приказы, положение, план, протоколы и другие документы, которые ведёт
    объединение этого вида. Документ, для которого лист книги пуст,
    пропускается с пояснением. Документ, изменённый вручную после прошлого
    запуска, не заменяется: новая версия пишется рядом с пометкой «(новая
    версия)». Можно указать несколько книг: ошибка в одной не мешает остальным.
    """
    from docgen import main
    from docgen.russian import count

    failed = 0
    for i, path in enumerate(paths):
        if i:
            click.echo()
        try:
            result = main.build_workbook(path, out_dir, force=force)
        except DocgenError:
            raise
        except Exception as exc:  # a bug on this workbook must not cost the others
            _report_bug(exc, f"{path.name}")
            failed += 1
            continue
        check = result.check
        if check.error is not None:
            failed += 1
            _err(f"{path.name}: {check.error.message}")
            continue
        if check.problems:
            _print_problems(check, quiet)
        if not check.ok:
            failed += 1
            _err(f"{path.name}: документы не сформированы — исправьте ошибки в книге и "
                 f"запустите команду снова.")
            continue
        click.echo(f"{path.name}: документы записаны в папку {result.folder}:")
        for written in result.written:
            click.echo(f"  {written.path.name}")
            if written.kept is not None:
                click.echo(f"    файл «{written.kept.name}» изменён вручную и сохранён; новая "
                           f"версия записана рядом (заменить: --force)")
        for skipped in result.skipped:
            click.echo(f"  пропущено: {skipped.reason}")
        for name, error in result.failed:
            _err(f"  не записан документ «{name}»: {error}")
        written = count(len(result.written), "документ", "документа", "документов")
        click.echo(f"Записано: {written}"
                   + (f", не записано: {len(result.failed)}." if result.failed else "."))
        if result.failed:
            failed += 1
    if len(paths) > 1:
        click.echo()
        click.echo(f"Обработано книг: {len(paths)}, из них с ошибками: {failed}.")
    if failed:
        sys.exit(1)


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
              help="Куда записать бланк. С --workbook — в папку группы, как у docgen build, "
                   "во вложенную папку «Бланки».")
@click.option("--rows", type=int, metavar="N", callback=_rows_option,
              help="Число пустых строк (от 1 до 300): участников в листе регистрации (по "
                   "умолчанию 30), педагогов в заявке организации (5), вопросов повестки в "
                   "протоколе (3).")
@click.option("--templates", "templates_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="ПАПКА",
              help="Папка со своими шаблонами: файл с тем же именем, что у встроенного "
                   "(например, blank_protocol.docx), заменяет его.")
@click.option("--force", is_flag=True,
              help="Заменить бланк, изменённый вручную после прошлого запуска (без этого "
                   "параметра он сохраняется, а новый пишется рядом).")
@reports_errors
def blank_command(form: Any, list_forms: bool, workbook: Path | None, out_dir: Path,
                  rows: int | None, templates_dir: Path | None, force: bool) -> None:
    """Сформировать бланк для заполнения от руки.

    Без книги все сведения в бланке — строки для записи с подсказками под
    ними; файл пишется в ПАПКУ. С --workbook КНИГА книга сначала проверяется,
    как в docgen check (при ошибках бланк не создаётся), а адресат, вид,
    название, тема и период работы объединения впечатываются; файл пишется в
    «ПАПКА/<учебный год>/<группа>/Бланки/».
    """
    from docgen import main
    from docgen.errors import ValidationError

    if list_forms:
        for i, item in enumerate(main.forms()):
            if i:
                click.echo()
            click.echo(f"{item.id} — {item.title}")
            click.echo(f"  {item.description[:1].upper()}{item.description[1:]}.")
            click.echo(f"  Файл: «{item.file_name}.docx».")
            if item.rows:
                click.echo(f"  {item.rows_what[:1].upper()}{item.rows_what[1:]}: {item.rows} "
                           f"(другое число: --rows N).")
        return
    ctx = click.get_current_context()
    if form is None:
        raise click.UsageError(f"укажите форму бланка:\n{_forms_text()}\n"
                               f"Описание форм: docgen blank --list", ctx=ctx)
    if rows is not None and not form.rows:
        with_rows = ", ".join(f.id for f in main.forms() if f.rows)
        raise click.UsageError(f"у бланка «{form.id}» нет пустых строк, которые задаёт --rows; "
                               f"--rows — для форм {with_rows}", ctx=ctx)
    try:
        result = main.blank_form(form, out_dir, workbook=workbook, rows=rows,
                                 templates=[templates_dir] if templates_dir else None,
                                 force=force)
    except ValidationError as exc:
        assert workbook is not None
        _print_problems(main.CheckResult(workbook, problems=exc.problems))
        _err(f"{workbook.name}: бланк не сформирован — исправьте ошибки в книге и запустите "
             f"команду снова.")
        ctx.exit(1)
    what = f"Бланк «{form.title}»"
    if result.group is not None:
        what += f" для {result.group.kind.noun['gen']} «{result.group.name}»"
    click.echo(f"{what} записан: {result.path}")
    if result.kept is not None:
        click.echo(f"  файл «{result.kept.name}» изменён вручную и сохранён; новая версия "
                   f"записана рядом (заменить: --force)")

@cli.command("kinds", options_metavar="[ПАРАМЕТРЫ]")
@reports_errors
def kinds_command() -> None:
    """Показать виды объединений и правила, которые проверяются для каждого."""
    from docgen.kinds import all_kinds
    from docgen.russian import count

    for kind in all_kinds():
        r = kind.rules
        click.echo(f"{kind.name} (код {kind.id})")
        click.echo(f"  глава группы: {kind.head_role}")
        if r.head_categories:
            click.echo(f"  категория главы: {' или '.join(r.head_categories)}")
        if r.head_min_experience:
            click.echo(f"  стаж главы: не менее {r.head_min_experience} лет")
        if r.min_meetings:
            click.echo(f"  заседаний в год: не менее {r.min_meetings}")
        if r.terms:
            click.echo("  заседание в каждую четверть (у дошкольных групп — в каждый квартал)")
        if r.min_organizations > 1:
            click.echo(f"  участники не менее чем из "
                       f"{count(r.min_organizations, 'организации', 'организаций', 'организаций')}")
        if r.direction_required:
            click.echo("  обязательно направление")
        if r.fixed_period:
            click.echo(f"  период работы: {r.fixed_period[0]}–{r.fixed_period[1]}")
        if r.required_sheets:
            from docgen.workbook.schema import SHEETS_BY_KEY

            names = ", ".join(f"«{SHEETS_BY_KEY[s].name}»" for s in r.required_sheets)
            click.echo(f"  обязательные листы: {names}")
        from docgen.kinds import DOCUMENT_NAMES, DOCUMENTS

        own = {"order_head": f"приказ о назначении {kind.head_title['gen']}",
               "plan": kind.plan_title.lower()}
        docs = [own.get(d, DOCUMENT_NAMES[d])
                for d in sorted(kind.documents, key=DOCUMENTS.index)]
        click.echo(f"  документы: {', '.join(docs)}")
        click.echo()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="docgen")


if __name__ == "__main__":
    main()
