"""Rendering: a template and a context → the bytes of a .docx, on docxtpl.

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

from docgen import russian
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
    searched = [*(folders or []), builtin_templates()]
    for name in (f"{doc_id}_{kind_id}.docx", f"{doc_id}.docx"):
        for folder in searched:
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


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
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
    )
    return env


def _explain(exc: jinja2.TemplateError) -> str:
    """Jinja's message in Russian where we know it; the original otherwise."""
    message = exc.message or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        if m := re.search(r"'([^']+)' is undefined", message):
            return f"неизвестная переменная «{m.group(1)}»"
        if m := re.search(r"has no attribute '([^']+)'", message):
            return f"у значения нет поля «{m.group(1)}»"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"ошибка в записи поля или тега ({message})"
    return message


def render(template: Path, context: dict[str, Any]) -> bytes:
    """The rendered document's bytes; a template mistake becomes a TemplateError."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    try:
        doc.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        where = ""
        lines = getattr(exc, "docx_context", None)
        if lines:
            text = " ".join(" ".join(lines).split())[:80]
            where = f", абзац «{text}»"
        raise TemplateError(f"шаблон «{template.name}»{where}: {_explain(exc)}") from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
