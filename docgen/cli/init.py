"""``docgen init``: a new workbook, or next year's from this year's (``--from``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docgen.cli.base import (
    cli,
    echo,
    err,
    kind_option,
    reports_errors,
)


@cli.command("init", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="[ФАЙЛ]",
                required=False)
@click.option("--kind", "-k", metavar="ВИД", callback=kind_option,
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
    from docgen.api.init import event_photos, init_workbook

    if source is not None:
        _carry_over(source, path, out_dir, kind, force)
        return
    if path is None:
        raise click.UsageError("укажите имя новой книги: docgen init ФАЙЛ.xlsx")
    written = init_workbook(path, kind, force=force)
    what = f" (вид: {kind.name})" if kind else ""
    echo(f"Создана пустая книга {written}{what}.")
    echo(f"Заполните её в Excel и проверьте: docgen check \"{written}\"")
    if event_photos(kind):
        echo(f"Фото к отчётам о мероприятиях кладите в папку книги "
             f"({written.resolve().parent}) или её подпапку и указывайте в столбце "
             f"«Фото» листа «Мероприятия».")


def _carry_over(source: Path, path: Path | None, out_dir: Path | None, kind: Any,
                force: bool) -> None:
    """``init --from``: one workbook, or every workbook of a folder, a year on."""
    from docgen.api.init import carry_folder, carry_over

    if kind is not None:
        raise click.UsageError("с --from вид объединения берётся из прошлогодней книги; "
                               "уберите --kind")
    if source.is_dir():
        if out_dir is None or path is not None:
            raise click.UsageError("для папки укажите, куда записать новые книги: "
                                   "docgen init --from ПАПКА -o НОВАЯ_ПАПКА")
        done = carry_folder(source, out_dir, force=force)
        for result in done.results:
            _print_carry(result)
        for failed_path, exc in done.failed:
            err(f"{failed_path}: {exc}" if not exc.file else f"Ошибка: {exc}")
        echo(f"Перенесено книг: {len(done.results)}"
             + (f", не перенесено: {len(done.failed)}." if done.failed else "."))
        echo(f"В каждой книге заполните номер и дату приказа и заседания нового года "
             f"и проверьте: docgen check \"{out_dir}\"")
        if done.failed:
            sys.exit(1)
        return
    if path is None:
        raise click.UsageError("укажите имя новой книги: docgen init НОВАЯ.xlsx --from "
                               "ПРОШЛАЯ.xlsx")
    if out_dir is not None:
        raise click.UsageError("-o нужен только для папки; для одной книги укажите её имя")
    result = carry_over(source, path, force=force)
    _print_carry(result)
    echo(f"Заполните номер и дату приказа, заседания нового года и проверьте: "
         f"docgen check \"{result.target}\"")


def _print_carry(result: Any) -> None:
    year = f" на {result.year} учебный год" if result.year else ""
    echo(f"Создана книга {result.target}{year} из {result.source.name}.")
    if result.confirm:
        echo(f"  Проверьте перенесённые тему, цель и задачи (лист «Группа», "
             f"{', '.join(result.confirm)}): у ячеек есть примечание.")
    if result.problems:
        echo(f"  В прошлогодней книге были ошибки, они перенесены как есть "
             f"({len(result.problems)}):")
        for problem in result.problems:
            echo(f"    {problem.format(with_file=False)}")
