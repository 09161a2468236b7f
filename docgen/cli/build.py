"""``docgen build``: the documents of one workbook or a folder, with PDFs and bundles."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from docgen.cli.base import (
    cli,
    echo,
    err,
    print_pdfs,
    print_problems,
    reports_errors,
    table,
    terminal_width,
)
from docgen.errors import DocgenError


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

    Можно указать книги и папки: из папки берутся все книги .xlsx, .xlsm,
    .xls и .ods (временные файлы Excel «~$…» пропускаются), а таблицы .xlsb и
    .csv показываются как необработанные, с подсказкой сохранить их в .xlsx.
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
    from docgen.api.build import build_batch
    from docgen.api.check import workbook_paths
    from docgen.api.pdf import pdf_sources
    from docgen.api.summary import write_registries, write_summaries

    workbooks, missing = workbook_paths(list(paths))
    for problem in missing:
        err(f"{problem.file}: {problem.message}")
    results: dict[int, Any] = {}
    batch = build_batch(workbooks, out_dir, [templates] if templates else None, force,
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
    unsaved = Counter(str(r.manifest_error) for r in ordered if r.manifest_error is not None)
    common_unsaved = {cause for cause, n in unsaved.items() if n > 1}  # the same, below
    for result in ordered:
        news = len(workbooks) == 1 or _has_news(result, quiet, common, common_unsaved)
        if news:
            stream = "out" if _says_on_stdout(result, quiet, len(workbooks) == 1) else "err"
            if said[stream]:
                echo(err=stream == "err")
            said[stream] = True
        failed += not _print_build(result, quiet, files=len(workbooks) == 1, shared=shared,
                                   common=common, common_unsaved=common_unsaved)
    for cause in sorted(common):
        books = [r.path.name for r in ordered if r.error is not None and r.error.message == cause]
        err(f"Документы не записаны для {_books(books)}: {cause}")
    for cause in sorted(common_unsaved):
        books = [r.path.name for r in ordered if str(r.manifest_error) == cause]
        err(f"Документы записаны, но список записанных файлов (.docgen.json) не обновлён "
            f"для {_books(books)}: {cause}")
    for line in _shared_failures(shared or {}):
        err(line)
    registry_ok = True
    registry_error = ""
    try:
        registries = write_registries(ordered)
    except DocgenError as exc:  # not a workbook's failure: said apart, exit 1
        registry_error = str(exc)
        registries, registry_ok = [], False
    try:
        summaries = write_summaries(ordered)
    except DocgenError as exc:  # as the registry: not a workbook's failure
        summaries, registry_ok = [], False
        if str(exc) == registry_error:  # one cause (a full disk): said once for both
            err(f"Реестр документов и сводный отчёт не записаны: {exc}")
            registry_error = ""
        else:
            err(f"Сводный отчёт не записан: {exc}")
    if registry_error:
        err(f"Реестр документов не записан: {registry_error}")
    # the PDFs after the year's summary, so that «Сводный отчёт» gets its PDF too
    pdf_said: list[str] = []
    pdf_ok = not make_pdf or _build_pdfs(
        pdf_sources(ordered) + [s for s in summaries if s.suffix.lower() == ".docx"],
        jobs, force, pdf_said)
    if len(workbooks) > 1:
        if said["out"]:
            echo()
        _print_summary(ordered)
    for registry in registries:
        echo(f"Реестр документов: {registry}", whole=True)
    for summary in summaries:
        # each file by its own name: «Сводный отчёт» (one per service), «Сводная таблица»
        label = "Сводная таблица" if summary.suffix == ".xlsx" else "Сводный отчёт"
        echo(f"{label}: {summary}", whole=True)
    if len(workbooks) + len(missing) > 1:
        from docgen.language.russian import count

        written = sum(len(r.written) for r in ordered)
        echo(f"Обработано книг: {len(workbooks)}, из них с ошибками: {failed}. Записано: "
             f"{count(written, 'документ', 'документа', 'документов')}.")
        bundles = sum(1 for r in ordered if r.bundle is not None)
        if bundle and bundles:
            echo(f"Комплектов документов: {bundles}.")
    for line in pdf_said:
        echo(line)
    if failed or not workbooks or not pdf_ok or not registry_ok:
        sys.exit(1)


def _says_on_stdout(result: Any, quiet: bool, files: bool) -> bool:
    """Whether a workbook's block starts on stdout (its problems, its documents)."""
    check = result.check
    if result.crash is not None or check.error is not None:
        return False
    return files or bool(check.errors or (check.warnings and not quiet))


def _books(names: list[str]) -> str:
    """«2 книг (a.xlsx, b.xlsx)», after «для»: the first three named."""
    from docgen.language.russian import count

    shown = ", ".join(names[:3]) + (f" и ещё {len(names) - 3}" if len(names) > 3 else "")
    return f"{count(len(names), 'книги', 'книг', 'книг')} ({shown})"


