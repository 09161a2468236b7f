"""The terminal as a clerk reads it: lines wrap at its width between words, the batch's
table fits 80 columns, click's own messages are Russian, and ``--pdf`` leaves no
document of a build without its PDF (the year's «Сводный отчёт» included)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from docgen.cli import cli

LONG_NAME = "Функциональная грамотность: сетевой формат и читательская грамотность"


def invoke(*args: Any, width: int | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], terminal_width=width)


def words(text: str) -> Counter[str]:
    """The words of an output (rules of the table aside): wrapping may move them between
    lines, never cut one."""
    return Counter(w for w in text.split() if set(w) != {"─"})


def assert_wrapped(wrapped: str, whole: str, width: int, paths: str = "\0") -> None:
    assert wrapped != whole, "nothing was wrapped"
    assert words(wrapped) == words(whole)
    for line in wrapped.splitlines():
        if paths not in line:  # a line that ends in a path is left whole, to be copied
            assert len(line) < width, line


@pytest.fixture
def two_books(content: dict, make_workbook: Callable[..., Path]) -> list[Path]:
    """Two groups of one year, one with a long name and no secretary (a warning)."""
    first = make_workbook(content, "a.xlsx")
    content["Группа"]["Название"] = LONG_NAME
    for row in content["Участники"]:
        if row["Роль"] == "секретарь":
            row["Роль"] = "участник"
    return [first, make_workbook(content, "очень-длинное-имя-книги-группы-2025-2026.xlsx")]


def test_build_wraps_at_80_columns_between_words(two_books: list[Path], tmp_path: Path) -> None:
    wrapped = invoke("build", *two_books, "-o", tmp_path / "a", width=80)
    whole = invoke("build", *two_books, "-o", tmp_path / "b")
    assert wrapped.exit_code == whole.exit_code == 0, wrapped.output
    text = wrapped.output.replace(str(tmp_path / "a"), str(tmp_path / "b"))
    assert_wrapped(text, whole.output, 80, paths=str(tmp_path))
    # a warning goes on under itself, indented deeper than the next one starts
    lines = wrapped.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "не указан секретарь" in line)
    assert lines[start].startswith("  предупреждение: ")
    assert lines[start + 1].startswith("    ") and lines[start + 1].strip()


def test_the_batch_table_fits_80_columns(two_books: list[Path], tmp_path: Path) -> None:
    """Each row's group name goes on in its own column; the rows keep their columns."""
    result = invoke("build", *two_books, "-o", tmp_path / "out", width=80)
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Книга"))
    book = two_books[1].name
    end = next(i for i in range(header, len(lines)) if lines[i].startswith("Реестр"))
    table = lines[header:end]
    assert all(len(line) < 80 for line in table), "\n".join(table)
    rules = table[1].split("  ")
    start = len(rules[0]) + 2
    group = slice(start, start + len(rules[1]))
    assert table[2].startswith("a.xlsx ") and table[2].endswith("  готово")
    assert table[3].endswith("  готово")
    assert len(table) > 4, "the long names go on under themselves"
    assert "".join(line[:group.start].strip() for line in table[3:]) == book
    assert " ".join(line[group].strip() for line in table[3:]) == LONG_NAME


def test_the_batch_table_fits_80_columns_in_a_file_too(two_books: list[Path],
                                                       tmp_path: Path) -> None:
    result = invoke("build", *two_books, "-o", tmp_path / "out")
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Книга"))
    assert all(len(line) < 80 for line in lines[header:header + 5])


def test_kinds_wrap_between_words() -> None:
    wrapped, whole = invoke("kinds", width=80), invoke("kinds")
    assert_wrapped(wrapped.output, whole.output, 80)
    assert "пла\n" not in wrapped.output
    assert any(line.startswith("    ") for line in wrapped.output.splitlines())


def test_a_file_or_pipe_keeps_its_lines_whole(two_books: list[Path], tmp_path: Path) -> None:
    """No terminal, no width: a log is written as the messages are (grep finds them)."""
    result = invoke("check", two_books[1])
    assert ("  предупреждение: лист «Участники», столбец I: не указан секретарь (роль "
            "«секретарь»): протоколы заседаний будут без подписи секретаря") in result.output


def test_the_width_of_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS, or the terminal's own width, when the output is a terminal."""
    from docgen.cli.base import terminal_width, wrap


    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.setenv("COLUMNS", "60")
    assert terminal_width() == 60
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert terminal_width() is None
    text = "  предупреждение: " + "слово " * 30
    lines = wrap(text.rstrip(), 60).splitlines()
    assert all(len(line) < 60 for line in lines)
    assert lines[0].startswith("  предупреждение") and lines[1].startswith("    слово")


@pytest.mark.parametrize("args, said", [
    (["build"], "Не указан аргумент «КНИГА_ИЛИ_ПАПКА...»."),
    (["chek"], "Нет такой команды «chek». Возможно, имелось в виду «check»?"),
    (["build", "--jbos", "2", "x"], "Нет такого параметра «--jbos». Возможно, имелось в виду "
                                    "«--jobs»?"),
    (["build", "--jobs", "0", "x"], "Неверное значение «--jobs» / «-j»: нужно число не "
                                    "меньше 1, а указано 0."),
    (["serve", "--port", "70000"], "Неверное значение «--port»: нужно число от 0 до 65535, а "
                                   "указано 70000."),
], ids=["missing-argument", "command-typo", "option-typo", "jobs-range", "port-range"])
def test_clicks_messages_are_russian(args: list[str], said: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert said in result.output, result.output
    assert "'" not in result.output


@pytest.mark.parametrize("command, said", [("serve", "от 0 до 65535"),
                                           ("build", "не меньше 1")], ids=["serve", "build"])
def test_ranges_in_help_are_words(command: str, said: str) -> None:
    result = invoke(command, "--help", width=200)
    assert said in result.output
    assert "<=" not in result.output and ">=" not in result.output


def test_pdf_includes_the_years_summary(two_books: list[Path], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With --pdf, «Сводный отчёт» (written by a build of two groups) gets its PDF too."""
    from docgen.api import pdf

    asked: list[Path] = []

    def convert(paths: list[Path], *args: Any, **kwargs: Any) -> pdf.PdfResult:
        asked.extend(paths)
        return pdf.PdfResult()

    monkeypatch.setattr(pdf, "convert_to_pdf", convert)
    result = invoke("build", *two_books, "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 0, result.output
    summary = [p for p in asked if p.name.startswith("Сводный отчёт")]
    assert [p.suffix for p in summary] == [".docx"]
    assert summary[0].is_file()
    assert len(asked) == 21  # 10 documents of each group, and the summary


def test_commands_print_through_the_wrapping_echo() -> None:
    """A command that called click.echo itself would print past the terminal's edge."""
    cli_dir = Path(__file__).resolve().parent.parent / "docgen" / "cli"
    direct = [f"{path.name}:{n}" for path in sorted(cli_dir.glob("*.py")) if path.name != "base.py"
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if "click.echo(" in line or "click.secho(" in line]
    assert direct == []
