"""The `docgen` command: parse options, call docgen.main, print in Russian.

This is the only module that imports click and the only one that prints. Every
DocgenError becomes one Russian line on stderr and exit code 1; click's usage
errors exit 2; a traceback is shown only with --traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections import Counter
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
import click.utils

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
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except KeyboardInterrupt:
            _err("Прервано.")
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in Russian, keep the details optional
            _report_bug(exc)
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


class WholeSummaryCommand(click.Command):
    """A command whose one-line summary in its group's help is never cut short.

    click shortens a summary to fit the terminal and ends it with «...»; a clerk
    would read «правила, которые проверяются для...». The summary is the first
    sentence of the help, whole; the help formatter wraps it onto more lines.
    """

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return " ".join(self.short_help.split())
        return first_sentence(self.help or "")


def first_sentence(text: str) -> str:
    """The first sentence of a help text's first paragraph, whole (click's own helper for
    this is deprecated and cuts at a width)."""
    paragraph = text.strip().split("\n\n", 1)[0].replace("\b", "")
    words = paragraph.split()
    for i, word in enumerate(words):
        if word.endswith((".", "!", "?")) and i + 1 < len(words):
            return " ".join(words[:i + 1])
    return " ".join(words)


class WholeSummaryGroup(WholeSummaryCommand, click.Group):
    """A command group whose own and whose commands' summaries are whole."""

    command_class = WholeSummaryCommand
    group_class = type


def _kinds_help() -> str:
    from docgen.kinds import all_kinds

    return "; ".join(f"{k.id} — {k.name}" for k in all_kinds())


@click.group(name="docgen", cls=WholeSummaryGroup, context_settings=CONTEXT,
             options_metavar="[ПАРАМЕТРЫ]",
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
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="[ФАЙЛ]",
                required=False)
@click.option("--kind", "-k", metavar="ВИД", callback=_kind_option,
              help="Вид объединения: его листы будут первыми, а поле «Вид объединения» "
                   "заполнено. Можно указать название, слово из него («творческая», «гмо») "
                   "или код (docgen kinds).")
@click.option("--from", "source", type=click.Path(exists=True, path_type=Path),
              metavar="КНИГА_ИЛИ_ПАПКА",
              help="Книга (или папка книг) прошлого учебного года: новая книга получит её "
                   "группу, участников и организации, а учебный год и даты — на год позже.")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="ПАПКА", help="С --from и папкой: куда записать новые книги.")
@click.option("--force", is_flag=True, help="Заменить существующий файл.")
@reports_errors
def init_command(path: Path | None, kind: Any, source: Path | None, out_dir: Path | None,
                 force: bool) -> None:
    """Создать пустую книгу Excel для заполнения.

    В книге есть все листы и столбцы, выпадающие списки, форматы дат,
    подсказки к каждому полю и лист «Инструкция». Существующий файл не
    заменяется без --force.

    С --from книга следующего учебного года делается из прошлогодней:
    docgen init НОВАЯ.xlsx --from ПРОШЛАЯ.xlsx, или для всех книг папки:
    docgen init --from ПАПКА -o НОВАЯ_ПАПКА. Переносятся вид, название,
    сведения о методической службе, участники (стаж на год больше) и
    организации; тема, цель и задачи переносятся с примечанием «проверьте»;
    номера и даты приказов, заседания, план, мероприятия, продукты, проблемы
    и предложения остаются пустыми. Прошлогодняя книга не изменяется.
    """
    from docgen import main

    if source is not None:
        _carry_over(source, path, out_dir, kind, force)
        return
    if path is None:
        raise click.UsageError("укажите имя новой книги: docgen init ФАЙЛ.xlsx")
    written = main.init_workbook(path, kind, force=force)
    what = f" (вид: {kind.name})" if kind else ""
    click.echo(f"Создана пустая книга {written}{what}.")
    click.echo(f"Заполните её в Excel и проверьте: docgen check \"{written}\"")
    click.echo(f"Фото к отчётам о мероприятиях кладите в папку книги "
               f"({written.resolve().parent}) или её подпапку и указывайте в столбце «Фото» "
               f"листа «Мероприятия».")


