"""Rendering: a template and a context → the bytes of a .docx, on docxtpl.

``render`` uses templates compiled once per process (``compiler.py``);
``render_plain`` is plain docxtpl, kept as the reference it is tested against.

The Jinja environment is sandboxed and strict: a template cannot reach Python
internals, and a misspelt variable is an error rather than a silently empty
field. Every render is bounded by work (``LIMITS``: loop steps, value, list and
text sizes, time per document), so a clerk's template cannot hang docgen or
take the computer's memory. The filters are the Russian layer (``russian.py``) as template authors
use it: ``{{ order.date|date }}``, ``{{ n|quantity("заседание", "заседания",
"заседаний") }}``.

A picture is a value like any other: ``{{ photo.image }}`` (``drawing.py``);
``|picture`` reads an image only from the workbook's folder, the one file
access a template has.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
import jinja2.visitor
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from docgen.language import russian, typography
from docgen.templating import drawing
from docgen.text import excerpt, grouped


def _date_text(value: dt.date | None) -> str:
    """«1 сентября 2025 г.», as ГОСТ Р 7.0.97 (5.12) writes a date in running text for
    every kind; the fill-in form ««1» сентября» belongs to lines written by hand."""
    return russian.date_text(value) if value is not None else ""


def _date(value: dt.date | None) -> str:
    return russian.date_numeric(value) if value else ""


def _quantity(n: int | None, one: str, few: str, many: str) -> str:
    """«5 заседаний»: the number with its noun in the agreeing form."""
    return russian.count(n, one, few, many) if n is not None else ""


def _count(value: Any, *forms: str) -> Any:
    """Jinja's own ``count`` (the length), or, with three word forms, the old name of ``quantity``.

    docgen once named its Russian-plural filter ``count``, hiding Jinja's; a
    template written for plain docxtpl (``{{ items|count }}``) must work, and so
    must an old docgen one (``templates check`` says to rename it).
    """
    if not forms:
        return len(value)
    return _quantity(value, *forms)


def _agree(gender: str | None, masculine: str, feminine: str) -> str:
    """«ознакомлен»/«ознакомлена» by the person's gender; both when it is unknown."""
    if gender == "ж":
        return feminine
    if gender == "м":
        return masculine
    if masculine and feminine.startswith(masculine):
        return f"{masculine}({feminine[len(masculine):]})"
    return f"{masculine or ''}({feminine})" if feminine else masculine


@jinja2.pass_context  # never folded into a constant when the template is compiled
def _picture(_ctx: Any, value: Any, width: float | None = None,
             height: float | None = None) -> Any:
    """``{{ photo.image|picture(width=80) }}``, ``{{ 'логотип.png'|picture(height=20) }}``.

    A picture of the context at another size (millimetres; one side keeps the
    proportions), or an image file from the workbook's folder — the only files a
    template may read, and only JPEG and PNG, checked as the «Фото» column is. It
    reads the file at render time: Jinja must not fold it into the compiled code.
    """
    for size in (width, height):
        if size is not None and (not isinstance(size, (int, float)) or not 1 <= size <= 500):
            raise _refused_value("размер рисунка — число миллиметров от 1 до 500, "
                                 "например picture(width=40)")
    if isinstance(value, drawing.Picture):
        return value.resized(width, height)
    if not isinstance(value, str):
        raise _refused_value("фильтр picture применяют к рисунку из данных документа или к "
                             "имени файла в кавычках: {{ 'логотип.png'|picture(width=30) }}")
    from docgen.workbook import photos

    folder = drawing.pictures_folder()
    if folder is None:
        raise _refused_value(f"рисунок из файла «{value}» вставляется только при сборке "
                             f"документов по книге: файл ищется в папке книги")
    found, problems = photos.resolve(value, folder)
    if problems or len(found) != 1:
        raise _refused_value(problems[0] if problems else
                             f"«{value}» — не один файл: укажите имя одного файла рисунка")
    try:
        prepared = photos.prepare(found[0][1])
    except photos.PhotoProblem as exc:
        raise _refused_value(str(exc)) from None
    natural = min(prepared.width * 25.4 / 96, drawing.MAX_WIDTH_MM)  # 96 dpi, as Word shows
    picture = drawing.Picture(prepared.data, natural, natural * prepared.height / prepared.width,
                              found[0][0], (prepared.width, prepared.height))
    return picture.resized(width, height) if width or height else picture


def _refused_value(message: str) -> jinja2.TemplateRuntimeError:
    error = jinja2.TemplateRuntimeError(message)
    error.docgen_message = message  # type: ignore[attr-defined]
    return error


