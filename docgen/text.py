"""Text helpers every step shares: matching, spaces, sorting, safe display.

Nothing here knows about workbooks or documents; the pipeline's steps
(reader, validate, context, templating, the web page) all reach here instead
of into each other. Russian words and typesetting live in ``russian.py`` and
``typography.py``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache


def norm(text: object) -> str:
    """Normalised form for matching headers, sheet names and choices.

    Case, «ё/е», non-breaking and repeated spaces, the space after «№», the kind
    of quotes, a trailing colon, asterisk or dot do not matter to a clerk, so they
    do not matter here.
    """
    return _norm(str(text))


_SPACES = re.compile(r"\s+")
_NUMBER_SIGN = re.compile(r"№\s*")
_QUOTES = re.compile(r"[\"“”„«»]")


@lru_cache(maxsize=8192)  # every header cell of every workbook is matched against many
def _norm(text: str) -> str:
    s = text.replace("\xa0", " ").replace("ё", "е").replace("Ё", "Е").lower()
    s = _SPACES.sub(" ", s).strip()
    s = _NUMBER_SIGN.sub("№ ", s)  # «№3» and «№ 3» are the same school
    s = _QUOTES.sub('"', s)  # so are «…» and "…"
    return s.rstrip(":*. ").strip()


# What XML 1.0, and so a .docx, cannot hold: text pasted from other programs brings
# such characters into cells (Excel keeps them as «_x0007_»), and lxml would refuse
# the whole document. The C1 controls XML allows but Word shows as boxes, if at all:
# they come from text decoded in the wrong code page. Line and page breaks pasted
# from Word, and Unicode's own line separators, become plain line breaks.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")


# Every character either of the two above could touch: most values have none
_TOUCHED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> tuple[str, list[str]]:
    """``text`` with breaks made «\\n» and XML-illegal characters removed, and their codes."""
    if _TOUCHED.search(text) is None:  # one search instead of a replace and a scan
        return text, []
    text = _BREAKS.sub("\n", text)
    removed = sorted({f"U+{ord(ch):04X}" for ch in _NOT_XML.findall(text)})
    return (_NOT_XML.sub("", text), removed) if removed else (text, [])


_LINE_SPACES = re.compile(r"[ \t\xa0\u2007\u202f]+")  # spaces, not line breaks


_ODD_SPACES = re.compile("[\t\xa0\u2007\u202f]|  ")  # what folding would change inside


def fold_spaces(text: str) -> str:
    """One space between words, none at the ends; line breaks kept only by LINES."""
    if _ODD_SPACES.search(text) is None:  # single plain spaces: only the ends to trim
        return text.strip()
    return _LINE_SPACES.sub(" ", text).strip()


_LATIN = re.compile(r"[A-Za-z]")


def latin_letters(text: str) -> list[str]:
    """Distinct Latin letters in ``text``, in order of appearance."""
    seen: list[str] = []
    for ch in _LATIN.findall(text):
        if ch not in seen:
            seen.append(ch)
    return seen


def grouped(number: float) -> str:
    """«2\u00a0000\u00a0000»: thousands apart by a non-breaking space, as Russian writes them."""
    return f"{number:,.0f}".replace(",", "\u00a0")


def natural_key(text: str) -> tuple:
    """«МБОУ СОШ № 9» before «МБОУ СОШ № 15»: numbers compared as numbers, letters as text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", text) if part)


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate a misspelt ``word`` most likely meant, for «возможно, …» hints."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def excerpt(text: str, needle: str | None = None, width: int = 76) -> str:
    """``text`` cut to ``width`` characters around the first match of ``needle``."""
    if len(text) <= width:
        return text
    m = re.search(needle, text) if needle else None
    start = max(0, min(m.start() - width // 3, len(text) - width)) if m else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


# Characters a message must not pass to the terminal as they are: C0/C1 controls
# (an ESC from a cell could recolour or clear the clerk's console) and the bidi
# controls that reorder what is shown around them.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

def _shown(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\n":
        return "↵"
    if ch == "\t":
        return " "
    return chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "\ufffd"


def visible(text: str) -> str:
    """``text`` safe to print on one line: line breaks as «↵», controls as «␇»-like marks."""
    return _INVISIBLE.sub(_shown, text)


def xml_escape(text: str) -> str:
    """``xml.sax.saxutils.escape``: importing that module costs a batch worker 40 ms of
    CPU (it imports urllib.request, http, email and ssl) for three replacements."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def xml_quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``, character for character (see ``xml_escape``)."""
    text = xml_escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


# An agenda question, topic or decision about the plan («план работы», «проект плана»,
# «дорожная карта»): check's plan rules and the roadmap's «Рассмотрено на заседании» read
# the same words, so they find the same meeting.
PLAN_WORDS = re.compile(r"\bплан\w*\s+работы|\bпроект\w*\s+плана|\bдорожн\w+\s+карт",
                        re.IGNORECASE)


def considers_plan(topic: str | None, agenda: Iterable[tuple[str | None, str | None]]) -> bool:
    """Whether a meeting considers the plan: its topic, or one of its agenda's questions
    and decisions, speaks of it. Check (on the sheet's rows, planned meetings included:
    an order dated before a planned meeting is already wrong) and the roadmap's
    «Рассмотрено на заседании» (held meetings only: a protocol exists) read the same
    words through this one rule."""
    texts = [topic or "", *(f"{q or ''} {d or ''}" for q, d in agenda)]
    return any(PLAN_WORDS.search(text) for text in texts)
