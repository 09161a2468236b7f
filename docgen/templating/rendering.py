"""Rendering: a template and a context → the bytes of a .docx.

``render`` uses templates compiled once per process (``compiler.py``);
``render_plain`` is plain docxtpl, kept as the reference it is tested against.
Both render inside the sandbox (``sandbox.py``), bounded by ``LIMITS``.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from docgen.errors import TemplateError
from docgen.templating import drawing
from docgen.templating.compiler import compiled
from docgen.templating.explain import template_error
from docgen.templating.package import check_template_package
from docgen.templating.sandbox import bounded, environment


@lru_cache(maxsize=1)
def builtin_templates() -> Path:
    """The folder of the built-in templates: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent.parent  # the docgen package
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


def render_plain(template: Path, context: dict[str, Any]) -> bytes:
    """Plain docxtpl: one DocxTemplate per document (the reference for ``render``)."""
    from docxtpl import DocxTemplate

    check_template_package(template)
    doc = DocxTemplate(str(template))
    try:
        with bounded(), drawing.rendering(lambda: doc.current_rendering_part):
            doc.render(context, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise template_error(template, exc) from exc
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(template: Path, context: dict[str, Any]) -> bytes:
    """The rendered document's bytes; a template mistake becomes a TemplateError.

    The template is compiled once per process (``compiler.py``); the result is
    the same as plain docxtpl's (``render_plain``).
    """
    return compiled(template).render(context)
