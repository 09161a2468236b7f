"""``docgen templates list / export / check``, ``docgen fields`` and ``docgen kinds``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docgen.cli.base import (
    cli,
    echo,
    kind_option,
    problems_summary,
    reports_errors,
)
from docgen.errors import DocgenError


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
    from docgen.api.templates import list_templates
    from docgen.templating import builtin_templates

    infos = list_templates([folder] if folder else None)
    width = max(len(i.name) for i in infos) + 2
    echo(f"Встроенные шаблоны (папка {builtin_templates()}):")
    for info in (i for i in infos if i.builtin is not None):
        line = f"  {info.name:<{width}}{_document_title(info.document, info.kind)}"
        if info.custom is not None:
            line += f"\n  {'':<{width}}заменён файлом {info.custom}"
            if info.document == "regulation" and info.kind is None:
                line += " (виды со своим шаблоном regulation_<вид>.docx берут свой)"
        echo(line, hang=2 + width)
    if folder is None:
        echo()
        echo("Копия для правки: docgen templates export ПАПКА; свои шаблоны из папки "
             "заменяют встроенные с тем же именем.")
        return
    others = [i for i in infos if i.builtin is None]
    if others:
        echo()
        echo(f"Другие файлы в папке {folder}:")
        for info in others:
            note = ""
            if info.document is not None:
                note = (f"; у этого вида — вместо {info.document}.docx" if info.kind
                        else "")
            echo(f"  {info.name:<{width}}{_document_title(info.document, info.kind)}{note}",
                 hang=2 + width)
    replaced = sum(1 for i in infos if i.builtin is not None and i.custom is not None)
    echo()
    echo(f"Заменено встроенных шаблонов: {replaced} из "
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
    from docgen.api.templates import export_templates
    from docgen.language.russian import count

    result = export_templates(folder, list(documents), force=force)
    written = [*result.copied, *result.replaced]
    if written:
        echo(f"В папку {result.folder} скопировано: "
             f"{count(len(written), 'шаблон', 'шаблона', 'шаблонов')}")
        for path in written:
            echo(f"  {path.name}" + (" (заменён)" if path in result.replaced else ""))
    if result.kept:
        names = ", ".join(p.name for p in result.kept)
        echo(f"Уже есть в папке и не заменены (заменить — --force): {names}")
    echo()
    echo("Измените нужные шаблоны в Word, а остальные удалите из папки: для них docgen "
         "возьмёт встроенные.")
    echo(f"Проверьте шаблоны: docgen templates check \"{result.folder}\"")


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
    from docgen.api.templates import check_templates, kind_by_id

    checks = check_templates(list(paths))
    if not checks:
        raise DocgenError(f"нет шаблонов .docx: {', '.join(str(p) for p in paths)}")
    failed = 0
    for check in checks:
        shown = check.errors if quiet else check.problems
        if check.errors:
            failed += 1
        title = f" ({_document_title(check.document, kind_by_id(check.kind))})" \
            if check.document else ""
        echo(f"{check.path.name}{title}: "
             f"{problems_summary(len(check.errors), 0 if quiet else len(check.warnings))}")
        for problem in shown:
            echo(f"  {problem.severity.label}: {problem.format()}")
    if len(checks) > 1:
        echo()
        echo(f"Проверено шаблонов: {len(checks)}, из них с ошибками: {failed}"
             + ("." if failed else " — ошибок нет."))
    if not quiet:
        from docgen.templating import LIMITS
        from docgen.text import grouped

        echo(f"Проверка не запускает шаблоны, поэтому пределы работы шаблона проверяются "
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
    from docgen.api.templates import resolve_document

    try:
        resolve_document(value)
    except DocgenError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param,
                                 param_hint="«ДОКУМЕНТ»") from None
    return value


def _print_rows(rows: list[Any]) -> None:
    for row in rows:
        echo(f"  {row.path}{'[]' if row.is_list else ''} — {row.description}")
        if row.same_as:
            shown = ", ".join(row.fields[:4]) + (f", … (ещё {len(row.fields) - 4})"
                                                 if len(row.fields) > 4 else "")
            echo(f"      поля те же, что у {row.same_as}: {shown}")
        elif row.example is not None:
            echo(f"      пример: {row.example}")


@cli.command("fields", options_metavar="[ПАРАМЕТРЫ]")
@click.argument("document", required=False, metavar="[ДОКУМЕНТ]", callback=_document_argument)
@click.option("--kind", "-k", metavar="ВИД", callback=kind_option,
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
    from docgen.api.templates import document_fields
    from docgen.templating import (
        document_title,
        example_text,
        field_roots,
    )

    result = document_fields(document, kind, full=full)
    if result.document is None:
        echo("Документы и их шаблоны:")
        for doc_id, title, files in result.documents:
            echo(f"  {doc_id} — {title}: {', '.join(files)}")
        echo("Поля одного документа: docgen fields ДОКУМЕНТ, например docgen fields "
             "protocol.")
        echo()
    else:
        echo(f"Поля шаблона «{document_title(result.document)}» "
             f"({result.document}.docx)")
    if result.example is not None and result.example_document:
        echo(f"Примеры значений — из книги {result.example.name} (вид «{result.kind.name}»),"
             f" документ «{result.example_document}».")
    elif result.example is None:
        echo("Примеров значений нет: книги-примеры (data/*.xlsx) не установлены.")
    echo("В шаблоне поле пишут в двойных фигурных скобках: {{ group.theme }}; "
         "«[]» — список, его выводят в цикле {% for … %}.")
    echo()
    common = field_roots(None)
    own = [r for r in result.rows if r.root not in common]
    if own:
        echo("Поля этого документа:")
        _print_rows(own)
        echo()
    echo("Общие поля (есть во всех документах):")
    _print_rows([r for r in result.rows if r.root in common])
    echo()
    echo("Фильтры (пишут после поля через «|»):")
    for name, description, expression, value in result.filters:
        echo(f"  {name} — {description}")
        shown = example_text(value) if value is not None else ""
        echo(f"      {expression}" + (f" → {shown}" if shown else ""))


@cli.command("kinds", options_metavar="[ПАРАМЕТРЫ]")
@reports_errors
def kinds_command() -> None:
    """Показать виды объединений и правила проверки каждого вида."""
    from docgen.kinds import all_kinds
    from docgen.language.russian import count

    for kind in all_kinds():
        r = kind.rules
        echo(f"{kind.name} (код {kind.id})")
        echo(f"  глава группы: {kind.head_role}")
        if r.head_categories:
            echo(f"  категория главы: {' или '.join(r.head_categories)}")
        if r.head_min_experience:
            echo(f"  стаж главы: не менее {r.head_min_experience} лет")
        if r.min_meetings:
            echo(f"  заседаний в год: не менее {r.min_meetings}")
        if r.terms:
            echo("  заседание в каждую четверть (у дошкольных групп — в каждый квартал)")
        if r.min_organizations > 1:
            echo(f"  участники не менее чем из "
                 f"{count(r.min_organizations, 'организации', 'организаций', 'организаций')}")
        if r.direction_required:
            echo("  обязательно направление")
        if r.fixed_period:
            echo(f"  период работы: {r.fixed_period[0]}–{r.fixed_period[1]}")
        if r.required_sheets:
            from docgen.workbook.schema import SHEETS_BY_KEY

            names = ", ".join(f"«{SHEETS_BY_KEY[s].name}»" for s in r.required_sheets)
            echo(f"  обязательные листы: {names}")
        from docgen.kinds import DOCUMENT_NAMES, DOCUMENTS

        own = {"order_head": f"приказ о назначении {kind.head_title['gen']}",
               "plan": kind.plan_title.lower()}
        docs = [own.get(d, DOCUMENT_NAMES[d])
                for d in sorted(kind.documents, key=DOCUMENTS.index)]
        echo(f"  документы: {', '.join(docs)}")
        echo()
