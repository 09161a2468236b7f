"""Every command answers --help, in Russian."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docgen.cli import cli

COMMANDS = sorted(cli.commands)


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
