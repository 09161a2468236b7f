"""Who issues, appoints and approves, per kind, as its seed regulation says (issue 13).

Each kind's profile states its powers with the seed's own words beside each value;
these tests find those words in the seed, then open the generated orders, положение
and plan of every example and check the issuer, the signatory, the approver of the
plan and the citation of the положение against them. They also check that no
document carries an order number or date the workbook did not give.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import docx_text

from docgen.cli import cli
from docgen.errors import ProfileError
from docgen.kinds import all_kinds, parse_profile
from docgen.main import check_workbook

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
YEAR = "2025-2026 учебный год"
sys.path.insert(0, str(DATA))
from examples import EXAMPLES  # noqa: E402

sys.path.remove(str(DATA))


def squeeze(text: str) -> str:
    """Seeds are Word exports: runs of spaces and line breaks, «ё» or «е» as it came."""
    return re.sub(r"\s+", " ", text.replace("ё", "е").replace("Ё", "Е")).strip()


def seed_text(name: str) -> str:
    for folder in (SEEDS, ROOT / "shared" / "seeds"):
        if (folder / name).is_file():
            return squeeze((folder / name).read_text(encoding="utf-8", errors="replace"))
    pytest.skip("the seed regulations (../shared/seeds) are not beside this checkout")


def unquoted(kind_id: str) -> list[str]:
    """The powers of a kind whose quote is not in its seed, and those with neither a
    quote nor a note: what the profile claims without the seed behind it."""
    kind = next(k for k in all_kinds() if k.id == kind_id)
    seed = seed_text(kind.seed)
    return [name for name, power in kind.powers.items()
            if (power.quote and squeeze(power.quote) not in seed)
            or not (power.quote or power.note)]


@pytest.mark.parametrize("kind_id", [k.id for k in all_kinds()])
def test_every_power_is_backed_by_its_seed(kind_id: str) -> None:
    assert unquoted(kind_id) == []


def test_a_quote_missing_from_the_seed_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    kind = next(k for k in all_kinds() if k.id == "gmo")
    from docgen.kinds import Power

    forged = {**kind.powers, "appoint": Power("service", "Куратор ГМО назначается приказом Центра")}
    monkeypatch.setattr(type(kind), "powers", property(lambda self: forged), raising=False)
    assert "appoint" in unquoted("gmo")


def test_a_profile_power_needs_words_or_a_reason() -> None:
    base = {"id": "x", "name": "Шестой вид", "noun": dict.fromkeys(
        ("nom", "gen", "dat", "acc", "ins", "pre"), "группа"),
        "head": dict.fromkeys(("nom", "gen", "dat", "acc", "ins", "pre"), "руководитель")}
    with pytest.raises(ProfileError, match="нет ни цитаты"):
        parse_profile({**base, "powers": {"plan": {"by": "head"}}}, "x.toml")
    with pytest.raises(ProfileError, match="не одно из"):
        parse_profile({**base, "powers": {"create": {"by": "head", "quote": "…"}}}, "x.toml")
    kind = parse_profile({**base, "powers": {"appoint": {"by": "authority", "quote": "…"}}},
                         "x.toml")
    assert (kind.power("appoint"), kind.power("create"), kind.authority_issues) == (
        "authority", "service", True)


# --- the papers of the five examples --------------------------------------------------


# One worker runs this module: its `built` fixture then runs once, not once per worker.
pytestmark = pytest.mark.xdist_group("powers")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("powers") / "out"
    result = CliRunner().invoke(cli, ["build", str(DATA), "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out / YEAR


def folder_of(built: Path, name: str) -> Path:
    def letters(text: str) -> str:  # folder names drop what Windows forbids («:»)
        return re.sub(r"\W", "", text)

    group = EXAMPLES[name]["Группа"]
    found = [p for p in built.iterdir()
             if p.is_dir() and letters(p.name).endswith(letters(group["Название"]))]
    assert len(found) == 1, name
    return found[0]


def text_of(built: Path, name: str, prefix: str) -> str:
    (path,) = [p for p in folder_of(built, name).glob("*.docx")
               if re.sub(r"^\d\d(\.\d+)? ", "", p.name).startswith(prefix)]
    return docx_text(path)


def io(full: str) -> str:
    """«Сафина Гульнара Рашидовна» → «Г.Р. Сафина»."""
    last, first, middle = full.split()
    return f"{first[0]}.{middle[0]}. {last}"


# Per example: the seed's words, then what the papers must say because of them.
SEEDED = {
    "noyabrsk-professionalnaya.xlsx": {
        # 1.6 «создаются … приказом начальника Департамента образования»,
        # 3.1 «руководитель, который назначается приказом начальника Департамента образования»
        "letterhead": "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА НОЯБРЬСКА",
        "open_signer": ("Начальник Департамента образования", "Сафина Гульнара Рашидовна"),
        "head_signer": ("Начальник Департамента образования", "Сафина Гульнара Рашидовна"),
        # 3.5 «работает в соответствии с планом, утвержденным приказом начальника департамента»
        "plan_stamp": "УТВЕРЖДЁН\nприказом начальника Департамента образования Администрации "
                      "города Ноябрьска\nот 12.09.2025 № 455",
        # the standing положение: «УТВЕРЖДЕНО приказом начальника департамента … № 109»
        "regulation_stamp": "УТВЕРЖДЕНО\nприказом начальника Департамента образования "
                            "Администрации города Ноябрьска\nот 12.02.2020 № 109",
        # the standing act cited by its full title (issue 27)
        "open_cites": "Положением о профессиональной группе, лаборатории педагогических и "
                      "руководящих работников (творческой, рабочей, экспертной, проектной) в "
                      "системе общего и дополнительного образования города Ноябрьска, "
                      "утверждённым приказом начальника Департамента образования Администрации "
                      "города Ноябрьска от 12.02.2020 № 109",
    },
    "izhevsk-gmo.xlsx": {
        # 5.1 «их состав определяется Методическим советом Центра»: the Centre creates
        "letterhead": "Муниципальное автономное учреждение «Информационно-методический центр "
                      "„Альтернатива“» (МАУ ИМЦ «Альтернатива»)",
        "open_signer": ("Директор МАУ ИМЦ «Альтернатива»", "Давыдова Светлана Михайловна"),
        # 5.3 «Куратор ГМО назначается приказом Управления»
        "head_letterhead": "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ИЖЕВСКА",
        "head_signer": ("Начальник Управления образования", "Клюкина Марина Алексеевна"),
        # 5.6 «дорожной картой … (Приложение №4)», 5.8 «утверждается куратором ГМО»
        "plan_stamp": "Приложение № 4\nк положению о городском методическом объединении "
                      "«Информатика для всех»\nРассмотрено на заседании ГМО,\nпротокол от "
                      "23.09.2025 № 1\nУТВЕРЖДАЮ\nКуратор ГМО\n____________ "
                      "А.В. Корепанов\n«____» ____________ 20___ г.",
        "regulation_stamp": "УТВЕРЖДЕНО\nприказом МАУ ИМЦ «Альтернатива»\nот 27.08.2025 № 612",
        "open_item_2": "2. Ходатайствовать перед Управлением образования Администрации города "
                       "Ижевска о назначении куратора ГМО Корепанова Алексея Витальевича",
        "regulation_says": "Куратор ГМО назначается приказом Управления.",
    },
    "amursk-tvorcheskaya.xlsx": {
        # «является основным структурным подразделением методической службы»
        "letterhead": "Муниципальное казённое учреждение «Информационно-методический центр» "
                      "(МКУ ИМЦ)",
        "open_signer": ("Директор МКУ ИМЦ", "Соколова Наталья Викторовна"),
        "head_signer": ("Директор МКУ ИМЦ", "Соколова Наталья Викторовна"),
        # «План … утверждается директором центра»
        "plan_stamp": "УТВЕРЖДАЮ\nДиректор МКУ ИМЦ\n____________ Н.В. Соколова",
        "regulation_stamp": "УТВЕРЖДЕНО\nприказом МКУ ИМЦ\nот 29.08.2025 № 112",
    },
    "klin-masterskaya.xlsx": {
        # 4.1 «создается и ликвидируется на основании приказа МУ «МЕТОДИЧЕСКИЙ КАБИНЕТ»»
        "letterhead": "МУ «Методический кабинет»",
        "open_signer": ("Директор МУ «Методический кабинет»", "Кутейкина Елена Николаевна"),
        # 4.2 «Руководство осуществляет методический совет»: no appointment order
        "head_signer": None,
        "plan_stamp": "УТВЕРЖДАЮ\nДиректор МУ «Методический кабинет»\n____________ "
                      "Е.Н. Кутейкина",
        "regulation_stamp": "УТВЕРЖДЕНО\nприказом МУ «Методический кабинет»\n"
                            "от 29.08.2025 № 41-о",
    },
    "okhrozavodsk-setevaya.xlsx": {
        "letterhead": "МКОУ «Охрозаводская СОШ»",
        "open_signer": ("Директор МКОУ «Охрозаводская СОШ»", "Никитина Людмила Геннадьевна"),
        "head_signer": ("Директор МКОУ «Охрозаводская СОШ»", "Никитина Людмила Геннадьевна"),
        "plan_stamp": "УТВЕРЖДАЮ\nДиректор МКОУ «Охрозаводская СОШ»\n____________ "
                      "Л.Г. Никитина",
        "regulation_stamp": "УТВЕРЖДЕНО\nприказом МКОУ «Охрозаводская СОШ»\n"
                            "от 29.08.2025 № 87",
    },
}


def signed(text: str, position: str, person: str) -> bool:
    """A signature row: the position, the line to sign on (an empty cell), И.О. Фамилия."""
    return f"{position}\n\n{io(person)}" in text


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_orders_are_issued_and_signed_by_whom_the_seed_says(built: Path, name: str) -> None:
    want = SEEDED[name]
    opening = text_of(built, name, "Приказ о создании")
    if want["head_signer"] is None:
        assert not list(folder_of(built, name).glob("*Приказ о назначении*"))
        assert want["letterhead"] in opening.split("ПРИКАЗ")[0]
        assert signed(opening, *want["open_signer"]) and "Назначить " not in opening
        return
    appointing = text_of(built, name, "Приказ о назначении")
    assert want["letterhead"] in opening.split("ПРИКАЗ")[0]
    assert want.get("head_letterhead", want["letterhead"]) in appointing.split("ПРИКАЗ")[0]
    assert signed(opening, *want["open_signer"])
    assert signed(appointing, *want["head_signer"])
    if "open_item_2" in want:
        assert want["open_item_2"] in opening
    # the head is appointed once, by the appointment order (seed 000 lists both orders)
    assert "Назначить " not in opening
    assert "\n1. Назначить " in appointing


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_the_plan_is_approved_by_whom_the_seed_says(built: Path, name: str) -> None:
    plan = text_of(built, name, "Дорожная карта" if name == "izhevsk-gmo.xlsx" else "План")
    assert plan.startswith(SEEDED[name]["plan_stamp"])


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_the_regulation_carries_its_real_approval(built: Path, name: str) -> None:
    regulation = text_of(built, name, "Положение")
    assert regulation.startswith(SEEDED[name]["regulation_stamp"])
    if "regulation_says" in SEEDED[name]:
        assert SEEDED[name]["regulation_says"] in regulation
    opening = text_of(built, name, "Приказ о создании")
    if "open_cites" in SEEDED[name]:  # a standing положение is cited, not approved again
        assert SEEDED[name]["open_cites"] in opening
        assert "Утвердить состав группы (прилагается)." in opening
        assert "Положение о профессиональной группе «ПрофНавигатор» (прилагается)" not in opening
    else:  # item 2, or 3 after the ГМО's petition for its curator
        assert re.search(r"\n[23]\.1\. Положение о .*\(прилагается\)\.", opening)


def test_the_authority_is_named_as_the_workbook_names_it(built: Path) -> None:
    gmo = text_of(built, "izhevsk-gmo.xlsx", "Положение")
    assert ("подведомственных Управлению образования Администрации города Ижевска "
            "(далее – Управление)") in gmo
    assert "органу управления образованием" not in gmo
    amursk = text_of(built, "amursk-tvorcheskaya.xlsx", "Положение")
    assert ("Управления образования администрации Амурского муниципального района "
            "(далее – Управление)") in amursk
    # the профессиональная группа's standing положение is seed 002's own words
    prof = text_of(built, "noyabrsk-professionalnaya.xlsx", "Положение")
    assert "Положением о департаменте образования Администрации города Ноябрьска." in prof


def test_the_gmo_head_plans_the_roadmap_not_submits_it(built: Path) -> None:
    """5.8: the дорожная карта is approved by the куратор, not sent «на утверждение».

    The head's tasks come with the order that appoints them.
    """
    appointing = text_of(built, "izhevsk-gmo.xlsx", "Приказ о назначении")
    assert "на утверждение" not in appointing
    assert ("2.1. Разработать совместно с участниками ГМО дорожную карту на 2025/2026 учебный "
            "год на основе технического задания, рассмотреть на заседании ГМО и утвердить."
            ) in appointing
    prof = text_of(built, "noyabrsk-professionalnaya.xlsx", "Приказ о назначении")
    assert ("представить на утверждение начальнику Департамента образования Администрации "
            "города Ноябрьска.") in prof


# --- no number or date that nobody gave -----------------------------------------------


def given_requisites(content: dict) -> set[tuple[str, str]]:
    """The requisites the workbook gives: its orders' (on «Группа», and the amendment
    orders' on «Участники») and its meetings' (a protocol's registration sheet is marked
    «к протоколу … от 19.03.2026 № 4»)."""
    group = content["Группа"]
    pairs = set()
    for prefix in ("", " о назначении руководителя", " об утверждении положения",
                   " об утверждении плана"):
        number, date = group.get(f"Номер приказа{prefix}"), group.get(f"Дата приказа{prefix}")
        if number and date:
            pairs.add((f"{date:%d.%m.%Y}", str(number)))
    for member in content["Участники"]:
        for what in ("включении", "выбытии"):
            number = member.get(f"Номер приказа о {what}")
            date = member.get(f"Дата приказа о {what}")
            if number and date:
                pairs.add((f"{date:%d.%m.%Y}", str(number)))
    pairs |= {(f"{m['Дата']:%d.%m.%Y}", str(m["№"])) for m in content["Заседания"]}
    return pairs


# Requisites of laws are facts of the law, not of the group: «от 29.12.2012 № 273-ФЗ».
LAWS = {("29.12.2012", "273-ФЗ")}
REQUISITES = re.compile(r"от (\d\d\.\d\d\.\d{4}|_+) № (\S+?)[,.;:»)]*(?=\s|$)")


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_no_order_requisites_nobody_gave(built: Path, name: str) -> None:
    given = given_requisites(EXAMPLES[name])
    for path in folder_of(built, name).glob("*.docx"):
        for date, number in REQUISITES.findall(docx_text(path)):
            if date.startswith("_"):
                assert set(number) == {"_"}, (path.name, date, number)
                continue
            assert (date, number) in given | LAWS, f"{path.name}: от {date} № {number}"


def test_the_appointment_without_requisites_is_blank(content: dict, make_workbook: Callable,
                                                    tmp_path: Path) -> None:
    from docgen.main import build_workbook

    del content["Группа"]["Номер приказа о назначении руководителя"]
    del content["Группа"]["Дата приказа о назначении руководителя"]
    content["Группа"]["Номер приказа"] = "112"
    result = build_workbook(make_workbook(content), tmp_path / "out")
    (path,) = [w.path for w in result.written if "Приказ о назначении" in w.path.name]
    text = docx_text(path)
    head = text.split("О назначении")[0]
    assert "________\n№ ____" in head
    assert "№ 112" not in text.split("В соответствии")[0]  # not the creation order's


def test_the_registry_has_no_two_orders_with_one_number(built: Path) -> None:
    sheet = openpyxl.load_workbook(built / "Реестр документов.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    orders = [r for r in rows[1:] if str(r[col["Документ"]]).startswith("Приказ")]
    numbered = Counter((r[col["Группа"]], str(r[col["Номер"]])) for r in orders
                       if r[col["Номер"]] not in (None, ""))
    assert numbered and max(numbered.values()) == 1
    amursk = next(r for r in orders if r[col["Группа"]] == "Маленькие инженеры"
                  and r[col["Документ"]] == "Приказ о назначении руководителя")
    assert str(amursk[col["Номер"]]) == "113"  # its own number, not the creation order's


QUOTED_DAY = re.compile(r"«\d{1,2}»\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|"
                        r"сентября|октября|ноября|декабря)")


def test_no_fill_in_date_form_in_running_text(built: Path) -> None:
    """ГОСТ Р 7.0.97 5.12: «1 сентября 2025 г.» in the text of every kind; ««1» сентября»
    only where a person writes the date by hand (««____» ____________ 20___ г.»)."""
    found = [(p.name, m) for p in built.glob("*/*.docx")
             for m in QUOTED_DAY.findall(docx_text(p))]
    assert found == []
    assert QUOTED_DAY.search("Приказ от «29» августа 2025 г.")  # the check can fail


# --- check names what the new year's papers still need --------------------------------


def problems(make_workbook: Callable[..., Path], content: dict) -> list[tuple[str, str, str]]:
    result = check_workbook(make_workbook(content))
    return [(p.severity.value, p.location.cell or "", p.message) for p in result.problems]


def test_check_warns_about_a_missing_appointment_order(content: dict,
                                                       make_workbook: Callable) -> None:
    assert not [p for p in problems(make_workbook, content) if "назначении" in p[2]]
    del content["Группа"]["Номер приказа о назначении руководителя"]
    del content["Группа"]["Дата приказа о назначении руководителя"]
    found = [p for p in problems(make_workbook, content) if "назначении" in p[2]]
    assert len(found) == 1 and found[0][0] == "warning"
    assert "номер и дата не указаны — в документах останутся пустые места" in found[0][2]


def test_check_warns_about_half_an_order(content: dict, make_workbook: Callable) -> None:
    del content["Группа"]["Дата приказа о назначении руководителя"]
    found = [p for p in problems(make_workbook, content) if "назначении" in p[2]]
    assert [(s, m.split(" — ")[0]) for s, _, m in found] == [
        ("warning", "приказ о назначении руководителя: дата не указана")]


def test_check_wants_the_authoritys_head_where_it_issues_orders(
        content: dict, make_workbook: Callable) -> None:
    content["Группа"]["Вид объединения"] = "Профессиональная группа"
    content["Группа"]["Направление"] = "проектная"
    errors = [p for p in problems(make_workbook, content) if p[0] == "error"]
    assert [m.split(":")[0] for _, _, m in errors] == [
        "не заполнено поле «Руководитель органа управления образованием»",
        "не заполнено поле «Должность руководителя органа управления образованием»"]
    assert "приказы о создании, о назначении руководителя и об утверждении плана работы " \
           "издаёт орган управления образованием" in errors[0][2]
    content["Группа"]["Руководитель органа управления образованием"] = "Сафина Г.Р."
    content["Группа"]["Должность руководителя органа управления образованием"] = "Начальник"
    errors = [p for p in problems(make_workbook, content) if p[0] == "error"]
    assert len(errors) == 1 and "укажите фамилию, имя и отчество полностью" in errors[0][2]


def test_the_service_kinds_need_no_authority_head(content: dict,
                                                  make_workbook: Callable) -> None:
    assert check_workbook(make_workbook(content)).ok  # творческая: the service issues


@pytest.mark.parametrize(("kind", "name", "repeats"), [
    ("Городское методическое объединение", "ГМО учителей информатики", True),
    ("Городское методическое объединение", "Информатика для всех", False),
    ("Творческая группа", "Творческая группа учителей начальных классов", True),
    ("Творческая группа", "Читающая школа", False),
    ("Мастерская наставничества", "Мастерская молодого педагога", True),
])
def test_check_warns_when_the_name_repeats_the_kind(content: dict, make_workbook: Callable,
                                                    kind: str, name: str,
                                                    repeats: bool) -> None:
    content["Группа"]["Вид объединения"] = kind
    content["Группа"]["Название"] = name
    found = [p for p in problems(make_workbook, content) if "повторяет вид" in p[2]]
    assert bool(found) == repeats
    if repeats:
        assert found[0][0] == "warning"


def test_dates_follow_the_one_rule() -> None:
    from docgen.language.russian import date_text

    assert date_text(dt.date(2025, 9, 1)) == "1 сентября 2025\u00a0г."
