"""Every command answers --help, in Russian."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from docgen.cli import cli

COMMANDS = sorted(cli.commands)
# Subcommands of command groups («docgen templates check»), as the words typed.
SUBCOMMANDS = sorted(f"{name} {sub}" for name, group in cli.commands.items()
                     if isinstance(group, click.Group) for sub in group.commands)


def test_top_level_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Использование: docgen" in result.output
    for name in COMMANDS:
        assert name in result.output
    assert "Usage" not in result.output and "Options" not in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_russian_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Использование: docgen {name}" in result.output
    assert "Параметры:" in result.output
    assert "Show this message" not in result.output
    assert cli.commands[name].help, f"command {name} has no docstring"


def test_there_are_subcommands_to_check() -> None:
    assert {"templates list", "templates export", "templates check"} <= set(SUBCOMMANDS)


@pytest.mark.parametrize("words", SUBCOMMANDS)
def test_every_subcommand_has_russian_help(words: str) -> None:
    group, name = words.split()
    result = CliRunner().invoke(cli, [group, name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Использование: docgen {words}" in result.output
    assert "Параметры:" in result.output
    assert "Show this message" not in result.output
    assert cli.commands[group].commands[name].help, f"command {words} has no docstring"  # type: ignore[attr-defined]


def test_a_group_lists_its_subcommands_in_russian() -> None:
    result = CliRunner().invoke(cli, ["templates", "--help"])
    assert "Команды:" in result.output and "Commands" not in result.output
    for words in SUBCOMMANDS:
        if words.startswith("templates "):
            assert words.split()[1] in result.output
    missing = CliRunner().invoke(cli, ["templates"])
    assert "Использование: docgen templates" in missing.output


def test_unknown_command_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["постройка"])
    assert result.exit_code == 2
    assert "Нет такой команды «постройка»" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "docgen, версия" in result.output


def test_kinds_lists_rules() -> None:
    result = CliRunner().invoke(cli, ["kinds"])
    assert result.exit_code == 0
    assert "Городское методическое объединение (код gmo)" in result.output
    assert "стаж главы: не менее 5 лет" in result.output
    assert "участники не менее чем из 2 организаций" in result.output


def test_kinds_lists_each_kinds_documents_in_its_words() -> None:
    output = CliRunner().invoke(cli, ["kinds"]).output
    gmo = output[output.index("(код gmo)"):]
    assert "приказ о назначении куратора, положение, дорожная карта" in gmo
    assert "техническое задание" in gmo
    tvorcheskaya = output[output.index("(код tvorcheskaya)"):output.index("(код setevaya)")]
    assert "документы: приказ о создании, приказ о назначении руководителя, положение, " \
           "план работы, протоколы заседаний, отчёт за год" in tvorcheskaya


def test_output_cut_short_by_a_pipe_is_not_an_error() -> None:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "docgen.cli", "fields", "protocol", "--full"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as «| head -1» does
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert stderr == ""  # no «внутренняя ошибка», no traceback
    assert process.returncode == 1  # more than the pipe buffer: the write did fail


def _summaries(args: list[str], width: int) -> dict[str, str]:
    """The «Команды:» section of ``args --help``: each command's summary, wrapped lines joined."""
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    section = result.output.split("Команды:\n", 1)[1]
    found: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        if not line.strip():
            break
        first, _, rest = line.strip().partition(" ")
        if line.startswith("  ") and not line.startswith("   "):
            name, found[first] = first, rest.strip()
        else:
            found[name] += " " + line.strip()
    return found


def _first_sentence(command: click.Command) -> str:
    words = (command.help or "").split("\n\n")[0].split()
    end = next(i for i, w in enumerate(words) if w.endswith("."))
    return " ".join(words[:end + 1])


@pytest.mark.parametrize("width", [100, 80, 50])
@pytest.mark.parametrize("group", ["", "templates"])
def test_every_summary_in_help_is_whole(group: str, width: int) -> None:
    """click would cut «…правила проверки…» to the terminal's width and add «...»."""
    args = group.split()
    command_group = cli.commands[group] if group else cli
    summaries = _summaries(args, width)
    assert set(summaries) == set(command_group.commands)  # type: ignore[attr-defined]
    for name, summary in summaries.items():
        command = command_group.commands[name]  # type: ignore[attr-defined]
        assert "..." not in summary and "…" not in summary, (name, summary)
        assert summary == _first_sentence(command), name


def test_a_plain_click_command_would_cut_its_summary() -> None:
    """The test above can fail: without WholeSummaryCommand the summary loses its end."""
    plain = click.Command("kinds", help=cli.commands["kinds"].help)
    assert plain.get_short_help_str(40).endswith("...")
    assert cli.commands["kinds"].get_short_help_str(40) == _first_sentence(plain)
