"""Rendering: a template and a context → the bytes of a .docx, on docxtpl.

``render`` uses templates compiled once per process (``compiler.py``);
``render_plain`` is plain docxtpl, kept as the reference it is tested against.

The Jinja environment is sandboxed and strict: a template cannot reach Python
internals, and a misspelt variable is an error rather than a silently empty
field. The filters are the Russian layer (``russian.py``) as template authors
use it: ``{{ order.date|date }}``, ``{{ n|count("заседание", "заседания",
"заседаний") }}``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from docgen import russian, typography
from docgen.errors import TemplateError


@lru_cache(maxsize=1)
def builtin_templates() -> Path:
    """The folder of the built-in templates: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    for folder in (here / "templates", here.parent / "templates"):
        if (folder / "protocol.docx").is_file():
            return folder
    raise TemplateError("не найдены встроенные шаблоны документов; переустановите docgen")


def find_template(doc_id: str, kind_id: str, folders: list[Path] | None = None) -> Path:
    """A kind's own template («regulation_gmo.docx») if there is one, else the common one.

    A clerk's folder overrides a built-in template of the same name only, so a
    common «regulation.docx» there does not replace a kind's own положение.
    """
    if not folders:
        return _builtin_template(doc_id, kind_id)
    return _search(doc_id, kind_id, [*folders, builtin_templates()])


@lru_cache(maxsize=256)  # the installed templates do not change while docgen runs
def _builtin_template(doc_id: str, kind_id: str) -> Path:
    return _search(doc_id, kind_id, [builtin_templates()])


def _search(doc_id: str, kind_id: str, folders: list[Path]) -> Path:
    for name in (f"{doc_id}_{kind_id}.docx", f"{doc_id}.docx"):
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
    raise TemplateError(f"нет шаблона «{doc_id}.docx»")


@jinja2.pass_context
def _date_text(ctx: jinja2.runtime.Context, value: dt.date | None) -> str:
    if value is None:
        return ""
    return russian.date_text(value, quoted=bool(ctx.get("quoted_dates")))


def _date(value: dt.date | None) -> str:
    return russian.date_numeric(value) if value else ""


def _count(n: int | None, one: str, few: str, many: str) -> str:
    return russian.count(n, one, few, many) if n is not None else ""


def _agree(gender: str | None, masculine: str, feminine: str) -> str:
    """«ознакомлен»/«ознакомлена» by the person's gender; both when it is unknown."""
    if gender == "ж":
        return feminine
    if gender == "м":
        return masculine
    if masculine and feminine.startswith(masculine):
        return f"{masculine}({feminine[len(masculine):]})"
    return f"{masculine or ''}({feminine})" if feminine else masculine


def _as_typed(value: Any) -> Any:
    """A value printed as typed, even «{_{» or «%_}», and as a typesetter would print it.

    After rendering, docxtpl turns the template escapes «{_{ }_} {_% %_}» into
    «{{ }} {% %}» wherever they are, data included. Written with «_» as a
    character reference, the data's underscore is out of its reach, and Word
    shows «_» all the same. Every string goes through the typography pass
    (``typography.py``): «МАОУ «Лицей №» never ends a line, «Лесная И.В.» is
    printed «И.В. Лесная», quotes nest as «„“».
    """
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    value = typography.typeset(value)
    if "{_" in value or "_}" in value:
        return Markup(str(escape(value)).replace("{_", "{&#95;").replace("_}", "&#95;}"))
    return value


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja environment of every template: sandboxed, strict, with Russian filters.

    It also cannot read files (``{% include %}`` and the like are refused), and
    every template mistake it raises says its paragraph (see ``_Environment``).
    """
    env = _Environment(undefined=jinja2.StrictUndefined, autoescape=True, loader=_NoFiles(),
                       finalize=_as_typed)
    env.filters.update(
        date=_date,
        date_text=_date_text,
        month=russian.month_name,
        month_year=russian.month_year,
        capfirst=russian.capfirst,
        lcfirst=russian.lcfirst,
        count=_count,
        plural=russian.plural,
        agree=_agree,
        inner_quotes=typography.inner_quotes,
    )
    return env


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


def _template_error(template: Path, exc: jinja2.TemplateError,
                    source: str | None = None) -> TemplateError:
    return TemplateError(f"шаблон «{template.name}»{_where(exc, source)}: {_explain(exc)}")


def render_plain(template: Path, context: dict[str, Any]) -> bytes:
    """Plain docxtpl: one DocxTemplate per document (the reference for ``render``)."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    try:
        doc.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(template, exc) from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(template: Path, context: dict[str, Any]) -> bytes:
    """The rendered document's bytes; a template mistake becomes a TemplateError.

    The template is compiled once per process (``compiler.py``); the result is
    the same as plain docxtpl's (``render_plain``).
    """
    from docgen.compiler import compiled

    return compiled(template).render(context)


