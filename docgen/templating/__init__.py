"""The template machinery's one front door: find, compile, render, lint, fields, cache.

Everything outside this package imports from here and only from here
(tests/test_architecture.py walks the imports). Inside, the modules form
one-way layers, each importing only those listed before it:

* ``package``  — a .docx refused before unpacking when it would take too much;
* ``cache``    — compiled templates kept on disk between runs;
* ``drawing``  — pictures as values of the context;
* ``sandbox``  — the Jinja environment: filters, bounds, errors located;
* ``canonical``— which templates' renders need no XML round trip through lxml;
* ``fields``   — the catalogue of what each document's context holds;
* ``explain``  — a template mistake as one Russian line;
* ``lint``     — ``docgen templates check`` without rendering;
* ``compiler`` — templates compiled once, rendered many times;
* ``rendering``— a template and a context → the bytes of a .docx.

Importing it loads Jinja and lxml: the CLI imports it inside the commands that
render, never at start, so ``docgen --help`` stays fast.
"""

from __future__ import annotations

from docgen.templating.cache import folder as cache_folder
from docgen.templating.compiler import CompiledTemplate, compiled, rezip, warm
from docgen.templating.drawing import Package as PicturePackage
from docgen.templating.drawing import Picture, package_changes, pictures_from
from docgen.templating.explain import describe_error
from docgen.templating.fields import (
    DOCUMENT_TITLES,
    context_json,
    context_paths,
    example_text,
    field_rows,
    filter_examples,
    find_documents,
    observed_kinds,
    template_documents,
)
from docgen.templating.fields import roots as field_roots
from docgen.templating.fields import title as document_title
from docgen.templating.lint import (
    TemplateCheck,
    TemplateProblem,
    check_template,
    check_templates,
    identify,
    recognised_names,
    template_files,
)
from docgen.templating.package import check_template_package
from docgen.templating.rendering import builtin_templates, find_template, render, render_plain
from docgen.templating.sandbox import LIMITS, Limits, bounded, environment

__all__ = [
    "DOCUMENT_TITLES",
    "LIMITS",
    "CompiledTemplate",
    "Limits",
    "Picture",
    "PicturePackage",
    "TemplateCheck",
    "TemplateProblem",
    "bounded",
    "builtin_templates",
    "cache_folder",
    "check_template",
    "check_template_package",
    "check_templates",
    "compiled",
    "context_json",
    "context_paths",
    "describe_error",
    "document_title",
    "environment",
    "example_text",
    "field_roots",
    "field_rows",
    "filter_examples",
    "find_documents",
    "find_template",
    "identify",
    "observed_kinds",
    "package_changes",
    "pictures_from",
    "recognised_names",
    "render",
    "render_plain",
    "rezip",
    "template_documents",
    "template_files",
    "warm",
]
