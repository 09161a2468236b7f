"""Template mistakes in Russian: which paragraph, which variable, filter or tag is wrong.

A template author edits Word files, so a mistake in a template must say, in
Russian, which paragraph it is in and what to write instead. The sandbox
(``sandbox.py``) attaches what Jinja does not say to the error as it is raised;
this module turns the error into the one line a clerk reads.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2

from docgen.errors import TemplateError
from docgen.templating.fields import all_roots
from docgen.templating.sandbox import environment, refused_attribute
from docgen.text import closest, excerpt

# Quotes Word puts in place of straight ones; docxtpl mends “ ” ‘ ’ inside tags, not these.
WORD_QUOTES = "«»„‚"


def _explain(exc: jinja2.TemplateError) -> str:
    """Jinja's message in Russian, naming the variable, field, filter or tag; else the original.

    ``_Environment.handle_exception`` has put what Jinja does not say on ``exc``:
    the paragraph, the unclosed tag's paragraph, the value that lacked a field.
    """
    message = exc.message or str(exc)
    if said := getattr(exc, "docgen_message", None):
        return said
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return _explain_security(exc, message)
    if isinstance(exc, jinja2.UndefinedError):
        return _explain_undefined(exc, message)
    if m := re.match(r"No filter named '([^']+)'", message):
        return unknown_filter(m.group(1))
    if m := re.match(r"No test named '([^']+)'", message):
        return f"неизвестная проверка «is {m.group(1)}»"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _explain_syntax(exc, message)
    original = getattr(exc, "docgen_original", None)
    if original is not None:
        return _explain_python(original)
    return message


def _where(exc: jinja2.TemplateError, source: str | None = None) -> str:
    """«, абзац «…»» from docxtpl's context lines around the error, if known."""
    lines = getattr(exc, "docx_context", None)
    if lines is None and source is not None and getattr(exc, "lineno", None) is not None:
        lines = _context_lines(source, exc.lineno)
    if not lines:
        return ""
    text = " ".join(" ".join(lines).split())[:80]
    return f", абзац «{text}»"


def _context_lines(source: str, lineno: int) -> list[str]:
    """The text of the paragraphs around ``lineno``, as docxtpl reports them."""
    first = max(lineno - 4, 0)
    return [re.sub(r"<[^>]+>", "", x) for x in source.splitlines()[first:first + 7]]


def template_error(template: Path, exc: jinja2.TemplateError,
                    source: str | None = None) -> TemplateError:
    return TemplateError(f"шаблон «{template.name}»{_where(exc, source)}: {_explain(exc)}")


_JINJA_TOKENS = {
    "end of print statement": "«}}»",
    "end of statement block": "«%}»",
    "end of comment": "«#}»",
    "end of template": "конец шаблона",
}


def _known_roots() -> list[str]:
    """Every variable a template may use (``fields.py``), for «возможно, …» hints."""
    return sorted(all_roots())


def did_you_mean(name: str, candidates: list[str], prefix: str = "") -> str:
    """«; возможно, имелось в виду «group.theme»», or nothing when no name is close."""
    close = closest(name, candidates)
    return f"; возможно, имелось в виду «{prefix}{close}»" if close else ""


def _chain(paragraph: str | None, attr: str) -> str | None:
    """The dotted name ending in ``.attr`` in the paragraph («group.tehme»), if it is there."""
    if not paragraph:
        return None
    m = re.search(rf"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*{re.escape(attr)}\b",
                  paragraph)
    return "".join(m.group(1).split()) + f".{attr}" if m else None


def _explain_undefined(exc: jinja2.TemplateError, message: str) -> str:
    if m := re.search(r"'([^']+)' is undefined", message):
        name = m.group(1)
        return (f"неизвестная переменная «{name}»{did_you_mean(name, _known_roots())} "
                f"(все переменные документа показывает команда docgen fields)")
    m = re.search(r"has no attribute '([^']+)'", message)
    if not m:
        return message
    attr = m.group(1)
    chain = _chain(getattr(exc, "docgen_paragraph", None), attr)
    base = chain[:-len(attr) - 1] if chain else None
    obj, _name = getattr(exc, "docgen_undefined", (jinja2.utils.missing, attr))
    if obj is None or message.startswith("'None'"):
        what = f"«{base}»" if base else "значение"
        return (f"поле {what} пустое (в книге нет этих данных), и у него нет поля «{attr}»; "
                f"выводите его внутри {{%p if {base or '…'} %}} … {{%p endif %}}")
    named = f"«{chain}»" if chain else f"«{attr}»"
    if isinstance(obj, dict):
        hint = did_you_mean(attr, [str(k) for k in obj], f"{base}." if base else "")
        return f"нет поля {named}{hint}"
    kind = {str: "текст", int: "число", bool: "да/нет", list: "список", dt.date: "дата"}.get(
        type(obj), "значение")
    where = f"«{base}» ({kind})" if base else f"значения ({kind})"
    return f"у {where} нет поля «{attr}»"


def _explain_security(exc: jinja2.TemplateError, message: str) -> str:
    m = re.search(r"attribute '([^']+)'", message)
    return refused_attribute(m.group(1) if m else None)


