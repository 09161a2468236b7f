"""The bundled examples: one per kind, each passes `docgen check`."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.kinds import all_kinds
from docgen.main import check_workbook
from docgen.workbook.reader import read_workbook

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = sorted(DATA.glob("*.xlsx"))


def test_one_example_per_kind() -> None:
    kinds = sorted(check_workbook(p).group.kind.id for p in EXAMPLES)
    assert kinds == sorted(k.id for k in all_kinds())


def test_check_all_examples_exits_0() -> None:
    result = CliRunner().invoke(cli, ["check", *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "из них с ошибками: 0" in result.output


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_has_no_errors_and_realistic_content(path: Path) -> None:
    result = check_workbook(path)
    assert result.ok, "\n".join(map(str, result.errors))
    group = result.group
    assert group.year == "2025/2026"
    assert len(group.members) >= 6
    assert group.secretary is not None
    assert len(group.meetings) >= 3
    assert any(m.agenda for m in group.meetings)
    assert group.plan


def test_committed_examples_match_their_source(tmp_path: Path) -> None:
    """data/*.xlsx are built from data/examples.py: a stale workbook is caught here."""
    make = runpy.run_path(str(DATA / "make_examples.py"))["main"]
    for fresh in make(tmp_path):
        committed = DATA / fresh.name
        a, b = read_workbook(committed), read_workbook(fresh)
        for key, sheet in a.sheets.items():
            assert [r.values for r in sheet.rows] == [r.values for r in b.sheets[key].rows], key
        assert a.fields.values == b.fields.values


def test_docs_workbook_reference_is_current() -> None:
    from docgen.workbook.docs import reference_markdown

    docs = DATA.parent / "docs" / "workbook.md"
    assert docs.read_text(encoding="utf-8") == reference_markdown(), (
        "run: python -m docgen.workbook.docs > docs/workbook.md")


def test_the_examples_check_without_warnings() -> None:
    """Issue 28: a first run of `docgen check data/*.xlsx` says nothing to fix: every order
    of the examples has its number and date."""
    from pathlib import Path

    from docgen.main import check_workbook

    data = Path(__file__).resolve().parent.parent / "data"
    for book in sorted(data.glob("*.xlsx")):
        result = check_workbook(book)
        assert result.ok and [str(p) for p in result.problems] == [], book.name
