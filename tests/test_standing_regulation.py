"""A standing положение reads as the general regulation it is.

When the workbook gives the order that approved the kind's положение earlier (seed 002:
«УТВЕРЖДЕНО приказом начальника департамента … от 12.02.2020 № 109»), the положение is
printed with that stamp. A document approved in 2020 cannot name a group created in 2025,
so then its text is the kind's general regulation: no group name, theme, this year's aims,
head, base organisation or creation order; the year's aims are set by the plan. These
tests open the generated «Положение» of the ПрофНавигатор example and of every other kind
given the two fields, and check what it says and what it must not say.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
YEAR = "2025-2026 учебный год"
sys.path.insert(0, str(DATA))
from examples import EXAMPLES  # noqa: E402

sys.path.remove(str(DATA))

# The stamp (as docx_text joins the stamp's paragraphs) and the title of each kind's
# general положение, and one general sentence of its own that replaces a group-specific one.
GENERAL = {
    "noyabrsk-professionalnaya.xlsx": (
        "УТВЕРЖДЕНО приказом начальника Департамента образования Администрации города "
        "Ноябрьска от 12.02.2020 № 109",
        "о профессиональной группе",
        "1.5. Группа создаётся и прекращает деятельность приказом начальника Департамента "
        "образования Администрации города Ноябрьска; период работы группы устанавливается "
        "приказом о её создании."),
    "amursk-tvorcheskaya.xlsx": (
        "УТВЕРЖДЕНО приказом МКУ ИМЦ от 15.03.2019 № 31",
        "о творческой группе",
        "1.4. Группа создаётся в режиме временного творческого коллектива приказом МКУ ИМЦ "
        "на период, указанный в приказе о её создании."),
    "okhrozavodsk-setevaya.xlsx": (
        "УТВЕРЖДЕНО приказом МКОУ «Охрозаводская СОШ» от 15.03.2019 № 31",
        "о творческой группе педагогов в рамках сетевого взаимодействия",
        "1.5. Группа формируется на добровольной основе по желанию педагогов и создаётся "
        "приказом МКОУ «Охрозаводская СОШ» на период, указанный в приказе о её создании."),
    "klin-masterskaya.xlsx": (
        "УТВЕРЖДЕНО приказом МУ «Методический кабинет» от 15.03.2019 № 31",
        "о мастерской наставничества",
        "1.4. Мастерская создаётся и прекращает деятельность на основании приказа "
        "МУ «Методический кабинет»."),
    "izhevsk-gmo.xlsx": (
        "УТВЕРЖДЕНО приказом МАУ ИМЦ «Альтернатива» от 15.03.2019 № 31",
        "о городском методическом объединении",
        "1.5. ГМО создаётся приказом МАУ ИМЦ «Альтернатива» на период, указанный в приказе "
        "о его создании."),
}


def paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body, tables included, as Word shows it."""
    doc = docx.Document(str(path))
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        found += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [p.replace("\xa0", " ").replace("\u2060", "") for p in found]


def regulation_of(out: Path) -> Path:
    (path,) = (out / YEAR).glob("*/03 Положение*.docx")
    return path


def build(workbook: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return regulation_of(out)


def standing(name: str) -> dict:
    """The example, with the order that approved its kind's положение earlier."""
    content = copy.deepcopy(EXAMPLES[name])
    group = content["Группа"]
    if "Номер приказа об утверждении положения" not in group:
        group["Номер приказа об утверждении положения"] = "31"
        group["Дата приказа об утверждении положения"] = dt.date(2019, 3, 15)
    return content


def this_years(content: dict) -> list[str]:
    """What only this year's group has: its name, theme, head, base, creation order."""
    group = content["Группа"]
    head = next(m for m in content["Участники"] if m["Роль"] in ("руководитель", "куратор"))
    # a base that is also the service (Охрозаводская СОШ, seed 001) issues the orders
    base = group["Базовая организация"]
    return [group["Название"], group["Тема"][:40], "2025/2026", "2025", head["Фамилия"],
            f"№ {group['Номер приказа']}",
            *([base] if base != group["Методическая служба"] else []),
            *([group["Направление"]] if group.get("Направление") else [])]


def leaks(paras: list[str], content: dict) -> list[tuple[str, str]]:
    def plain(text: str) -> str:  # «6–⁠11» and no-break spaces as typed in the workbook
        return re.sub(r"\s+", " ", text.replace("\u2060", "")).lower()

    return [(word, p) for p in paras for word in this_years(content)
            if plain(word) in plain(p)]


@pytest.mark.parametrize("name", sorted(GENERAL))
def test_a_standing_regulation_is_the_kinds_general_one(
        name: str, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    content = standing(name)
    paras = paragraphs(build(make_workbook(content, name), tmp_path / "out"))
    stamp, title, sentence = GENERAL[name]
    assert " ".join(paras[:3]) == stamp
    assert paras[3:5] == ["ПОЛОЖЕНИЕ", title]
    assert sentence in paras
    assert leaks(paras, content) == []
    # the year's aims are the plan's: one point says so, no empty heading is left
    assert any("определяются планом работы" in p or "определяются техническим заданием" in p
               for p in paras)
    assert not any(p.endswith(":") and "Цель работы" in p for p in paras)


def test_the_check_can_fail(make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """Without the approval order the положение is this year's group's, and the same check
    finds the group in it."""
    name = "amursk-tvorcheskaya.xlsx"
    content = EXAMPLES[name]
    paras = paragraphs(build(make_workbook(content, name), tmp_path / "out"))
    found = {word for word, _ in leaks(paras, content)}
    head = next(m for m in content["Участники"] if m["Роль"] == "руководитель")
    assert {content["Группа"]["Название"], "2025/2026", head["Фамилия"]} <= found
    assert paras[4] == "о творческой группе «Маленькие инженеры»"


def test_the_default_regulation_is_general_too(make_workbook: Callable[..., Path],
                                               tmp_path: Path) -> None:
    """A kind without its own text gets regulation.docx: given in place of ПрофНавигатор's
    (docgen build --templates), it is the general regulation as well."""
    name = "noyabrsk-professionalnaya.xlsx"
    content = standing(name)
    own = tmp_path / "шаблоны"
    own.mkdir()
    shutil.copyfile(ROOT / "templates" / "regulation.docx",
                    own / "regulation_professionalnaya.docx")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(make_workbook(content, name)), "-o",
                                      str(out), "--templates", str(own)])
    assert result.exit_code == 0, result.output + result.stderr
    paras = paragraphs(regulation_of(out))
    assert paras[3:5] == ["ПОЛОЖЕНИЕ", "о профессиональной группе"]
    assert ("1.3. Профессиональная группа создаётся приказом начальника Департамента "
            "образования Администрации города Ноябрьска на период, указанный в приказе о "
            "создании.") in paras
    assert ("2.2. Цель, задачи и ожидаемый результат работы профессиональной группы на "
            "каждый учебный год определяются планом работы.") in paras
    assert leaks(paras, content) == []