def unknown_filter(name: str) -> str:
    env = environment()
    own = sorted(n for n in set(env.filters) - set(jinja2.filters.FILTERS) if n[0] != "_")
    return (f"неизвестный фильтр «{name}»{did_you_mean(name, sorted(env.filters))}; "
            f"фильтры docgen: {', '.join(own)}")


def _unbalanced(paragraph: str | None) -> str | None:
    """«{{» or «{%» left unclosed in the paragraph, if one is."""
    for opening, closing in (("{{", "}}"), ("{%", "%}")):
        if paragraph and paragraph.count(opening) > paragraph.count(closing):
            return opening
    return None


def _explain_syntax(exc: jinja2.TemplateError, message: str) -> str:
    opener = getattr(exc, "docgen_opener", None)
    if m := re.search(r"innermost block that needs to be closed is '(\w+)'", message):
        block = m.group(1)
        if found := re.match(r"Encountered unknown tag '(\w+)'", message):
            elsewhere = opener and opener[1] and opener[1] != getattr(exc, "docgen_paragraph", None)
            where = f" (абзац «{excerpt(opener[1], None, 50)}»)" if elsewhere else ""
            return (f"тег {{% {found.group(1)} %}} стоит внутри незакрытого тега "
                    f"{{% {block} %}}{where}: сначала закройте его тегом {{% end{block} %}}")
        return f"не закрыт тег {{% {block} %}} — добавьте {{% end{block} %}}"
    if m := re.match(r"Encountered unknown tag '(\w+)'", message):
        tag = m.group(1)
        if tag.startswith("end"):
            return f"лишний тег {{% {tag} %}}: нет открывающего его тега {{% {tag[3:]} %}}"
        if tag in ("else", "elif"):
            return f"тег {{% {tag} %}} стоит вне {{% if %}}"
        if tag in ("tr", "tc"):
            return (f"тег {{%{tag} … %}} не распознан: он должен стоять в "
                    f"{'строке' if tag == 'tr' else 'ячейке'} таблицы, один, с «{tag}» сразу "
                    f"после «{{%» («{{%{tag} for … %}}»); для абзацев вне таблицы — {{%p … %}}")
        if tag in ("p", "r"):
            return (f"тег {{%{tag} … %}} не распознан: пишите «{tag}» сразу после «{{%» "
                    f"(«{{%{tag} if … %}}»); в одном абзаце может быть только один такой тег и "
                    f"никакого другого текста")
        return f"неизвестный тег {{% {tag} %}}"
    if m := re.match(r"unexpected char '(.)'", message):
        if m.group(1) in WORD_QUOTES:
            return ("ошибка в записи поля или тега: кавычки-ёлочки «…» внутри тега — пишите "
                    "прямые кавычки '…' или \"…\" (Word заменяет их при вводе; отмените замену "
                    "Ctrl+Z сразу после ввода кавычки)")
        return f"ошибка в записи поля или тега: недопустимый знак «{m.group(1)}»"
    paragraph = getattr(exc, "docgen_paragraph", None)
    if opening := _unbalanced(paragraph):
        closing = "}}" if opening == "{{" else "%}"
        assert paragraph is not None
        start = paragraph.rindex(opening)
        return (f"ошибка в записи поля: «{excerpt(paragraph[start:], None, 30)}» не закрыто — "
                f"добавьте «{closing}» в том же абзаце (если Word перенёс конец тега в другой "
                f"абзац, соберите тег в одном)")
    if m := re.match(r"expected token '([^']+)', got '([^']+)'", message):
        expected = _JINJA_TOKENS.get(m.group(1), f"«{m.group(1)}»")
        got = _JINJA_TOKENS.get(m.group(2), f"«{m.group(2)}»")
        return f"ошибка в записи поля или тега: ожидалось {expected}, а стоит {got}"
    if m := re.match(r"unexpected '([^']+)'(?:, expected '([^']+)')?", message):
        expected = f", а нужно «{m.group(2)}»" if m.group(2) else ""
        return f"ошибка в записи поля или тега: лишний знак «{m.group(1)}»{expected}"
    if message.startswith("expected name or number"):
        return "ошибка в записи поля или тега: после точки нужно имя поля"
    if message.startswith("Expected an expression"):
        return "ошибка в записи поля или тега: пустое поле или тег без имени переменной"
    return f"ошибка в записи поля или тега ({message})"


def _explain_python(original: BaseException) -> str:
    if isinstance(original, OverflowError) and "range" in str(original).lower():
        return "недопустимое обращение: слишком большой range() — не больше 100000 значений"
    if isinstance(original, RecursionError):  # Python's own text is English: none of it here
        return ("макрос вызывает сам себя без конца (или вложенность слишком глубокая) — это "
                "предел docgen, и документ не сформирован; проверьте, что у макроса "
                "{% macro %}, который вызывает сам себя, есть условие остановки "
                "({% if … %} вокруг вызова)")
    return (f"не удалось вычислить поле или тег: значение не подходит для этого действия или "
            f"фильтра ({type(original).__name__}: {original})")


def describe_error(exc: jinja2.TemplateError) -> tuple[str | None, str]:
    """(paragraph, Russian message) of a template error, for ``docgen templates check``."""
    return getattr(exc, "docgen_paragraph", None) or None, _explain(exc)