# --------------------------------------------------------------------------- template mistakes
# A template author edits Word files, so a mistake in a template must say, in
# Russian, which paragraph it is in and which variable, filter or tag is wrong.

# Tags that open a block and need their «end…» tag.
_BLOCKS = ("if", "for", "with", "macro", "call", "filter", "set", "autoescape", "block")
# Quotes Word puts in place of straight ones; docxtpl mends “ ” ‘ ’ inside tags, not these.
_WORD_QUOTES = "«»„‚"
_MAX_REPEAT = 100_000  # the longest text or list «*» may make, as the sandbox's range()
_JINJA_TOKENS = {
    "end of print statement": "«}}»",
    "end of statement block": "«%}»",
    "end of comment": "«#}»",
    "end of template": "конец шаблона",
}


class _NoFiles(jinja2.BaseLoader):
    """A template is one .docx file: it may not include, import or extend anything on disk."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        error = jinja2.exceptions.SecurityError(f"loading {template!r} is not allowed")
        error.docgen_message = refused_file(template)  # type: ignore[attr-defined]
        raise error


class _Environment(SandboxedEnvironment):
    """The sandbox, which also locates every mistake and refuses huge values.

    Jinja gives a syntax error's line of the docxtpl-patched XML and no line for
    a runtime error; ``handle_exception`` (through which Jinja raises every
    template error) adds the paragraph's text, the paragraph of an unclosed
    block, the value that lacked a field, and wraps a Python error raised by an
    expression or a filter (``{{ group.theme|date }}``) as a template error.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise _refused("слишком большая степень в «**»")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > _MAX_REPEAT:
                    raise _refused("слишком длинное значение в «*»")
        return super().call_binop(context, operator, left, right)

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> jinja2.Template:
        template = super().from_string(source, globals, template_class)
        if isinstance(source, str):
            template._docgen_source = source  # type: ignore[attr-defined]  # for its errors
        return template

    def handle_exception(self, source: str | None = None) -> Any:
        import sys

        from jinja2.debug import rewrite_traceback_stack

        found = _frames(sys.exc_info()[2])  # before Jinja rewrites the traceback's frames
        raise _located(self, rewrite_traceback_stack(source=source), found, source)


def _refused(reason: str) -> jinja2.exceptions.SecurityError:
    error = jinja2.exceptions.SecurityError(reason)
    error.docgen_message = f"недопустимое обращение: {reason}"  # type: ignore[attr-defined]
    return error


def _frames(traceback: Any) -> tuple[str | None, int | None, tuple[Any, str] | None]:
    """From a traceback: the template's source and line, and the Undefined that failed."""
    import traceback as tb_module

    from jinja2.utils import internal_code

    source = lineno = undefined = None
    for frame, line in tb_module.walk_tb(traceback):
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and frame.f_code not in internal_code:  # as Jinja's traceback
            lineno = template.get_corresponding_lineno(line)
            source = getattr(template, "_docgen_source", None)
        owner = frame.f_locals.get("self")
        if isinstance(owner, jinja2.Undefined) and frame.f_code.co_name.endswith("undefined_error"):
            undefined = (owner._undefined_obj, owner._undefined_name)
    return source, lineno, undefined


def _located(env: jinja2.Environment, exc: BaseException,
             found: tuple[str | None, int | None, tuple[Any, str] | None],
             source: str | None) -> BaseException:
    """``exc`` with its paragraph (and what else ``_explain`` needs) attached."""
    template_source, lineno, undefined = found
    source = source or template_source
    if not isinstance(exc, jinja2.TemplateError):
        wrapped = jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}")
        wrapped.docgen_original = exc  # type: ignore[attr-defined]
        wrapped.__cause__ = exc
        exc = wrapped.with_traceback(exc.__traceback__)
    if undefined is not None:
        exc.docgen_undefined = undefined  # type: ignore[attr-defined]
    lineno = getattr(exc, "lineno", None) or lineno
    if not source or not lineno:
        return exc
    lines = source.splitlines()
    message = getattr(exc, "message", None) or ""
    needle = _needle(message)
    if "innermost block that needs to be closed" in message:
        opener = _open_block(env, source)
        if opener is not None:
            tag, opener_line = opener
            tag_pattern = rf"\{{%-?\s*{tag}\b"
            exc.docgen_opener = (  # type: ignore[attr-defined]
                tag, paragraph_text(lines, opener_line, tag_pattern))
            if message.startswith("Unexpected end of template"):
                lineno, needle = opener_line, tag_pattern
    paragraph = paragraph_text(lines, lineno, needle)
    exc.docgen_lineno = lineno  # type: ignore[attr-defined]
    exc.docgen_paragraph = paragraph  # type: ignore[attr-defined]
    if paragraph:
        # docxtpl replaces docx_context with seven paragraphs around any error
        # that has a line number; the line number is kept in docgen_lineno instead.
        exc.docx_context = [excerpt(paragraph, needle)]  # type: ignore[attr-defined]
        exc.lineno = None  # type: ignore[attr-defined]
    return exc