def _as_typed(value: Any) -> Any:
    """A value printed as typed, even «{_{» or «%_}», and as a typesetter would print it.

    After rendering, docxtpl turns the template escapes «{_{ }_} {_% %_}» into
    «{{ }} {% %}» wherever they are, data included. Written with «_» as a
    character reference, the data's underscore is out of its reach, and Word
    shows «_» all the same. Every string goes through the typography pass
    (``typography.py``): «МАОУ «Лицей №» never ends a line, «Лесная И.В.» is
    printed «И.В. Лесная», quotes nest as «„“».
    """
    if not isinstance(value, str):
        if drawing.is_picture(value):
            return drawing.markup(value)
        if hasattr(value, "__html__"):  # docxtpl's RichText, Subdoc: XML printed as it is
            budget = getattr(_state, "budget", None)
            if budget is not None:
                budget.markup = True
        return value
    if isinstance(value, Markup):
        budget = getattr(_state, "budget", None)
        if budget is not None:  # printed as it is: not known to be XML as lxml writes it
            budget.markup = True
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
        quantity=_quantity,
        count=_count,
        plural=russian.plural,
        agree=_agree,
        picture=_picture,
        inner_quotes=typography.inner_quotes,
        nolone=typography.keep_last_words,
        wholename=typography.whole_names,
        cellname=typography.cell_name,
    )
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, function)
    env.filters[LOOP_FILTER] = _loop_steps
    env.filters[CONCAT_FILTER] = _concat
    env.globals["lipsum"] = _lipsum
    return env



# --------------------------------------------------------------------------- template mistakes
# A template author edits Word files, so a mistake in a template must say, in
# Russian, which paragraph it is in and which variable, filter or tag is wrong.