def _carry_over(source: Path, path: Path | None, out_dir: Path | None, kind: Any,
                force: bool) -> None:
    """``init --from``: one workbook, or every workbook of a folder, a year on."""
    from docgen import main

    if kind is not None:
        raise click.UsageError("с --from вид объединения берётся из прошлогодней книги; "
                               "уберите --kind")
    if source.is_dir():
        if out_dir is None or path is not None:
            raise click.UsageError("для папки укажите, куда записать новые книги: "
                                   "docgen init --from ПАПКА -o НОВАЯ_ПАПКА")
        done = main.carry_folder(source, out_dir, force=force)
        for result in done.results:
            _print_carry(result)
        for failed_path, exc in done.failed:
            _err(f"{failed_path}: {exc}" if not exc.file else f"Ошибка: {exc}")
        click.echo(f"Перенесено книг: {len(done.results)}"
                   + (f", не перенесено: {len(done.failed)}." if done.failed else "."))
        click.echo(f"В каждой книге заполните номер и дату приказа и заседания нового года "
                   f"и проверьте: docgen check \"{out_dir}\"")
        if done.failed:
            sys.exit(1)
        return
    if path is None:
        raise click.UsageError("укажите имя новой книги: docgen init НОВАЯ.xlsx --from "
                               "ПРОШЛАЯ.xlsx")
    if out_dir is not None:
        raise click.UsageError("-o нужен только для папки; для одной книги укажите её имя")
    result = main.carry_over(source, path, force=force)
    _print_carry(result)
    click.echo(f"Заполните номер и дату приказа, заседания нового года и проверьте: "
               f"docgen check \"{result.target}\"")


def _print_carry(result: Any) -> None:
    year = f" на {result.year} учебный год" if result.year else ""
    click.echo(f"Создана книга {result.target}{year} из {result.source.name}.")
    if result.confirm:
        click.echo(f"  Проверьте перенесённые тему, цель и задачи (лист «Группа», "
                   f"{', '.join(result.confirm)}): у ячеек есть примечание.")
    if result.problems:
        click.echo(f"  В прошлогодней книге были ошибки, они перенесены как есть "
                   f"({len(result.problems)}):")
        for problem in result.problems:
            click.echo(f"    {problem.format(with_file=False)}")


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
                metavar="КНИГА_ИЛИ_ПАПКА...")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, metavar="ПАПКА",
              help="Куда записать документы: в ней появится папка учебного года, а в ней "
                   "папка группы.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Сколько книг обрабатывать одновременно (по умолчанию — по числу "
                   "ядер процессора); с --pdf — и сколько копий LibreOffice запускать сразу "
                   "(по умолчанию по числу ядер, но не больше 4).")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False,
              path_type=Path), default=None, metavar="ПАПКА",
              help="Папка со своими шаблонами: шаблон из неё заменяет встроенный с тем же "
                   "именем файла (docgen templates export).")
@click.option("--dump-context", "dump_context", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="ПАПКА",
              help="Записать также данные каждого документа в JSON (в той же раскладке "
                   "папок) — для авторов шаблонов: какие поля есть и что в них.")
@click.option("--pdf", "make_pdf", is_flag=True,
              help="Сделать также PDF каждого документа (рядом, с тем же именем). Нужен "
                   "LibreOffice; без него документы .docx всё равно записываются.")
@click.option("--bundle", is_flag=True,
              help="Собрать также все документы группы по порядку в один файл «Комплект "
                   "документов.docx» (с --pdf — и его PDF), чтобы напечатать их разом.")
@click.option("--force", is_flag=True,
              help="Заменять и документы, изменённые вручную после прошлого запуска (без "
                   "этого параметра они сохраняются, а новая версия пишется рядом); с --pdf "
                   "— и делать PDF заново, даже если документ не менялся.")
