"""A положение is an act for the group's whole life, and a standing one is the act itself.

Issue 26 §3. A положение docgen writes names no year's head, aims, period or creation
order (those are the orders' and the plan's). When the workbook gives the order that
approved the kind's положение earlier (seed 002: «УТВЕРЖДЕНО приказом начальника
департамента … от 12.02.2020 № 109»), that act is not retyped under its old stamp: the
профессиональная группа's is seed 002 word for word (docgen holds its text), any other
kind's is not reprinted at all and the orders cite it. These tests open the built
documents.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.workbook.schema import HEAD_ROLES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
YEAR = "2025-2026 учебный год"
sys.path.insert(0, str(DATA))
from examples import EXAMPLES  # noqa: E402

sys.path.remove(str(DATA))

def paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body, tables included, as Word shows it."""
    doc = docx.Document(str(path))
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        found += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [p.replace("\xa0", " ").replace("\u2060", "") for p in found]


def regulation_of(out: Path) -> Path:
    (path,) = (out / YEAR).glob("*/0[23] Положение*.docx")
    return path


def build_output(workbook: Path, out: Path) -> str:
    result = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def build(workbook: Path, out: Path) -> Path:
    build_output(workbook, out)
    return regulation_of(out)


def standing(name: str) -> dict:
    """The example, with the order that approved its kind's положение earlier."""
    content = copy.deepcopy(EXAMPLES[name])
    group = content["Группа"]
    if "Номер приказа об утверждении положения" not in group:
        group["Номер приказа об утверждении положения"] = "31"
        group["Дата приказа об утверждении положения"] = dt.date(2019, 3, 15)
    return content


def not_standing(name: str) -> dict:
    """The example with its положение approved by the creation order."""
    content = copy.deepcopy(EXAMPLES[name])
    content["Группа"].pop("Номер приказа об утверждении положения", None)
    content["Группа"].pop("Дата приказа об утверждении положения", None)
    return content


def this_years(content: dict) -> list[str]:
    """What only this year has: its period, theme, head, base, creation order and aims."""
    group = content["Группа"]
    head = next(m for m in content["Участники"] if m["Роль"] in HEAD_ROLES)
    # a base that is also the service (Охрозаводская СОШ, seed 001) issues the orders
    base = group["Базовая организация"]
    return [group["Тема"][:40], "2025/2026", "2025", head["Фамилия"],
            f"№ {group['Номер приказа']}", group["Цель"][:40],
            *([base] if base != group["Методическая служба"] else []),
            *([group["Направление"]] if group.get("Направление") else [])]


def plain(text: str) -> str:  # «6–⁠11» and no-break spaces as typed in the workbook
    return re.sub(r"\s+", " ", text.replace("\u2060", "").replace("\xa0", " ")).lower()


def leaks(paras: list[str], content: dict) -> list[tuple[str, str]]:
    return [(word, p) for p in paras for word in this_years(content)
            if plain(word) in plain(p)]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_regulation_docgen_writes_is_general(
        name: str, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """No year's head, theme, aims, period, base or creation order (today's ТГ 3.2
    «Руководитель … – О.В. Шевченко», the ГМО's 5.3 naming its куратор)."""
    content = not_standing(name)
    paras = paragraphs(build(make_workbook(content, name), tmp_path / "out"))
    assert paras[0] == "УТВЕРЖДЕНО"  # the stamp names the creation order that approves it
    assert leaks(paras[3:], content) == []
    assert any("определяются планом работы" in p or "определяются техническим заданием" in p
               for p in paras)


def test_the_check_can_fail(make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """The leak check finds a year's head, period and theme where they are printed."""
    content = EXAMPLES["amursk-tvorcheskaya.xlsx"]
    head = next(m for m in content["Участники"] if m["Роль"] == "руководитель")
    paras = [f"3.2. Руководитель группы в 2025/2026 учебном году – О.В. {head['Фамилия']}.",
             f"1.5. Группа работает над темой «{content['Группа']['Тема']}»."]
    found = {word for word, _ in leaks(paras, content)}
    assert {"2025/2026", head["Фамилия"], content["Группа"]["Тема"][:40]} <= found


@pytest.mark.parametrize("name", sorted(set(EXAMPLES) - {"noyabrsk-professionalnaya.xlsx"}))
def test_a_standing_act_without_its_text_is_cited_not_reprinted(
        name: str, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """«Never new text under an old stamp»: a kind whose standing act docgen does not hold
    gets no «Положение»; the run says why, and the creation order cites the act."""
    out = tmp_path / "out"
    output = build_output(make_workbook(standing(name), name), out)
    assert not list((out / YEAR).glob("*/*Положение*.docx"))
    assert "Положение не создано: оно утверждено ранее" in " ".join(output.split())
    (order,) = (out / YEAR).glob("*/01 Приказ о создании*.docx")
    text = plain(" ".join(paragraphs(order)))
    assert "утверждённым приказом" in text and "от 15.03.2019 № 31" in text
    assert "(прилагается)" in text and "утвердить: " not in text


def seed_002() -> str:
    for folder in (ROOT.parent / "shared" / "seeds", ROOT / "shared" / "seeds"):
        found = list(folder.glob("002_*.txt")) if folder.is_dir() else []
        if found:
            return found[0].read_text(encoding="utf-8")
    pytest.skip("the seed regulations (../shared/seeds) are not beside this checkout")


def words(text: str) -> list[str]:
    """The words of a text, whatever the typography: dashes, quotes, spaces, «ё»."""
    return re.findall(r"[а-яa-z0-9]+", plain(text).replace("ё", "е"))


def test_the_professional_groups_standing_regulation_is_seed_002_word_for_word(
        tmp_path: Path) -> None:
    """Under «УТВЕРЖДЕНО … от 12.02.2020 № 109» the act itself: its full title, every
    point, the kindergarten rule «не реже одного раза в квартал» (issue 26 §3)."""
    out = tmp_path / "out"
    paras = paragraphs(build(DATA / "noyabrsk-professionalnaya.xlsx", out))
    assert " ".join(paras[:3]) == ("УТВЕРЖДЕНО приказом начальника Департамента образования "
                                   "Администрации города Ноябрьска от 12.02.2020 № 109")
    assert paras[3] == "ПОЛОЖЕНИЕ"
    assert paras[4] == ("о профессиональной группе, лаборатории педагогических и руководящих "
                        "работников (творческой, рабочей, экспертной, проектной) в системе "
                        "общего и дополнительного образования города Ноябрьска")
    seed = seed_002()
    body = seed[seed.index("1. Общие положения"):]
    assert words(" ".join(paras[5:])) == words(body)
    assert "одного раза в квартал (для педагогических и руководящих работников дошкольных " \
           "образовательных учреждений)" in plain(" ".join(paras))
    # the orders cite it by its full title
    (order,) = (out / YEAR).glob("*/01 Приказ о создании*.docx")
    assert ("положением о профессиональной группе, лаборатории педагогических и руководящих "
            "работников (творческой, рабочей, экспертной, проектной) в системе общего и "
            "дополнительного образования города ноябрьска, утверждённым") in plain(
        " ".join(paragraphs(order)))