def _shared_failures(shared: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A cause that failed documents of several workbooks (a full disk), said once."""
    from docgen.language.russian import count

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
    from docgen.api.pdf import convert_to_pdf
    from docgen.errors import PdfError

    if not sources:
        return True
    try:
        if len(sources) > 1 and sys.stderr.isatty():
            with click.progressbar(length=len(sources), label="Создание PDF",
                                   file=sys.stderr) as bar:
                result = convert_to_pdf(sources, jobs, force, progress=bar.update)
        else:
            result = convert_to_pdf(sources, jobs, force)
    except PdfError as exc:  # LibreOffice missing, the system temp folder full or closed
        err(exc.message)
        return False
    print_pdfs(result, said)
    return result.ok


def _has_news(result: Any, quiet: bool, common: set[str] | None = None,
              common_unsaved: set[str] | None = None) -> bool:
    """Whether a workbook of a batch has anything to say beyond the summary table."""
    check = result.check
    own_error = result.error is not None and result.error.message not in (common or ())
    return bool(check.error or check.errors or (check.warnings and not quiet)
                or own_error or result.crash or any(w.kept for w in result.written)
                or result.bundle_kept  # failures: said by cause
                or (result.manifest_error is not None
                    and str(result.manifest_error) not in (common_unsaved or ()))
                or result.retired or result.retired_kept)


def _print_build(result: Any, quiet: bool, files: bool,
                 shared: dict[str, list[tuple[str, str]]] | None = None,
                 common: set[str] | None = None,
                 common_unsaved: set[str] | None = None) -> bool:
    """One workbook's outcome; ``files`` lists every document (for a single workbook).

    With ``shared`` (a batch), documents that failed are gathered there by cause,
    to be said once for all workbooks; a workbook-wide error in ``common`` (shared
    by several workbooks) is said once by the caller.
    """
    from docgen.language.russian import count

    name = result.path.name
    check = result.check
    if result.crash is not None:
        root = click.get_current_context().find_root()
        if root.params.get("traceback") and result.crash_traceback:
            err(result.crash_traceback.rstrip())
        err(f"{name}: внутренняя ошибка docgen ({result.crash})")
        err("Запустите команду с --traceback и передайте вывод разработчикам.")
        return False
    if check.error is not None:
        err(f"{name}: {check.error.message}")
        return False
    if check.errors or (check.warnings and not quiet):
        print_problems(check, quiet)
    if not check.ok:
        err(f"{name}: документы не сформированы — исправьте ошибки в книге и "
             f"запустите команду снова.")
        return False
    if result.error is not None:
        if result.error.message not in (common or ()):
            err(f"{name}: {result.error.message}")
        return False
    if files:
        echo(f"{name}: документы записаны в папку {result.folder}:", whole=True)
    for written in result.written:
        if files:
            echo(f"  {written.path.name}")
        if written.kept is not None:
            echo(f"{'    ' if files else f'{name}: '}файл «{written.kept.name}» изменён "
                 f"вручную и сохранён; новая версия записана рядом (заменить: --force)")
    if files:
        for skipped in result.skipped:
            echo(f"  пропущено: {skipped.reason}")
    lead = "  " if files else f"{name}: "
    if result.retired:
        echo(f"{lead}удалено прежних файлов программы: {len(result.retired)} — документы "
             f"прежних запусков с другими именами или которых больше нет в книге")
    for old in result.retired_kept:
        echo(f"{lead}прежний файл «{old.name}» изменён вручную и сохранён, хотя "
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
        err(f"{'  ' if files else f'{name}: '}{what}: {error}")
    if result.manifest_error is not None and str(result.manifest_error) not in (
            common_unsaved or ()):
        err(f"{'  ' if files else f'{name}: '}документы записаны, но список записанных файлов "
            f"(.docgen.json) не обновлён: {result.manifest_error}")
    if result.bundle is not None and files:
        echo(f"Комплект документов: {result.bundle}", whole=True)
    if result.bundle_kept is not None:
        echo(f"{'  ' if files else f'{name}: '}файл «{result.bundle_kept.name}» изменён "
             f"вручную и сохранён; новый комплект записан рядом (заменить: --force)")
    if files:
        written = count(len(result.written), "документ", "документа", "документов")
        echo(f"Записано: {written}"
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
    """The batch as a table: workbook, group, documents written, status; within the
    terminal's width (80 columns in a file), long names going on over more lines."""
    rows = [("Книга", "Группа", "Документов", "Итог")]
    for result in results:
        rows.append((result.path.name, result.group_name or "—", str(len(result.written)),
                     _status(result)))
    for line in table(rows, right=(2,), width=terminal_width(), hyphens=(0,)):
        echo(line)