@click.option("--quiet", "-q", is_flag=True, help="Не показывать предупреждения.")
@reports_errors
def build_command(paths: tuple[Path, ...], out_dir: Path, jobs: int | None,
                  templates: Path | None, dump_context: Path | None, make_pdf: bool,
                  bundle: bool, force: bool, quiet: bool) -> None:
    """Сформировать документы групп по заполненным книгам.

    Можно указать книги и папки: из папки берутся все книги .xlsx и .xlsm
    (временные файлы Excel «~$…» пропускаются), а таблицы .xls, .ods и .csv
    показываются как необработанные, с подсказкой сохранить их в .xlsx.
    Каждая книга сначала проверяется, как в docgen check: при ошибках её
    документы не создаются, а остальные книги обрабатываются. Документы
    записываются в «ПАПКА/<учебный год>/<группа>/»,
    а в папке учебного года — «Реестр документов.xlsx» со списком всех
    документов. Документ, для которого лист книги пуст, пропускается с
    пояснением. Документ, изменённый вручную после прошлого запуска, не
    заменяется: новая версия пишется рядом с пометкой «(новая версия)».

    С --pdf рядом с каждым документом появляется его PDF (нужен LibreOffice;
    путь к нему можно указать в переменной DOCGEN_SOFFICE). Если PDF сделать не
    удалось, код выхода 1, но документы .docx записаны.
    """
    from docgen import main

    workbooks, missing = main.workbook_paths(list(paths))
    for problem in missing:
        _err(f"{problem.file}: {problem.message}")
    results: dict[int, Any] = {}
    batch = main.build_batch(workbooks, out_dir, [templates] if templates else None, force,
                             jobs, dump_context, bundle)
    if len(workbooks) > 1 and sys.stderr.isatty():
        with click.progressbar(length=len(workbooks), label="Обработка книг",
                               file=sys.stderr) as bar:
            for i, result in batch:
                results[i] = result
                bar.update(1)
    else:
        results = dict(batch)
    ordered = [results[i] for i in range(len(workbooks))]
    failed = len(missing)
    said = {"out": False, "err": bool(missing)}  # a blank line between blocks, never first
    shared: dict[str, list[tuple[str, str]]] | None = {} if len(workbooks) > 1 else None
    causes = Counter(r.error.message for r in ordered if r.error is not None and r.check.ok)
    common = {cause for cause, n in causes.items() if n > 1}  # a full disk: said once below
    for result in ordered:
        news = len(workbooks) == 1 or _has_news(result, quiet, common)
        if news:
            stream = "out" if _says_on_stdout(result, quiet, len(workbooks) == 1) else "err"
            if said[stream]:
                click.echo(err=stream == "err")
            said[stream] = True
        failed += not _print_build(result, quiet, files=len(workbooks) == 1, shared=shared,
                                   common=common)
    for cause in sorted(common):
        books = [r.path.name for r in ordered if r.error is not None and r.error.message == cause]
        shown = ", ".join(books[:3]) + (f" и ещё {len(books) - 3}" if len(books) > 3 else "")
        _err(f"Документы не записаны для {len(books)} книг ({shown}): {cause}")
    for line in _shared_failures(shared or {}):
        _err(line)
    pdf_said: list[str] = []
    pdf_ok = not make_pdf or _build_pdfs(main.pdf_sources(ordered), jobs, force, pdf_said)
    registry_ok = True
    registry_error = ""
    try:
        registries = main.write_registries(ordered)
    except DocgenError as exc:  # not a workbook's failure: said apart, exit 1
        registry_error = str(exc)
        registries, registry_ok = [], False
    try:
        summaries = main.write_summaries(ordered)
    except DocgenError as exc:  # as the registry: not a workbook's failure
        summaries, registry_ok = [], False
        if str(exc) == registry_error:  # one cause (a full disk): said once for both
            _err(f"Реестр документов и сводный отчёт не записаны: {exc}")
            registry_error = ""
        else:
            _err(f"Сводный отчёт не записан: {exc}")
    if registry_error:
        _err(f"Реестр документов не записан: {registry_error}")
    if len(workbooks) > 1:
        if said["out"]:
            click.echo()
        _print_summary(ordered)
    for registry in registries:
        click.echo(f"Реестр документов: {registry}")
    for summary in summaries:
        click.echo(f"Свод по году: {summary}")
    if len(workbooks) + len(missing) > 1:
        from docgen.russian import count

        written = sum(len(r.written) for r in ordered)
        click.echo(f"Обработано книг: {len(workbooks)}, из них с ошибками: {failed}. Записано: "
                   f"{count(written, 'документ', 'документа', 'документов')}.")
        bundles = sum(1 for r in ordered if r.bundle is not None)
        if bundle and bundles:
            click.echo(f"Комплектов документов: {bundles}.")
    for line in pdf_said:
        click.echo(line)
    if failed or not workbooks or not pdf_ok or not registry_ok:
        sys.exit(1)


def _says_on_stdout(result: Any, quiet: bool, files: bool) -> bool:
    """Whether a workbook's block starts on stdout (its problems, its documents)."""
    check = result.check
    if result.crash is not None or check.error is not None:
        return False
    return files or bool(check.errors or (check.warnings and not quiet))


