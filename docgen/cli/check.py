"""``docgen check``: what is wrong in the workbooks, by sheet, row and column."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.cli.base import (
    cli,
    echo,
    err,
    print_problems,
    reports_errors,
)


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
    from docgen.api import check as checking

    failed = 0
    for i, result in enumerate(checking.check(list(paths))):
        name = result.path.name
        if result.error is not None:
            failed += 1
            err(f"{name}: {result.error.message}")
            continue
        if i:
            echo()
        print_problems(result, quiet)
        if not result.ok:
            failed += 1
        if annotate and result.problems:
            written = checking.annotate(result.path, result.problems)
            echo(f"  Копия с пометками: {written}")
    if len(paths) > 1:
        echo()
        echo(f"Проверено книг: {len(paths)}, из них с ошибками: {failed}.")
    if failed:
        sys.exit(1)
