"""Kinds are data: five profiles from the seeds, and a sixth needs no code."""

from __future__ import annotations

import pytest

from docgen.errors import ProfileError
from docgen.kinds import CASES, DOCUMENTS, all_kinds, find_kind, parse_profile


def test_five_kinds_from_the_seeds() -> None:
    names = [k.name for k in all_kinds()]
    assert names == [
        "Творческая группа",
        "Творческая группа (сетевое взаимодействие)",
        "Профессиональная группа",
        "Мастерская наставничества",
        "Городское методическое объединение",
    ]


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda k: k.id)
def test_profile_is_complete(kind) -> None:
    assert set(kind.noun) == set(CASES)
    assert set(kind.head_title) == set(CASES)
    from docgen.workbook.schema import ROLES

    # the мастерская's head is the chair of its методический совет (seed 003, 4.2)
    assert kind.head_role in ROLES and (not kind.council_role or kind.council_role in ROLES)
    assert kind.documents and set(kind.documents) <= set(DOCUMENTS)
    assert "protocol" in kind.documents and "regulation" in kind.documents


def test_cases_of_gmo() -> None:
    gmo = find_kind("ГМО")
    assert gmo is not None
    assert gmo.noun["gen"] == "городского методического объединения"
    assert gmo.noun["ins"] == "городским методическим объединением"
    assert gmo.head_title["dat"] == "куратору"
    assert gmo.rules.head_categories == ("высшая",) and gmo.rules.head_min_experience == 5


def test_cases_of_creative_group() -> None:
    kind = find_kind("творческая группа")
    assert kind is not None
    assert [kind.noun[c] for c in CASES] == [
        "творческая группа", "творческой группы", "творческой группе", "творческую группу",
        "творческой группой", "творческой группе"]
    assert kind.rules.min_meetings == 4


SIXTH = {
    "id": "shmp",
    "name": "Школа молодого педагога",
    "noun": {"gender": "f", "nom": "школа молодого педагога", "gen": "школы молодого педагога",
             "dat": "школе молодого педагога", "acc": "школу молодого педагога",
             "ins": "школой молодого педагога", "pre": "школе молодого педагога"},
    "head": {"nom": "руководитель", "gen": "руководителя", "dat": "руководителю",
             "acc": "руководителя", "ins": "руководителем", "pre": "руководителе"},
    "rules": {"min_meetings": 6},
    "documents": ["regulation", "plan", "protocol", "annual_report"],
}


def test_sixth_kind_is_just_data() -> None:
    kind = parse_profile(SIXTH, "6_shmp.toml")
    assert kind.rules.min_meetings == 6
    assert kind.noun["acc"] == "школу молодого педагога"
    assert kind.matches("школа молодого педагога")


@pytest.mark.parametrize(("change", "text"), [
    (lambda d: d["noun"].pop("ins"), "не хватает падежей: ins"),
    (lambda d: d["rules"].update(max_meetings=3), "неизвестные правила: max_meetings"),
    (lambda d: d["documents"].append("diploma"), "неизвестный документ «diploma»"),
    (lambda d: d["rules"].update(required_sheets=["photos"]), "неизвестный лист «photos»"),
    (lambda d: d.pop("head"), "нет ключа «head»"),
])
def test_broken_profile_is_reported(change, text: str) -> None:
    import copy

    data = copy.deepcopy(SIXTH)
    change(data)
    with pytest.raises(ProfileError, match=text):
        parse_profile(data, "6_shmp.toml")


def test_a_sixth_kind_gets_its_documents_without_code(
        monkeypatch: pytest.MonkeyPatch, content: dict, make_workbook, tmp_path) -> None:
    """A new profile alone is enough: the common положение and the common templates serve it."""
    import docx

    import docgen.kinds
    from docgen.main import build_workbook

    builtin = all_kinds()
    sixth = parse_profile(SIXTH, "6_shmp.toml")
    monkeypatch.setattr(docgen.kinds, "all_kinds", lambda: (*builtin, sixth))
    content["Группа"]["Вид объединения"] = "Школа молодого педагога"
    content["Заседания"].append({**content["Заседания"][-1], "№": 6,
                                 "Дата": content["Заседания"][-1]["Дата"].replace(day=28)})
    result = build_workbook(make_workbook(content), tmp_path)
    assert result.ok, (result.check.problems, result.failed)
    names = [w.path.name for w in result.written]
    assert names[0] == "01 Положение.docx"  # numbered within the kind's own set
    assert [n.split()[0] for n in names] == ["01", "02", "03.01", "03.02", "03.03", "03.04",
                                             "03.05", "03.06", "04"]
    regulation = docx.Document(str(result.written[0].path))
    text = "\n".join(p.text for p in regulation.paragraphs)
    assert "о школе молодого педагога «Читающая школа»" in text
    assert "не реже шести раз в год" in text


def test_kinds_matching_words_and_prefixes() -> None:
    from docgen.kinds import kinds_matching

    def ids(text: str) -> list[str]:
        return [k.id for k in kinds_matching(text)]

    assert ids("творческая") == ["tvorcheskaya"]  # covers more of «Творческая группа»
    assert ids("творческая сетевая") == ["setevaya"]
    assert ids("Сетевая") == ["setevaya"]
    assert ids("гмо") == ids("городское") == ["gmo"]
    assert ids("лаборатория") == ["professionalnaya"]
    assert ids("группа") == ["tvorcheskaya", "professionalnaya"]  # ambiguous: both listed
    assert ids("тв") == []  # a prefix needs three letters
    assert ids("кружок") == []
    # the workbook's «Вид объединения» cell stays exact: a dropdown, not a guess
    assert find_kind("творческая") is None


def test_each_profile_table_keeps_its_seed_quote() -> None:
    """The совет, the куратор, the «Анализ деятельности» and the orders' basis each come
    with the seed's words (issue 26 §3, 27): a test finds them in the seed."""
    import re
    from pathlib import Path

    from docgen.kinds import all_kinds

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        import pytest
        pytest.skip("the seed regulations (../shared/seeds) are not beside this checkout")

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("ё", "е")).strip()

    found = {}
    for kind in all_kinds():
        seed = squeeze((seeds / kind.seed).read_text(encoding="utf-8"))
        for table, quote in kind.quotes:
            assert squeeze(quote) in seed, (kind.id, table)
            found[kind.id, table] = True
    assert {("masterskaya", "council"), ("masterskaya", "curator"), ("masterskaya", "report"),
            ("gmo", "basis"), ("setevaya", "basis")} <= set(found)