def _shared_failures(shared: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A cause that failed documents of several workbooks (a full disk), said once."""
    from docgen.russian import count

    lines = []
    for error, items in shared.items():
        books = list(dict.fromkeys(book for book, _ in items))
        shown = ", ".join(books[:3]) + (f" и ещё {len(books) - 3}" if len(books) > 3 else "")
        lines.append(f"Не {'записан' if len(items) == 1 else 'записаны'} "
                     f"{count(len(items), 'документ', 'документа', 'документов')} "
                     f"({'книга' if len(books) == 1 else 'книги'} {shown}): {error}")
    return lines


def _build_pdfs(sources: list[Path], jobs: int | None, force: bool, said: list[str]) -> bool:
    """Make the PDFs of a build; problems go to stderr now, the summary to ``said``.

    False when some PDF was not made (LibreOffice missing or failing).
    """
    from docgen import main
    from docgen.errors import PdfError

    if not sources:
        return True
    try:
        if len(sources) > 1 and sys.stderr.isatty():
            with click.progressbar(length=len(sources), label="Создание PDF",
                                   file=sys.stderr) as bar:
                result = main.convert_to_pdf(sources, jobs, force, progress=bar.update)
        else:
            result = main.convert_to_pdf(sources, jobs, force)
    except PdfError as exc:  # LibreOffice missing, the system temp folder full or closed
        _err(exc.message)
        return False
    _print_pdfs(result, said)
    return result.ok


def _print_pdfs(result: Any, said: list[str]) -> None:
    """Each PDF that failed (stderr) or kept a hand-edited one; the count line into ``said``."""
    from docgen.russian import count

    by_error: dict[str, list[Path]] = {}  # LibreOffice that does not start fails them all
    for source, error in result.failed:
        by_error.setdefault(error.message, []).append(source)
    for message, sources in by_error.items():
        if len(sources) <= 3:
            for source in sources:
                _err(f"{source.parent.name}/{source.name}: PDF не создан: {message}")
            continue
        names = ", ".join(f"{s.parent.name}/{s.name}" for s in sources[:2])
        _err(f"PDF не созданы для {count(len(sources), 'документа', 'документов', 'документов')}"
             f" ({names} и других): {message}")
    for written in result.written:
        if written.kept is not None:
            click.echo(f"{written.source.parent.name}: файл «{written.kept.name}» изменён "
                       f"вручную и сохранён; новый PDF записан рядом (заменить: --force)")
    line = f"PDF: записано {len(result.written)}"
    if result.current:
        line += f"; не переделаны {len(result.current)} — их документы не менялись"
    if result.failed:
        line += f"; не создано {len(result.failed)}"
    said.append(line + ".")


def _has_news(result: Any, quiet: bool, common: set[str] | None = None) -> bool:
    """Whether a workbook of a batch has anything to say beyond the summary table."""
    check = result.check
    own_error = result.error is not None and result.error.message not in (common or ())
    return bool(check.error or check.errors or (check.warnings and not quiet)
                or own_error or result.crash or any(w.kept for w in result.written)
                or result.bundle_kept or result.manifest_error  # failures: said by cause
                or result.retired or result.retired_kept)


def _print_build(result: Any, quiet: bool, files: bool,
                 shared: dict[str, list[tuple[str, str]]] | None = None,
                 common: set[str] | None = None) -> bool:
    """One workbook's outcome; ``files`` lists every document (for a single workbook).

    With ``shared`` (a batch), documents that failed are gathered there by cause,
    to be said once for all workbooks; a workbook-wide error in ``common`` (shared
    by several workbooks) is said once by the caller.
    """
    from docgen.russian import count

    name = result.path.name
    check = result.check
    if result.crash is not None:
        root = click.get_current_context().find_root()
        if root.params.get("traceback") and result.crash_traceback:
            _err(result.crash_traceback.rstrip())
        _err(f"{name}: внутренняя ошибка docgen ({result.crash})")
        _err("Запустите команду с --traceback и передайте вывод разработчикам.")
        return False
    if check.error is not None:
        _err(f"{name}: {check.error.message}")
        return False
    if check.errors or (check.warnings and not quiet):
        _print_problems(check, quiet)
    if not check.ok:
        _err(f"{name}: документы не сформированы — исправьте ошибки в книге и "
             f"запустите команду снова.")
        return False
    if result.error is not None:
        if result.error.message not in (common or ()):
            _err(f"{name}: {result.error.message}")
        return False
    if files:
        click.echo(f"{name}: документы записаны в папку {result.folder}:")
    for written in result.written:
        if files:
            click.echo(f"  {written.path.name}")
        if written.kept is not None:
            click.echo(f"{'    ' if files else f'{name}: '}файл «{written.kept.name}» изменён "
                       f"вручную и сохранён; новая версия записана рядом (заменить: --force)")
    if files:
        for skipped in result.skipped:
            click.echo(f"  пропущено: {skipped.reason}")
    lead = "  " if files else f"{name}: "
    if result.retired:
        click.echo(f"{lead}удалено прежних файлов программы: {len(result.retired)} — документы "
                   f"прежних запусков с другими именами или которых больше нет в книге")
    for old in result.retired_kept:
        click.echo(f"{lead}прежний файл «{old.name}» изменён вручную и сохранён, хотя "
                   f"программа его больше не делает: перенесите правки в новый файл и удалите "
                   f"его сами")
    by_error: dict[str, list[str]] = {}  # one broken template fails all its documents
    for document, error in result.failed:
        if shared is not None:
            shared.setdefault(str(error), []).append((name, document))
            continue
        by_error.setdefault(str(error), []).append(f"«{document}»")
    for error, documents in by_error.items():
        if len(documents) == 1:
            what = f"не записан документ {documents[0]}"
        elif len(documents) <= 3:
            what = f"не записаны документы {', '.join(documents)}"
        else:  # a cause shared by many: said once, with the count
            more = f" и ещё {len(documents) - 10}" if len(documents) > 10 else ""
            what = (f"не записаны документы ({len(documents)}): "
                    f"{', '.join(documents[:10])}{more}")
        _err(f"{'  ' if files else f'{name}: '}{what}: {error}")
    if result.manifest_error is not None:
        _err(f"{'  ' if files else f'{name}: '}документы записаны, но список записанных файлов "
             f"(.docgen.json) не обновлён: {result.manifest_error}")
    if result.bundle is not None and files:
        click.echo(f"Комплект документов: {result.bundle}")
    if result.bundle_kept is not None:
        click.echo(f"{'  ' if files else f'{name}: '}файл «{result.bundle_kept.name}» изменён "
                   f"вручную и сохранён; новый комплект записан рядом (заменить: --force)")
    if files:
        written = count(len(result.written), "документ", "документа", "документов")
        click.echo(f"Записано: {written}"
                   + (f", не записано: {len(result.failed)}." if result.failed else "."))
    return not result.failed and result.manifest_error is None


def _status(result: Any) -> str:
    check = result.check
    if result.crash is not None:
        return "внутренняя ошибка"
    if check.error is not None:
        return "книга не читается"
    if not check.ok:
        return f"ошибки в книге: {len(check.errors)}"
    if result.error is not None:
        return "не записано"
    if result.failed:
        return f"не записано документов: {len(result.failed)}"
    if result.manifest_error is not None:
        return "не сохранён .docgen.json"
    kept = sum(1 for w in result.written if w.kept is not None)
    return f"готово, сохранены правки: {kept}" if kept else "готово"


def _print_summary(results: list[Any]) -> None:
    """The batch as a table: workbook, group, documents written, status."""
    def cut(text: str, width: int) -> str:
        return text if len(text) <= width else text[:width - 1] + "…"

    rows = [("Книга", "Группа", "Документов", "Итог")]
    for result in results:
        rows.append((cut(result.path.name, 40), cut(result.group_name, 45) or "—",
                     str(len(result.written)), _status(result)))
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]),
                 row[3]]
        click.echo("  ".join(cells).rstrip())
        if n == 0:
            click.echo("  ".join("─" * w for w in widths))


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
    if make_pdf:
        _blank_pdf(result, force, ctx)


def _blank_pdf(result: Any, force: bool, ctx: click.Context) -> None:
    """The blank's PDF beside it; exit 1 when it could not be made."""
    from docgen import main
    from docgen.errors import LibreOfficeNotFound

    try:
        made = main.convert_to_pdf([result.path] + ([result.kept] if result.kept else []),
                                   jobs=1, force=force)
    except LibreOfficeNotFound as exc:
        _err(exc.message)
        ctx.exit(1)
    for source, error in made.failed:
        _err(f"{source.name}: PDF не создан: {error.message}")
    for written in made.written:
        if written.source == result.path:
            click.echo(f"PDF: {written.path}")
        if written.kept is not None:
            click.echo(f"  файл «{written.kept.name}» изменён вручную и сохранён; новый PDF "
                       f"записан рядом (заменить: --force)")
    for current in made.current:
        click.echo(f"PDF: {current} (бланк не изменился)")
    if not made.ok:
        ctx.exit(1)

@cli.group("templates", options_metavar="[ПАРАМЕТРЫ]",
           subcommand_metavar="КОМАНДА [АРГУМЕНТЫ]...")
def templates_group() -> None:
    """Свои шаблоны документов: список, копия для правки в Word, проверка.

    Шаблон — обычный файл Word (.docx) с полями вроде {{ group.theme }}.
    Скопируйте встроенные шаблоны в свою папку (docgen templates export),
    измените их в Word, проверьте (docgen templates check) и формируйте
    документы по ним. Какие поля можно использовать, показывает docgen fields.
    """


def _document_title(document: str | None, kind: Any) -> str:
    from docgen.templating import document_title

    if document is None:
        return "не используется: имя не совпадает ни с одним документом"
    title = document_title(document)
    return f"{title} — только для вида «{kind.name}»" if kind is not None else title


@templates_group.command("list", options_metavar="[ПАРАМЕТРЫ]")
@click.option("--templates", "folder", metavar="ПАПКА",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Папка со своими шаблонами: показать, какие встроенные они заменяют.")
@reports_errors
def templates_list_command(folder: Path | None) -> None:
    """Показать встроенные шаблоны: файл и документ, который по нему делается.

    С --templates отмечены шаблоны, которые заменяют файлы из вашей папки
    (файл с тем же именем), и перечислены остальные файлы этой папки.
    """
    from docgen import main
    from docgen.templating import builtin_templates

    infos = main.list_templates([folder] if folder else None)
    width = max(len(i.name) for i in infos) + 2
    click.echo(f"Встроенные шаблоны (папка {builtin_templates()}):")
    for info in (i for i in infos if i.builtin is not None):
        line = f"  {info.name:<{width}}{_document_title(info.document, info.kind)}"
        if info.custom is not None:
            line += f"\n  {'':<{width}}заменён файлом {info.custom}"
            if info.document == "regulation" and info.kind is None:
                line += " (виды со своим шаблоном regulation_<вид>.docx берут свой)"
        click.echo(line)
    if folder is None:
        click.echo()
        click.echo("Копия для правки: docgen templates export ПАПКА; свои шаблоны из папки "
                   "заменяют встроенные с тем же именем.")
        return
    others = [i for i in infos if i.builtin is None]
    if others:
        click.echo()
        click.echo(f"Другие файлы в папке {folder}:")
        for info in others:
            note = ""
            if info.document is not None:
                note = (f"; у этого вида — вместо {info.document}.docx" if info.kind
                        else "")
            click.echo(f"  {info.name:<{width}}{_document_title(info.document, info.kind)}{note}")
    replaced = sum(1 for i in infos if i.builtin is not None and i.custom is not None)
    click.echo()
    click.echo(f"Заменено встроенных шаблонов: {replaced} из "
               f"{sum(1 for i in infos if i.builtin is not None)}.")


@templates_group.command("export", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="ПАПКА")
@click.argument("documents", nargs=-1, metavar="[ДОКУМЕНТ]...")
@click.option("--force", is_flag=True,
              help="Заменить файлы, которые уже есть в папке (ваши правки в них пропадут).")
@reports_errors
def templates_export_command(folder: Path, documents: tuple[str, ...], force: bool) -> None:
    """Скопировать встроенные шаблоны в папку, чтобы изменить их в Word.

    Без ДОКУМЕНТ копируются все шаблоны; можно назвать нужные: код или
    название документа (protocol, «приказ о создании», положение) или имя
    файла (regulation_gmo.docx). Файлы, которые уже есть в папке, не
    заменяются без --force.
    """
    from docgen import main
    from docgen.russian import count

    result = main.export_templates(folder, list(documents), force=force)
    written = [*result.copied, *result.replaced]
    if written:
        click.echo(f"В папку {result.folder} скопировано: "
                   f"{count(len(written), 'шаблон', 'шаблона', 'шаблонов')}")
        for path in written:
            click.echo(f"  {path.name}" + (" (заменён)" if path in result.replaced else ""))
    if result.kept:
        names = ", ".join(p.name for p in result.kept)
        click.echo(f"Уже есть в папке и не заменены (заменить — --force): {names}")
    click.echo()
    click.echo("Измените нужные шаблоны в Word, а остальные удалите из папки: для них docgen "
               "возьмёт встроенные.")
    click.echo(f"Проверьте шаблоны: docgen templates check \"{result.folder}\"")


@templates_group.command("check", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("paths", nargs=-1, required=True, metavar="ПАПКА|ФАЙЛ...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Не показывать предупреждения.")
@reports_errors
def templates_check_command(paths: tuple[Path, ...], quiet: bool) -> None:
    """Проверить шаблоны, не формируя документов.

    Для каждого файла .docx показаны ошибки в записи полей и тегов
    (незакрытый {% if %}, лишние или недостающие скобки), неизвестные
    переменные и фильтры, теги, которые Word разорвал на несколько абзацев,
    и абзацы с тегом {%p … %}, где есть другой текст. Код выхода 0, если
    ошибок нет, и 1, если они есть.
    """
    from docgen import main

    checks = main.check_templates(list(paths))
    if not checks:
        raise DocgenError(f"нет шаблонов .docx: {', '.join(str(p) for p in paths)}")
    failed = 0
    for check in checks:
        shown = check.errors if quiet else check.problems
        if check.errors:
            failed += 1
        title = f" ({_document_title(check.document, main._kind_by_id(check.kind))})" \
            if check.document else ""
        click.echo(f"{check.path.name}{title}: "
                   f"{_summary(len(check.errors), 0 if quiet else len(check.warnings))}")
        for problem in shown:
            click.echo(f"  {problem.severity.label}: {problem.format()}")
    if len(checks) > 1:
        click.echo()
        click.echo(f"Проверено шаблонов: {len(checks)}, из них с ошибками: {failed}"
                   + ("." if failed else " — ошибок нет."))
    if not quiet:
        from docgen.templating import LIMITS
        from docgen.text import grouped

        click.echo(f"Проверка не запускает шаблоны, поэтому пределы работы шаблона проверяются "
                   f"только при формировании документов: не больше {grouped(LIMITS.loop_steps)} "
                   f"повторений циклов, {grouped(LIMITS.value_chars)} знаков в одном значении, "
                   f"{grouped(LIMITS.list_items)} элементов в одном списке, "
                   f"{grouped(LIMITS.rendered_chars)} знаков текста и "
                   f"{grouped(LIMITS.seconds)} с на документ.")
    if failed:
        sys.exit(1)


def _document_argument(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """DOCUMENT by id, Russian name or template file name; unknown is a usage error."""
    if value is None:
        return None
    from docgen.main import resolve_document

    try:
        resolve_document(value)
    except DocgenError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param,
                                 param_hint="«ДОКУМЕНТ»") from None
    return value


def _print_rows(rows: list[Any]) -> None:
    for row in rows:
        click.echo(f"  {row.path}{'[]' if row.is_list else ''} — {row.description}")
        if row.same_as:
            shown = ", ".join(row.fields[:4]) + (f", … (ещё {len(row.fields) - 4})"
                                                 if len(row.fields) > 4 else "")
            click.echo(f"      поля те же, что у {row.same_as}: {shown}")
        elif row.example is not None:
            click.echo(f"      пример: {row.example}")


@cli.command("fields", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("document", required=False, metavar="[ДОКУМЕНТ]", callback=_document_argument)
@click.option("--kind", "-k", metavar="ВИД", callback=_kind_option,
              help="Вид объединения, из книги-примера которого взять примеры значений: "
                   "название, слово из него или код.")
@click.option("--full", is_flag=True,
              help="Показать полностью и повторяющиеся части (поля каждого человека, падежи).")
@reports_errors
def fields_command(document: str | None, kind: Any, full: bool) -> None:
    """Показать поля и фильтры, которые можно использовать в шаблоне.

    ДОКУМЕНТ — код (protocol, plan …), название («протокол», «приказ о
    создании») или имя файла шаблона (regulation_gmo.docx); без него
    показаны документы и поля, общие для всех. Для каждого поля — что это и
    пример значения из книги-примера вида (data/*.xlsx).
    """
    from docgen import main
    from docgen.templating import fields

    result = main.document_fields(document, kind, full=full)
    if result.document is None:
        click.echo("Документы и их шаблоны:")
        for doc_id, title, files in result.documents:
            click.echo(f"  {doc_id} — {title}: {', '.join(files)}")
        click.echo("Поля одного документа: docgen fields ДОКУМЕНТ, например docgen fields "
                   "protocol.")
        click.echo()
    else:
        click.echo(f"Поля шаблона «{fields.title(result.document)}» "
                   f"({result.document}.docx)")
    if result.example is not None and result.example_document:
        click.echo(f"Примеры значений — из книги {result.example.name} (вид «{result.kind.name}»),"
                   f" документ «{result.example_document}».")
    elif result.example is None:
        click.echo("Примеров значений нет: книги-примеры (data/*.xlsx) не установлены.")
    click.echo("В шаблоне поле пишут в двойных фигурных скобках: {{ group.theme }}; "
               "«[]» — список, его выводят в цикле {% for … %}.")
    click.echo()
    common = fields.roots(None)
    own = [r for r in result.rows if r.root not in common]
    if own:
        click.echo("Поля этого документа:")
        _print_rows(own)
        click.echo()
    click.echo("Общие поля (есть во всех документах):")
    _print_rows([r for r in result.rows if r.root in common])
    click.echo()
    click.echo("Фильтры (пишут после поля через «|»):")
    for name, description, expression, value in result.filters:
        click.echo(f"  {name} — {description}")
        shown = fields.example_text(value) if value is not None else ""
        click.echo(f"      {expression}" + (f" → {shown}" if shown else ""))


@cli.command("kinds", options_metavar="[ПАРАМЕТРЫ]")
@reports_errors
def kinds_command() -> None:
    """Показать виды объединений и правила проверки каждого вида."""
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


@cli.command("serve", options_metavar="[ПАРАМЕТРЫ]")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="АДРЕС",
              help="Адрес, на котором принимать запросы. 127.0.0.1 — только этот компьютер "
                   "(пароль не нужен); 0.0.0.0 — все компьютеры сети центра (нужен пароль).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              metavar="ПОРТ", help="Порт (0 — любой свободный).")
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, metavar="ПАПКА",
              help="Папка архива: документы по учебным годам и группам, как у docgen build; "
                   "в её скрытой папке .docgen-serve — пароль, книги групп и загрузки.")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False,
              path_type=Path), default=None, metavar="ПАПКА",
              help="Папка со своими шаблонами (как у docgen build). Шаблоны берутся только "
                   "отсюда, никогда из загруженных файлов.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Сколько книг формировать одновременно для всех пользователей вместе (по "
                   "умолчанию по числу ядер, но не больше 4).")
@click.option("--no-browser", is_flag=True, help="Не открывать страницу в браузере.")
@click.option("--ask-password", is_flag=True,
              help="Спрашивать пароль и на этом компьютере (например, на терминальном "
                   "сервере, где за одним компьютером работают несколько человек).")
@click.option("--set-password", "set_password", is_flag=True,
              help="Задать пароль центра (он хранится только в виде хеша) и выйти.")
@click.option("--exit-after", type=float, default=None, hidden=True,
              help="Остановиться через столько секунд (для тестов).")
@reports_errors
def serve_command(host: str, port: int, out_dir: Path, templates: Path | None,
                  jobs: int | None, no_browser: bool, ask_password: bool, set_password: bool,
                  exit_after: float | None) -> None:
    """Открыть docgen в браузере: проверка книг, документы, бланки и архив.

    Сервер показывает страницу на русском языке, на которой можно скачать
    пустую книгу, загрузить заполненные книги, увидеть их ошибки, сформировать
    документы и скачать их архивом .zip. На этом компьютере (адрес 127.0.0.1)
    пароль не нужен и страница открывается сама. Чтобы с сервером работали
    все компьютеры центра, задайте пароль (docgen serve --set-password) и
    запустите docgen serve --host 0.0.0.0.
    """
    if set_password:
        from docgen.web.auth import set_password as store_password

        password = click.prompt("Новый пароль центра", hide_input=True)
        if click.prompt("Повторите пароль", hide_input=True) != password:
            raise DocgenError("пароли не совпадают; пароль не изменён")
        written = store_password(out_dir, password)
        click.echo(f"Пароль задан (хранится в виде хеша в {written}).")
        return
    from docgen.web.auth import needs_password
    from docgen.web.server import serve

    serve(host, port, out_dir, templates, jobs,
          open_browser=not no_browser and not needs_password(host),
          ask_password=ask_password, exit_after=exit_after, say=click.echo)


def _stop_like_ctrl_c(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _handle_termination() -> None:
    """SIGTERM and SIGHUP (a closed terminal, a log-off, ``kill``) end docgen as Ctrl+C does.

    So every cleanup on the way out runs: LibreOffice is stopped, its staging
    folder with copies of the documents removed, batch workers shut down.
    """
    import signal

    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            if signal.getsignal(number) in (signal.SIG_DFL, None):
                signal.signal(number, _stop_like_ctrl_c)
        except (OSError, ValueError):  # not the main thread: the host program decides
            pass


def main() -> None:
    """Console-script entry point."""
    _handle_termination()
    try:
        cli(prog_name="docgen")
    except BrokenPipeError:  # «docgen fields | more» closed early: not an error to report
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
