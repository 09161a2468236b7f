"""The `docgen` group and what every command shares: the error boundary, Russian help.

Every DocgenError becomes one Russian line on stderr and exit code 1; click's
usage errors exit 2; a traceback is shown only with --traceback.
"""

from __future__ import annotations

import os
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
import click.utils

from docgen import __version__
from docgen.cli import clickru
from docgen.errors import DocgenError, closed_folder

clickru.install()

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def terminal_width(err: bool = False) -> int | None:
    """The width to wrap at, or None when the output is not a terminal (a file, a pipe).

    click's ``terminal_width`` (set by tests) comes first; then, on a terminal, COLUMNS
    or the terminal's own width. A log written to a file keeps its lines whole.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.terminal_width:
        return ctx.terminal_width
    stream = sys.stderr if err else sys.stdout
    try:
        if not stream.isatty():
            return None
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else \
            os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def wrap(text: str, width: int | None, hang: int | None = None) -> str:
    """``text`` wrapped at word boundaries to ``width`` - 1 columns (a full line would
    leave an empty one behind on Windows' console); a continued line is indented two
    spaces deeper than its line (or by ``hang``). Words longer than a line stay whole."""
    if not width:
        return text
    import textwrap

    limit = max(width - 1, 20)
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            lines.append(line)
            continue
        lead = len(line) - len(line.lstrip(" "))
        lines += textwrap.wrap(line, width=limit,
                               subsequent_indent=" " * (lead + 2 if hang is None else hang),
                               break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines)


def echo(text: str = "", err: bool = False, hang: int | None = None,
         whole: bool = False) -> None:
    """click.echo, wrapped at the terminal's width at word boundaries; a ``whole`` line
    (one that ends in a path, to be copied) is left to the terminal."""
    click.echo(text if whole else wrap(text, terminal_width(err), hang), err=err)


def err(text: str) -> None:
    echo(text, err=True)


def table(rows: list[tuple[str, ...]], right: tuple[int, ...] = (),
          width: int | None = None, hyphens: tuple[int, ...] = ()) -> list[str]:
    """Rows as aligned columns under a ruled header, within ``width`` columns (80 when the
    output is no terminal): the widest column is narrowed first, and a cell too long for
    its column goes on over more lines, at word boundaries while words fit (in the
    ``hyphens`` columns, file names, also after a hyphen)."""
    import re
    import textwrap

    limit = (width or 80) - 1
    count = len(rows[0])
    wrappers = [textwrap.TextWrapper(break_on_hyphens=c in hyphens) for c in range(count)]
    widths = [max(len(row[c]) for row in rows) for c in range(count)]
    longest_word = [max((len(piece) for row in rows for word in row[c].split()
                         for piece in (re.split(r"(?<=-)", word) if c in hyphens else [word])),
                        default=0) for c in range(count)]
    room = limit - 2 * (count - 1)
    hard = [max(4, len(rows[0][c].split()[0])) for c in range(count)]
    texts = [c for c in range(count) if c not in hyphens]  # names of files: the last
    for columns, floor in ((texts, longest_word), (range(count), longest_word),
                           (range(count), hard)):
        while sum(widths) > room:
            narrower = [c for c in columns if widths[c] > floor[c]]
            if not narrower:
                break
            widest = max(narrower, key=lambda c: widths[c])
            widths[widest] -= 1
    for c in range(count):
        wrappers[c].width = widths[c]
    out: list[str] = []
    for n, row in enumerate(rows):
        cells = [wrappers[c].wrap(row[c]) or [""] for c in range(count)]
        for i in range(max(len(cell) for cell in cells)):
            parts = []
            for c, cell in enumerate(cells):
                part = cell[i] if i < len(cell) else ""
                parts.append(part.rjust(widths[c]) if c in right else part.ljust(widths[c]))
            out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("─" * w for w in widths))
    return out


def report_bug(exc: Exception, where: str = "") -> None:
    """A bug in docgen, said in one Russian line; the traceback only with --traceback."""
    if click.get_current_context().find_root().params.get("traceback"):
        traceback.print_exc()
    text = f"внутренняя ошибка docgen ({type(exc).__name__}: {exc})"
    err(f"{where}: {text}" if where else text[:1].upper() + text[1:] + ".")
    err("Запустите команду с --traceback и передайте вывод разработчикам.")


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
            err(f"Ошибка: {exc}")
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except KeyboardInterrupt:
            err("Прервано.")
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in Russian, keep the details optional
            closed = closed_folder(exc) if isinstance(exc, OSError) else None
            if closed is not None:  # not a bug: a folder on the way cannot be entered
                if show_traceback:
                    traceback.print_exc()
                err(f"Ошибка: {closed}")
            else:
                report_bug(exc)
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


def kinds_help() -> str:
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


def kind_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--kind by Russian name, alias or code, resolved once; unknown is a usage error."""
    if value is None:
        return None
    from docgen.api.check import resolve_kind

    try:
        return resolve_kind(value)
    except DocgenError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param, param_hint="--kind") from None


def problems_summary(errors: int, warnings: int) -> str:
    from docgen.language.russian import count

    if not errors and not warnings:
        return "ошибок нет"
    parts = []
    parts.append(count(errors, "ошибка", "ошибки", "ошибок") if errors else "ошибок нет")
    if warnings:
        parts.append(count(warnings, "предупреждение", "предупреждения", "предупреждений"))
    return ", ".join(parts)


def print_problems(result: Any, quiet: bool = False) -> None:
    """A workbook's header line and its problems, as `check` and `build` show them."""
    shown = result.errors if quiet else result.problems
    echo(f"{result.path.name}: {problems_summary(len(result.errors), len(result.warnings))}")
    for problem in shown:
        echo(f"  {problem.severity.label}: {problem.format(with_file=False)}")


def print_pdfs(result: Any, said: list[str]) -> None:
    """Each PDF that failed (stderr) or kept a hand-edited one; the count line into ``said``."""
    from docgen.language.russian import count

    by_error: dict[str, list[Path]] = {}  # LibreOffice that does not start fails them all
    for source, error in result.failed:
        by_error.setdefault(error.message, []).append(source)
    for message, sources in by_error.items():
        if len(sources) <= 3:
            for source in sources:
                err(f"{source.parent.name}/{source.name}: PDF не создан: {message}")
            continue
        names = ", ".join(f"{s.parent.name}/{s.name}" for s in sources[:2])
        err(f"PDF не созданы для {count(len(sources), 'документа', 'документов', 'документов')}"
             f" ({names} и других): {message}")
    for written in result.written:
        if written.kept is not None:
            echo(f"{written.source.parent.name}: файл «{written.kept.name}» изменён "
                 f"вручную и сохранён; новый PDF записан рядом (заменить: --force)")
    line = f"PDF: записано {len(result.written)}"
    if result.current:
        line += f"; не переделаны {len(result.current)} — их документы не менялись"
    if result.failed:
        line += f"; не создано {len(result.failed)}"
    said.append(line + ".")


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