def paragraph_text(lines: list[str], lineno: int, needle: str | None = None) -> str:
    """The text of a line of docxtpl's patched XML: one paragraph, XML removed.

    A ``{%p if … %}`` paragraph becomes a bare ``{% if … %}`` after the paragraph
    before it, on the same line; that tag is the text when ``needle`` is only there.
    """
    import html

    if not 0 < lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    end = line.rfind("</w:p>")
    pieces = [line[:end], line[end:]] if end >= 0 else [line]
    texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split()) for p in pieces]
    if needle:
        for text in texts:
            if re.search(needle, text):
                return text
    return next((t for t in texts if t), "")


def _needle(message: str) -> str | None:
    """A pattern for what the message names, to show that part of a long paragraph."""
    for pattern in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'",
                    r"No (?:filter|test) named '([^']+)'", r"unknown tag '([^']+)'",
                    r"unexpected char '(.)'"):
        if m := re.search(pattern, message):
            return re.escape(m.group(1))
    return None


def excerpt(text: str, needle: str | None = None, width: int = 76) -> str:
    """``text`` cut to ``width`` characters around the first match of ``needle``."""
    if len(text) <= width:
        return text
    m = re.search(needle, text) if needle else None
    start = max(0, min(m.start() - width // 3, len(text) - width)) if m else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _open_block(env: jinja2.Environment, source: str) -> tuple[str, int] | None:
    """The innermost block tag (name, line) left open where Jinja found an error."""
    tokens = []
    try:
        for token in env.lexer.tokeniter(source, None):
            if token[1] != "whitespace":
                tokens.append(token)
    except jinja2.TemplateSyntaxError:
        pass  # the tags before the lexer's error are enough
    stack: list[tuple[str, int]] = []
    for i, (line, kind, _value) in enumerate(tokens[:-1]):
        if kind != "block_begin" or tokens[i + 1][1] != "name":
            continue
        tag = tokens[i + 1][2]
        if tag in _BLOCKS:
            rest = tokens[i + 2:]
            end = next((j for j, t in enumerate(rest) if t[1] == "block_end"), len(rest))
            if tag == "set" and any(t[2] == "=" for t in rest[:end]):
                continue  # {% set x = … %} has no end tag
            stack.append((tag, line))
        elif tag.startswith("end"):
            if not stack or stack[-1][0] != tag[3:]:
                break  # the mismatch Jinja reported
            stack.pop()
    return stack[-1] if stack else None


def _known_roots() -> list[str]:
    """Every variable a template may use (docgen/fields.py), for «возможно, …» hints."""
    try:
        from docgen.fields import all_roots
    except ImportError:  # pragma: no cover - fields.py is part of docgen
        return []
    return sorted(all_roots())


def _did_you_mean(name: str, candidates: list[str], prefix: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"; возможно, имелось в виду «{prefix}{close[0]}»" if close else ""


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
        return (f"неизвестная переменная «{name}»{_did_you_mean(name, _known_roots())} "
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
        hint = _did_you_mean(attr, [str(k) for k in obj], f"{base}." if base else "")
        return f"нет поля {named}{hint}"
    kind = {str: "текст", int: "число", bool: "да/нет", list: "список", dt.date: "дата"}.get(
        type(obj), "значение")
    where = f"«{base}» ({kind})" if base else f"значения ({kind})"
    return f"у {where} нет поля «{attr}»"


def _explain_security(exc: jinja2.TemplateError, message: str) -> str:
    m = re.search(r"attribute '([^']+)'", message)
    return refused_attribute(m.group(1) if m else None)


def refused_attribute(name: str | None) -> str:
    """What a template is told when it reaches for Python internals («__class__»)."""
    what = f" к «{name}»" if name else ""
    return (f"недопустимое обращение{what}: шаблон может только выводить данные документа, "
            f"а не обращаться к устройству программы")


def refused_file(name: str) -> str:
    """What a template is told when it tries to include, import or extend a file."""
    return (f"недопустимое обращение к файлу «{name}»: шаблон не может подключать или "
            f"читать другие файлы ({{% include %}}, {{% import %}}, {{% extends %}})")


def unknown_filter(name: str) -> str:
    env = environment()
    own = sorted(set(env.filters) - set(jinja2.filters.FILTERS))
    return (f"неизвестный фильтр «{name}»{_did_you_mean(name, sorted(env.filters))}; "
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
        if m.group(1) in _WORD_QUOTES:
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
    return (f"не удалось вычислить поле или тег: значение не подходит для этого действия или "
            f"фильтра ({type(original).__name__}: {original})")


def describe_error(exc: jinja2.TemplateError) -> tuple[str | None, str]:
    """(paragraph, Russian message) of a template error, for ``docgen templates check``."""
    return getattr(exc, "docgen_paragraph", None) or None, _explain(exc)