# Tags that open a block and need their «end…» tag.
_BLOCKS = ("if", "for", "with", "macro", "call", "filter", "set", "autoescape", "block")
_MAX_REPEAT = 100_000  # the longest text or list «*» may make, as the sandbox's range()
# the largest whole number «*» and «**» may make (about 30 000 digits): one multiplication of
# numbers that a template squares again and again («{% set ns.x = ns.x * ns.x %}») grows
# without a loop and runs in C for minutes, where no time check can stop it; bounded, each
# step is quick and the document's clock holds
_MAX_INT_BITS = 100_000
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

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise _refused("слишком большая степень в «**»")
        if isinstance(left, int) and isinstance(right, int) and (
                (operator == "*" and left.bit_length() + right.bit_length() > _MAX_INT_BITS)
                or (operator == "**" and right > 0
                    and left.bit_length() * right > _MAX_INT_BITS)):
            raise _limit_error(f"число в «{operator}» получается длиннее "
                               f"{grouped(_MAX_INT_BITS * 3 // 10)} цифр")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > _MAX_REPEAT:
                    raise _refused("слишком длинное значение в «*»")
        if operator == "+" and isinstance(left, str) and isinstance(right, str):
            _check_size(len(left) + len(right))
        if operator == "+" and isinstance(left, (list, tuple)) \
                and isinstance(right, (list, tuple)):
            _check_items(len(left) + len(right))
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        """Every call a template makes: within the time, no value over the size limit."""
        _tick()
        _check_call(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_result(result)
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``d.name`` of a plain dict (every context is one) without Jinja's exception.

        Jinja tries the attribute first and takes the key when that raises: for a
        name a dict has no attribute of, the key is what it returns, so it is
        looked up at once. Anything else goes Jinja's way, unchanged.
        """
        if type(obj) is dict and isinstance(attribute, str) and not hasattr(dict, attribute):
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format`` as the sandbox gives it, its widths checked first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        @functools.wraps(wrapped)
        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(text)
            return wrapped(*args, **kwargs)

        return checked

    def concat(self, pieces: Iterable[str]) -> str:  # type: ignore[override]
        """The rendered text (of a part, a macro, a block), refused once it grows too long."""
        limit = LIMITS.rendered_chars
        total = 0
        out = []
        for piece in pieces:
            total += len(piece)
            if total > limit:
                raise _limit_error(f"текст документа получается длиннее {grouped(limit)} знаков")
            out.append(piece)
            if len(out) & 4095 == 0:
                _tick()
        return "".join(out)

    def _generate(self, source: Any, name: Any, filename: Any,
                  defer_init: bool = False) -> Any:
        """Jinja's code, with every loop counted and every «~» measured (``_Bounds``)."""
        if not isinstance(source, str):
            source = _Bounds().visit(source)
            source.set_environment(self)
        return super()._generate(source, name, filename, defer_init)

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


# --------------------------------------------------------------------------- render bounds
# A clerk's template is code: a loop in a loop, «'x'.center(10**9)» or a string doubled
# forty times would take all the memory or run until killed. Every render is bounded
# by work, not only by range(): loop steps per document, the size of any one value,
# the size of the rendered text, and the time per document. The time is checked at
# every loop step, call, operator and piece of output, and the size limits keep each
# single operation short, so a template cannot outrun the clock.


@dataclass
class Limits:
    """The bounds of one document's render; far above what any real document needs.

    The largest built-in document of a 9 999-member workbook (the most a sheet
    holds) makes 9.9 million characters of text in 9 999 loop steps (measured on
    benchmarks/bench_hostile.py's workbook): five times under the text limit.
    """

    loop_steps: int = 2_000_000  # steps of all {% for %} loops together, per document
    value_chars: int = 10_000_000  # characters of any one value
    list_items: int = 1_000_000  # items of any one list (each item costs memory of its own)
    text_filter_chars: int = 1_000_000  # input of the filters that work word by word
    rendered_chars: int = 50_000_000  # characters of one rendered part (the text, a footer)
    seconds: float = 120.0  # wall clock per document


LIMITS = Limits()
LOOP_FILTER = "_docgen_loop"  # what every {% for %} iterates through (see _Bounds)
CONCAT_FILTER = "_docgen_concat"  # what every «~» becomes
_state = threading.local()


class _Budget:
    """What one document's render has spent so far."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + LIMITS.seconds
        self.markup = False  # a value was printed as markup (``|safe``), not escaped


def printed_markup() -> bool:
    """Whether the document being rendered printed a value as markup, unescaped."""
    budget = getattr(_state, "budget", None)
    return budget is not None and budget.markup


@contextmanager
def bounded() -> Iterator[None]:
    """Count the render of one document against ``LIMITS`` (per thread)."""
    previous = getattr(_state, "budget", None)
    _state.budget = _Budget()
    try:
        yield
    finally:
        _state.budget = previous


def _limit_error(what: str) -> jinja2.exceptions.SecurityError:
    error = jinja2.exceptions.SecurityError(what)
    error.docgen_message = (  # type: ignore[attr-defined]
        f"{what} — это предел docgen, и документ не сформирован; проверьте циклы "
        f"{{% for %}} и вычисления в шаблоне")
    return error


def _tick() -> None:
    budget = getattr(_state, "budget", None)
    if budget is not None and time.monotonic() > budget.deadline:
        raise _limit_error(f"документ формируется дольше {grouped(LIMITS.seconds)} с")


def check_time() -> None:
    """Between the steps after Jinja (lxml parsing, tables, serializing, zipping): the
    document's clock counts them too. Each step is bounded by the size limits, so a
    render overruns its time by one short step at most."""
    _tick()


def _check_size(size: int) -> None:
    if size > LIMITS.value_chars:
        raise _limit_error(f"значение получается длиннее {grouped(LIMITS.value_chars)} знаков")


def _check_items(size: int) -> None:
    if size > LIMITS.list_items:
        raise _limit_error(f"список получается длиннее {grouped(LIMITS.list_items)} элементов")


def _check_result(result: Any) -> None:
    if isinstance(result, str):
        _check_size(len(result))
    elif isinstance(result, (list, tuple)):
        _check_items(len(result))


def _capped(items: Iterator[Any]) -> Iterator[Any]:
    """A lazy sequence (map, batch…) that refuses to give more items than a list may hold."""
    limit = LIMITS.list_items
    for n, item in enumerate(items, start=1):
        if n > limit:
            _check_items(n)
        if n & 4095 == 0:
            _tick()
        yield item


def _loop_steps(iterable: Any) -> Iterator[Any]:
    """The items of a loop, counted against the document's loop steps."""
    budget = getattr(_state, "budget", None)
    limit = LIMITS.loop_steps
    for item in iterable:
        if budget is not None:
            budget.steps += 1
            if budget.steps > limit:
                raise _limit_error(f"циклы повторяются больше {grouped(limit)} раз за документ")
            if budget.steps & 1023 == 0:
                _tick()
        yield item


@jinja2.pass_eval_context
def _concat(eval_ctx: Any, items: list[Any]) -> str:
    """«a ~ b», measured before it is joined."""
    from jinja2.runtime import markup_join, str_join

    _check_size(sum(len(x) if isinstance(x, str) else 32 for x in items))
    result = (markup_join if eval_ctx.autoescape else str_join)(items)
    _check_size(len(result))
    return result


_FORMAT_WIDTHS = re.compile(r"%[#0\- +]*(\d*)(?:\.(\d+))?|\{[^{}]*:[^{}\d]*(\d+)(?:\.(\d+))?")


def _check_format(text: str) -> None:
    """A «%0999999999d» or «{:999999999}» width would make one huge value."""
    for match in _FORMAT_WIDTHS.finditer(text):
        for width in match.groups():
            if width and int(width) > LIMITS.value_chars:
                raise _limit_error(f"ширина {width} в формате больше "
                                   f"{grouped(LIMITS.value_chars)} знаков")


def _estimate(method: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """The size a string operation would make, found before it is made."""
    if method in ("center", "ljust", "rjust", "zfill", "indent"):
        width = args[0] if args else kwargs.get("width", 0)
        width = len(width) if isinstance(width, str) else width
        if not isinstance(width, int):
            return 0
        if method == "indent":
            return len(value) + (value.count("\n") + 1) * width
        return width
    if method == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        return len(value) + value.count("\t") * size if isinstance(size, int) else 0
    if method == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        times = value.count(old) if old else len(value) + 1
        return len(value) + times * max(0, len(new) - len(old))
    if method in ("format", "format_map"):
        _check_format(value)
    return 0


def _check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, str):
        _check_size(_estimate(getattr(obj, "__name__", ""), owner, args, kwargs))
        if getattr(obj, "__name__", "") == "join" and args and isinstance(args[0], (list, tuple)):
            _check_size(sum(len(x) if isinstance(x, str) else 0 for x in args[0])
                        + len(owner) * len(args[0]))


_SIZED_FILTERS = {"center", "indent", "replace", "format", "join", "slice", "batch"}
# Filters that work in Python word by word (or regex by regex): their input is bounded
# lower than a value, so that one call stays short and small.
_TEXT_FILTERS = {"wordwrap", "urlize", "truncate", "title", "wordcount", "striptags",
                 "capitalize", "format", "indent"}


def _bounded_filter(name: str, function: Any) -> Any:
    """A filter whose result, and for the sizing filters whose request, stays in bounds."""
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1

    @functools.wraps(function)
    def bounded_filter(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if len(args) >= skip and isinstance(args[skip - 1], Iterator):  # a lazy sequence
            args = (*args[:skip - 1], _capped(args[skip - 1]), *args[skip:])
        if name in _TEXT_FILTERS and len(args) >= skip and isinstance(args[skip - 1], str) \
                and len(args[skip - 1]) > LIMITS.text_filter_chars:
            raise _limit_error(f"текст длиннее {grouped(LIMITS.text_filter_chars)} знаков для "
                               f"фильтра {name}")
        if name in _SIZED_FILTERS and len(args) >= skip:
            value, rest = args[skip - 1], args[skip:]
            if name == "format" and isinstance(value, str):
                _check_format(value)
            elif name == "join" and not isinstance(value, str):
                value = list(value)
                args = (*args[:skip - 1], value, *rest)
                separator = rest[0] if rest else kwargs.get("d", "")
                _check_size(sum(len(x) if isinstance(x, str) else 32 for x in value)
                            + len(str(separator)) * len(value))
            elif name in ("slice", "batch"):
                count = rest[0] if rest else kwargs.get("slices", kwargs.get("linecount"))
                if isinstance(count, int):
                    _check_items(count)
            elif isinstance(value, str):
                _check_size(_estimate(name, value, rest, kwargs))
        result = function(*args, **kwargs)
        _check_result(result)
        return result

    return bounded_filter


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's placeholder text, at most a page of it."""
    from jinja2.utils import generate_lorem_ipsum

    if n > 20 or max > 200 or min > max:
        raise _limit_error("lipsum() больше 20 абзацев по 200 слов")
    return generate_lorem_ipsum(n, html, min, max)


class _Bounds(jinja2.visitor.NodeTransformer):
    """Every loop's items through ``LOOP_FILTER``, every «~» through ``CONCAT_FILTER``."""

    def visit_For(self, node: jinja2.nodes.For) -> jinja2.nodes.Node:
        node = self.generic_visit(node)
        node.iter = jinja2.nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None,
                                        lineno=node.lineno)
        return node

    def visit_Concat(self, node: jinja2.nodes.Concat) -> jinja2.nodes.Node:
        node = self.generic_visit(node)
        items = jinja2.nodes.List(node.nodes, lineno=node.lineno)
        return jinja2.nodes.Filter(items, CONCAT_FILTER, [], [], None, None,
                                   lineno=node.lineno)


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


def refused_attribute(name: str | None) -> str:
    """What a template is told when it reaches for Python internals («__class__»)."""
    what = f" к «{name}»" if name else ""
    return (f"недопустимое обращение{what}: шаблон может только выводить данные документа, "
            f"а не обращаться к устройству программы")


def refused_file(name: str) -> str:
    """What a template is told when it tries to include, import or extend a file."""
    return (f"недопустимое обращение к файлу «{name}»: шаблон не может подключать или "
            f"читать другие файлы ({{% include %}}, {{% import %}}, {{% extends %}})")


