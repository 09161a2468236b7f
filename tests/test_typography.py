"""The typography pass (docgen/language/typography.py) and the checker over every example document.

The checker (``problems`` and ``row_problems`` in ``typocheck.py``, read over whole
.docx files there) runs here over every document of every example; the property test
(test_property.py) runs the rules the pass guarantees over random workbooks. Each rule
has a failing example below that proves it can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typocheck import (
    EXCEPTIONS,
    GUARANTEED,
    document_problems,
    folder_problems,
    problems,
    row_problems,
)

from docgen.language import typography
from docgen.language.typography import NBSP, WJ, inner_quotes, nest_quotes, typeset
from docgen.main import build_workbook

DATA = Path(__file__).resolve().parent.parent / "data"


# --- the pass -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "printed"), [
    # persons as «И.О. Фамилия», however typed, initials joined to the surname
    ("Лесная И.В. – представила отчёт", f"И.В.{NBSP}Лесная{NBSP}– представила отчёт"),
    ("Лесная И. В. представила", f"И.В.{NBSP}Лесная представила"),
    ("И. В. Лесная", f"И.В.{NBSP}Лесная"),
    ("за Никитиным Р.О. наставника", f"за Р.О.{NBSP}Никитиным наставника"),
    ("Слушали И.В. Лесная", f"Слушали И.В.{NBSP}Лесная"),  # initials of the next word
    ("Кутейкина Е.Н., Шевченко О.В.", f"Е.Н.{NBSP}Кутейкина, О.В.{NBSP}Шевченко"),
    ("координаторы – Цой М.Э.", f"координаторы{NBSP}– М.Э.{NBSP}Цой."),
    ("педагога-навигатора Кузьминой О.Г", f"педагога-навигатора О.Г.{NBSP}Кузьминой"),
    # non-breaking spaces
    # issue 27: a short name never breaks inside
    ("МАОУ «Лицей № 41»", f"МАОУ{NBSP}«Лицей{NBSP}№{NBSP}41»"),
    ("МБОУ «СОШ № 6» и МОУ-СОШ № 15", f"МБОУ{NBSP}«СОШ{NBSP}№{NBSP}6» и МОУ-СОШ №{NBSP}15"),
    # a long one may break where a table's column needs it
    ("МКОУ «Охрозаводская СОШ»", "МКОУ «Охрозаводская СОШ»"),
    ("г. Амурск, ст. 12", f"г.{NBSP}Амурск, ст.{NBSP}12"),
    ("с 1 сентября 2025 г.", f"с 1{NBSP}сентября 2025{NBSP}г."),
    ("8 человек, 72 %", f"8{NBSP}человек, 72{NBSP}%"),
    # a number and the short abbreviation it counts («5 / ОО» sent back)
    ("не менее чем из 5 ОО", f"не менее чем из 5{NBSP}ОО"),
    ("в 4 ДОУ.", f"в 4{NBSP}ДОУ."),
    ("от 29.08.2025 ПРИКАЗЫВАЮ", "от 29.08.2025 ПРИКАЗЫВАЮ"),
    ("(далее - ГМО)", f"(далее{NBSP}– ГМО)"),
    ("не выполнено – 1", f"не выполнено{NBSP}–{NBSP}1"),
    # dashes: the house rule
    ("итоги — проведено", f"итоги{NBSP}– проведено"),
    ("7 - 9 классов", f"7–{WJ}9{NBSP}классов"),
    ("5—7", f"5–{WJ}7"),
    ("сентябрь — октябрь", f"сентябрь–{WJ}октябрь"),
    ("2-45-10", "2-45-10"),  # a phone number keeps its hyphens
    ("семинар-практикум", "семинар-практикум"),
    # quotes
    ("Семинар «Конструктор урока во ФГИС «Моя школа»»",
     "Семинар «Конструктор урока во ФГИС „Моя школа“»"),
    ('Тема "Моя "школа""', "Тема «Моя „школа“»"),
    ("просто текст", "просто текст"),
    # a letterhead in capitals keeps its last two words together
    ("АДМИНИСТРАЦИИ АМУРСКОГО МУНИЦИПАЛЬНОГО ОКРУГА",
     f"АДМИНИСТРАЦИИ АМУРСКОГО МУНИЦИПАЛЬНОГО{NBSP}ОКРУГА"),
])
def test_the_pass(typed: str, printed: str) -> None:
    assert typeset(typed) == printed


def test_a_value_inside_the_templates_quotes_gets_the_inner_ones() -> None:
    assert inner_quotes("ФГИС «Моя школа»: конструктор") == "ФГИС „Моя школа“: конструктор"
    assert nest_quotes("«а «б «в» б» а»") == "«а „б «в» б“ а»"  # by turns when deeper
    assert typeset(inner_quotes("ФГИС «Моя школа»")) == "ФГИС „Моя школа“"  # kept as is


def test_the_pass_is_its_own_fixed_point() -> None:
    """Typesetting twice changes nothing: a value may pass through it more than once."""
    for text in ("Лесная И.В. – «А «Б»» 5 - 7 человек, г. Амурск № 3",
                 "сентябрь — октябрь 2025 г."):
        once = typeset(text)
        assert typeset(once) == once


# --- the checker: each rule can fail ---------------------------------------------


@pytest.mark.parametrize(("rule", "text"), [
    ("двоеточие", "Присутствовали: 8 человек:"),
    ("кавычки", "Семинар «Конструктор урока во ФГИС «Моя школа»»"),
    ("кавычки", "«а „б „в“ б“ а»"),
    ("тире", "итоги — проведено"),
    ("тире", "далее - ГМО"),
    ("тире", "в 2025-2026 учебном году"),
    ("тире", "не выполнено – 1"),  # a breaking space before the tire
    ("инициалы", "докладчик И.В. Лесная"),
    ("инициалы", "И. В.\u00a0Лесная"),
    ("номер", "МАОУ «Лицей № 41»"),
    ("фамилия", "Лесная\u00a0И.В. представила"),
    ("перечень", "1) Повысить компетенции;"),
    ("перечень", "1. Открытие семинара;"),
])
def test_each_rule_finds_its_example(rule: str, text: str) -> None:
    assert rule in [r for r, _ in problems(text)], problems(text)


def test_the_pass_satisfies_the_rules_it_guarantees() -> None:
    for _, text in [("", "Семинар «Конструктор урока во ФГИС «Моя школа»»"),
                    ("", "итоги — проведено, далее - ГМО"), ("", "докладчик И. В. Лесная"),
                    ("", "МАОУ «Лицей № 41»"), ("", "Лесная И.В. представила")]:
        assert [r for r, _ in problems(typeset(text)) if r in GUARANTEED] == []


def test_labels_and_rows_with_nothing_in_them() -> None:
    assert ("пустое", "«Цель:» – и после него ничего нет") in problems("Цель:", None)
    assert problems("Цель:", "Создание условий") == []
    assert row_problems(["", "", ""]) == [("пустое", "пустая строка таблицы")]
    assert row_problems(["Материалы", ""]) == [("пустое", "«Материалы»: значение не заполнено")]
    assert row_problems(["1", "", "", ""]) == []  # a registration row to write in by hand


def test_what_is_not_a_problem() -> None:
    for text in ("Тема: «Итоговое заседание: анализ деятельности»",  # a colon in quotes
                 "Время: 15:00.", "Материалы: https://example.ru/a.",
                 "№ п/п", "1) ФГИС «Моя школа»;", "– приказ об открытии группы;",
                 f"Присутствовали 8{NBSP}человек:"):
        assert problems(text) == [], text


def test_a_true_exception_is_named_not_skipped() -> None:
    assert EXCEPTIONS  # each with its reason
    assert all(reason for reason in EXCEPTIONS.values())


# --- every document of every example -------------------------------------------


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typography") / "out"
    for book in sorted(DATA.glob("*.xlsx")):
        assert build_workbook(book, out).ok, book
    return out


def test_every_example_document_passes_the_checker(examples: Path) -> None:
    assert len(list(examples.rglob("*.docx"))) > 60
    assert folder_problems(examples) == []


def test_the_checker_reads_a_whole_document(examples: Path, tmp_path: Path) -> None:
    """A document with a same-kind nested quote and an empty row fails: the reader works."""
    import docx

    path = next(examples.rglob("*Протокол № 1 *.docx"))
    doc = docx.Document(str(path))
    doc.add_paragraph("Семинар «Конструктор урока во ФГИС «Моя школа»»")
    doc.add_table(rows=1, cols=3)
    broken = tmp_path / "05 Протокол.docx"
    doc.save(str(broken))
    found = document_problems(broken)
    assert any(": кавычки: " in p for p in found), found
    assert any("пустая строка таблицы" in p for p in found), found


def test_a_signatures_name_breaks_before_its_quote_never_inside() -> None:
    """Signatures and stamps (issue: «Охрозаводская / СОШ»», «Информационно- /
    методический центр»»): a short quoted part keeps its spaces, no hyphen of it ends a
    line; a table cell may break after the form, never before «»» alone."""
    assert (typography.whole_names("Директор МКОУ «Охрозаводская СОШ»")
            == f"Директор МКОУ «Охрозаводская{NBSP}СОШ»")
    assert (typography.whole_names("Директор МБУ «Информационно-методический центр»")
            == f"Директор МБУ «Информационно-{WJ}методический центр»")
    assert typography.whole_names("УТВЕРЖДЁН") == "УТВЕРЖДЁН"
    cell = typography.cell_name("МОУ «Гимназия № 2»")
    assert cell == f"МОУ{typography.ZWSP} «Гимназия{NBSP}№{NBSP}2{WJ}»"
    assert typeset(cell) == cell  # the pass over the printed value keeps the break
    assert typography.cell_name("МКОУ «Охрозаводская СОШ»") == "МКОУ «Охрозаводская СОШ»"
