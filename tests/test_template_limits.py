"""The time limit of a document holds however the time is spent: numbers that grow without
a loop, and the work after Jinja (lxml, tables, serializing)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from conftest import paragraphs_template

from docgen.errors import TemplateError
from docgen.templating import LIMITS, render
from docgen.templating import compiler as compiler_module


def refused(path: Path, seconds: float = 10) -> str:
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render(path, {})
    assert time.monotonic() - started < seconds
    message = str(caught.value)
    assert "предел docgen" in message, message
    return message


@pytest.mark.parametrize("step", ["{% set ns.x = ns.x * ns.x %}",
                                  "{% set ns.x = ns.x ** 99 %}",
                                  "{% set ns.x = ns.x * ns.x * ns.x %}"])
def test_a_number_grown_without_loops_is_stopped_in_seconds(tmp_path: Path, step: str) -> None:
    path = paragraphs_template(tmp_path, "{% set ns = namespace(x=3) %}" + step * 40
                               + "{{ ns.x > 5 }}")
    assert "число в «" in refused(path)


def test_ordinary_arithmetic_still_renders(tmp_path: Path) -> None:
    import io

    import docx

    path = paragraphs_template(tmp_path, "{{ 2 ** 64 }} {{ 12345678901234567890 * 98765 }} "
                                         "{{ 7 * 6 }}")
    text = docx.Document(io.BytesIO(render(path, {}))).paragraphs[0].text
    assert text == f"{2 ** 64} {12345678901234567890 * 98765} 42"


def test_the_work_after_jinja_counts_against_the_documents_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow lxml step (simulated: it sleeps past the limit) stops the document."""
    monkeypatch.setattr(LIMITS, "seconds", 0.5)
    for name in ("_body_tree", "_spliced"):
        original = getattr(compiler_module, name)

        def slow(*args: Any, __original: Any = original) -> Any:
            time.sleep(0.7)
            return __original(*args)

        monkeypatch.setattr(compiler_module, name, slow)
    path = paragraphs_template(tmp_path, "Привет, {{ 1 + 1 }}")
    assert "формируется дольше" in refused(path)


def test_a_macro_that_calls_itself_is_said_in_russian_end_to_end(tmp_path: Path) -> None:
    import re

    from click.testing import CliRunner

    from docgen.cli import cli

    folder = tmp_path / "шаблоны"
    folder.mkdir()
    paragraphs_template(folder, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
                        name="protocol.docx")
    with pytest.raises(TemplateError) as caught:
        render(folder / "protocol.docx", {})
    message = str(caught.value)
    assert "макрос вызывает сам себя без конца" in message
    said = message.split("»: ", 1)[1]  # what follows the template and paragraph
    english = re.sub(r"\{%.*?%\}|docgen", "", said)  # tags and the program's name apart
    assert not re.search(r"[A-Za-z]{3,}", english), said
    result = CliRunner().invoke(cli, ["build", str(Path(__file__).resolve().parent.parent
                                                 / "data" / "klin-masterskaya.xlsx"),
                                      "-o", str(tmp_path / "out"), "--templates", str(folder)])
    assert "макрос вызывает сам себя без конца" in result.output
    assert "RecursionError" not in result.output and "recursion" not in result.output
