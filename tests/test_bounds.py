"""Issue 15, defects 3 and 12: every render is bounded, and `templates check` says what it can.

Each hostile template here ran until killed, took gigabytes or built a 48 MB
document before the bounds (templating.LIMITS); now each is refused in a second or
two with a Russian message naming the template and the limit.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import paragraphs_template

from docgen.errors import TemplateError
from docgen.templating import LIMITS, check_template, render

template = paragraphs_template


def refused(path: Path, context: dict | None = None) -> str:
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render(path, context or {})
    assert time.monotonic() - started < 30
    message = str(caught.value)
    assert f"шаблон «{path.name}»" in message
    assert "предел docgen" in message
    return message


@pytest.mark.parametrize(("text", "said"), [
    ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
     "циклы повторяются больше"),
    ("{{ 'x'.center(10**9) }}", "значение получается длиннее"),
    ("{{ 'x'.ljust(999999999) }}", "значение получается длиннее"),
    ("{{ lipsum(100000) }}", "lipsum()"),
    ('{{ "%0999999999d"|format(1) }}', "ширина 999999999"),
    ('{{ "%0999999999d" % 1 }}', "ширина 999999999"),
    ("{{ '{:999999999}'.format(1) }}", "ширина 999999999"),
    ("{{ 'x'|center(999999999) }}", "значение получается длиннее"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s|length }}", "значение получается длиннее"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}{{ ns.s|length }}", "значение получается длиннее"),
    ("{% set s = 'x' * 100000 %}{% for i in range(100000) %}{{ s }}{% endfor %}",
     "текст документа получается длиннее"),
    ("{{ ('x' * 100000)|replace('', 'yyyyyyyyyy' * 1000) }}", "значение получается длиннее"),
    ("{% set ns = namespace(s='x' * 100000) %}{% for i in range(5) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s|wordwrap(1) }}", "текст длиннее 1\u00a0000\u00a0000 знаков для фильтра"),
    pytest.param(  # 3.2 million letters batched one by one up to the limit: heavy
        "{% set ns = namespace(s='x' * 100000) %}{% for i in range(5) %}"
        "{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|batch(1)|list|length }}", "список получается длиннее",
        marks=pytest.mark.slow),
    ("{% set ns = namespace(s=[1] * 100000) %}{% for i in range(5) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}{{ ns.s|length }}", "список получается длиннее"),
])
def test_hostile_templates_are_refused_naming_the_limit(tmp_path: Path, text: str,
                                                         said: str) -> None:
    assert said in refused(template(tmp_path, text))


def test_the_wall_clock_stops_a_slow_document(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LIMITS, "seconds", 1.0)
    path = template(tmp_path, "{% for a in range(1000) %}{% for b in range(1000) %}"
                              "{{ (a * b) % 7 }}{% endfor %}{% endfor %}")
    assert "формируется дольше 1 с" in refused(path)


def test_ordinary_loops_and_joins_still_render(tmp_path: Path) -> None:
    path = template(tmp_path, "{% for m in members %}{{ m ~ '!' }}{% endfor %}",
                    "{{ members|join(', ') }} {{ members|count }} {{ 5|quantity('заседание', "
                    "'заседания', 'заседаний') }} {{ 2|count('раз', 'раза', 'раз') }}")
    data = render(path, {"members": ["Иванов", "Петров"]})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Иванов!Петров!" in text
    assert "Иванов, Петров 2 5 заседаний 2 раза" in text


def test_jinjas_own_count_is_the_length(tmp_path: Path) -> None:
    """An upstream docxtpl template's «|count» (Jinja's alias of length) works."""
    path = template(tmp_path, "{{ items|count }} / {{ 'abc'|count }}")
    data = render(path, {"items": [1, 2, 3]})
    assert "3 / 3" in docx.Document(io.BytesIO(data)).paragraphs[0].text


def test_check_refuses_attr_dunders_and_huge_literals_statically(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ group|attr('__class__') }}", "{{ 'x'.center(10**9) }}",
                    "{{ 'y' * 999999999 }}", "{% for i in range(10000000) %}{% endfor %}",
                    name="protocol.docx")
    messages = [p.message for p in check_template(path).errors]
    assert any("«__class__»" in m for m in messages), messages
    assert sum("слишком большое число" in m for m in messages) >= 2, messages


def test_check_warns_of_the_old_count_name(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ members_count|count('участник', 'участника', 'участников') }}",
                    name="protocol.docx")
    found = check_template(path)
    assert not found.errors
    assert any("quantity" in w.message for w in found.warnings), found.warnings


def test_a_zip_bomb_template_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    base = template(tmp_path, "{{ x }}", name="base.docx")
    bomb = tmp_path / "protocol.docx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        with out.open("word/media/padding.bin", "w") as handle:  # 300 MB of zeros, ~300 KB
            chunk = bytes(MB)
            for _ in range(300):
                handle.write(chunk)
    assert bomb.stat().st_size < 2 * MB
    started = time.monotonic()
    with pytest.raises(TemplateError, match="распаковывается в 300 МБ"):
        render(bomb, {"x": 1})
    problems = check_template(bomb).errors
    assert any("распаковывается" in p.message for p in problems), problems
    assert time.monotonic() - started < 5


MB = 1024 * 1024
