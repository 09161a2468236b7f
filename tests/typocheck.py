"""The typography checker: what a typesetter would still send back in a printed paragraph
or table row (``problems``, ``row_problems``), and over every paragraph and row of a .docx.

Shared by ``test_typography.py`` (the examples) and ``test_property.py`` (random
workbooks). Text is taken as printed: no-break spaces kept, line breaks as spaces.
Only the tests use it, so it lives here, beside them (issue 29).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from docgen.language import typography
from docgen.language.typography import _SPACE, _SURNAME_FIRST, SURNAME

# Rules the typography pass guarantees whatever the clerk types; the others depend on
# the wording (the clerk's or the template's) and are checked on the examples.
GUARANTEED = ("кавычки", "тире", "инициалы", "номер", "фамилия")

_SENTENCE_END = re.compile(r"(?<=[.!?])[ \n]+(?=[А-ЯЁA-Z«\d])|\n")  # a line break too
_QUOTED = re.compile(r"«[^«»]*»|„[^„“]*“")
_COLON = re.compile(r"(?<!\d):(?!\d|//)")
_BAD_DASH = re.compile(r"—|(?<=\S) - (?=\S)|\b(?:19|20)\d\d-(?:19|20)\d\d\b")
_TIRE_BREAKING = re.compile(r"(?<=\S) [–—] ")
_INITIAL_BREAK = re.compile(rf"(?<![А-ЯЁа-яё])[А-ЯЁ]\.(?:{_SPACE}?[А-ЯЁ]\.)? (?={SURNAME})"
                            rf"|(?<![А-ЯЁа-яё])[А-ЯЁ]\. [А-ЯЁ]\.")
_NUMBER_BREAK = re.compile(r"№ (?!п/п)(?=\S)")
_LIST_PAREN_CAPITAL = re.compile(r"^\d+\) [А-ЯЁ][а-яё]")
_LIST_DOT_SEMICOLON = re.compile(r"^\d+\. .*;$")
_LABEL_ONLY = re.compile(r"^[^:]{1,60}:$")
# A true exception is named here with its reason, never skipped by document.
EXCEPTIONS: dict[str, str] = {
    "Присутствовали ________ чел.": "бланк: число вписывают от руки",
}


def _quote_problem(text: str) -> str | None:
    stack: list[str] = []
    for char in text:
        if char in "«„":
            if stack and stack[-1] == char:
                return "кавычки одного вида вложены друг в друга (нужно «…„…“…»)"
            stack.append(char)
        elif char in "»“" and stack:
            stack.pop()
    return None


def problems(paragraph: str, following: str | None = "") -> list[tuple[str, str]]:
    """What a careful reader would mark in one printed paragraph: (rule, message) pairs.

    ``following`` is the next non-empty paragraph, None at the document's end: a
    label («Цель:») must have something after it. The rules are named so that a
    test can run those the pass guarantees (``GUARANTEED``) on any text.
    """
    found: list[tuple[str, str]] = []
    text = paragraph.strip()
    if not text or any(text.startswith(e) for e in EXCEPTIONS):
        return found
    for sentence in _SENTENCE_END.split(_QUOTED.sub("«»", text)):
        if len(_COLON.findall(sentence)) > 1:
            found.append(("двоеточие", f"два двоеточия в одном предложении: «{sentence}»"))
    if problem := _quote_problem(text):
        found.append(("кавычки", problem))
    if m := _BAD_DASH.search(text):
        found.append(("тире", f"«{m[0].strip()}» вместо «–» по правилу: «{text[:80]}»"))
    if _TIRE_BREAKING.search(text):
        found.append(("тире", f"перед тире обычный пробел (нужен неразрывный): «{text[:80]}»"))
    if m := _INITIAL_BREAK.search(text):
        found.append(("инициалы", f"инициалы отделены от фамилии обычным пробелом: «{m[0]}…»"))
    if _NUMBER_BREAK.search(text):
        found.append(("номер", f"после «№» обычный пробел: «{text[:80]}»"))
    if m := _SURNAME_FIRST.search(text):
        found.append(("фамилия", f"«{m[0]}»: нужно «И.О. Фамилия»"))
    if _LIST_PAREN_CAPITAL.match(text) and not re.match(r"^\d+\) [А-ЯЁ]{2}", text):
        found.append(("перечень", f"пункт после «1)» с прописной буквы: «{text[:60]}»"))
    if _LIST_DOT_SEMICOLON.match(text):
        found.append(("перечень", f"пункт «1.» оканчивается «;»: «{text[:60]}»"))
    if _LABEL_ONLY.match(text) and following is None:
        found.append(("пустое", f"«{text}» – и после него ничего нет"))
    return found


def row_problems(cells: list[str]) -> list[tuple[str, str]]:
    """A table row: empty through and through, or a name with an empty value beside it."""
    texts = [c.strip() for c in cells]
    if not any(texts):
        return [("пустое", "пустая строка таблицы")]
    if len(texts) == 2 and texts[0] and not texts[1]:
        return [("пустое", f"«{texts[0]}»: значение не заполнено")]
    return []


# --- whole documents ------------------------------------------------------------------



def _paragraph_text(p) -> str:
    from docx.oxml.ns import qn

    shown = {qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:tab"): " "}
    return "".join(shown.get(el.tag) or el.text or ""
                   for el in p.iter(qn("w:t"), *shown)).replace(typography.WJ, "")


def _blocks(path: Path) -> Iterator[tuple[str, object]]:
    """("p", text) for each paragraph, ("row", [cell texts]) for each table row, in order."""
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    for el in body:
        if el.tag == qn("w:p"):
            yield "p", _paragraph_text(el)
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                cells = [" ".join(_paragraph_text(p) for p in tc.iter(qn("w:p")))
                         for tc in tr.iter(qn("w:tc"))]
                yield "row", cells
                for cell in cells:
                    yield "p", cell


def document_problems(path: Path, rules: Iterable[str] | None = None) -> list[str]:
    """Every problem of one document, as «file: rule: message» lines."""
    wanted = set(rules) if rules is not None else None
    blocks = list(_blocks(path))
    texts = [(i, t) for i, (kind, t) in enumerate(blocks) if kind == "p" and str(t).strip()]
    found: list[tuple[str, str]] = []
    for n, (_, text) in enumerate(texts):
        following = texts[n + 1][1] if n + 1 < len(texts) else None
        found += problems(str(text), following)
    for kind, value in blocks:
        if kind == "row":
            found += row_problems(list(value))  # type: ignore[arg-type]
    return [f"{path.name}: {rule}: {message}" for rule, message in found
            if wanted is None or rule in wanted]


def folder_problems(folder: Path, rules: Iterable[str] | None = None) -> list[str]:
    return [line for path in sorted(folder.rglob("*.docx"))
            for line in document_problems(path, rules)]
