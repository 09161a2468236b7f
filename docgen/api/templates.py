"""The clerk's own templates: ``docgen templates list / export / check`` and ``docgen fields``."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.api.check import load_group, resolve_kind
from docgen.errors import DocgenError, OutputError
from docgen.kinds import Kind, all_kinds, find_kind

if TYPE_CHECKING:

    pass


@dataclass
class TemplateInfo:
    """A template file: which document it makes, and where it comes from."""

    name: str  # file name, e.g. regulation_gmo.docx
    document: str | None  # document id; None when the name stands for no document
    kind: Kind | None  # the kind it is for, if only one
    builtin: Path | None = None  # the built-in file of this name
    custom: Path | None = None  # the file of this name in the clerk's folder, used instead


def kind_by_id(kind_id: str | None) -> Kind | None:
    return find_kind(kind_id) if kind_id else None


def _template_order(info: TemplateInfo) -> tuple[int, int, str]:
    from docgen.templating import template_documents

    ids = [k.id for k in all_kinds()]
    documents = template_documents()
    return (documents.index(info.document) if info.document else len(documents),
            ids.index(info.kind.id) + 1 if info.kind else 0, info.name)


def list_templates(folders: list[Path] | None = None) -> list[TemplateInfo]:
    """The built-in templates and, with ``folders``, which of them the clerk's files replace.

    A file in a folder replaces the built-in one of the same name (the first
    folder wins, as in ``engine.find_template``); other files there are listed
    after them, with the document their name stands for, if any.
    """
    from docgen.templating import builtin_templates, identify, template_files

    infos: dict[str, TemplateInfo] = {}
    for path in sorted(builtin_templates().glob("*.docx")):
        doc_id, kind_id = identify(path.name) or (None, None)
        infos[path.name.lower()] = TemplateInfo(path.name, doc_id, kind_by_id(kind_id), path)
    extra: list[TemplateInfo] = []
    for folder in folders or []:
        for path in template_files([Path(folder)]):
            if path.suffix.lower() != ".docx":
                continue
            known = infos.get(path.name.lower())
            if known is not None:
                if known.custom is None:
                    known.custom = path
                continue
            if any(e.name.lower() == path.name.lower() for e in extra):
                continue
            doc_id, kind_id = identify(path.name) or (None, None)
            extra.append(TemplateInfo(path.name, doc_id, kind_by_id(kind_id), None, path))
    return sorted(infos.values(), key=_template_order) + sorted(extra, key=_template_order)


def resolve_document(text: str) -> tuple[str, str | None]:
    """(document id, kind id or None) named by an id, a Russian name or a template's file name."""
    from docgen.templating import DOCUMENT_TITLES, find_documents, identify

    name = text.strip()
    found = identify(name if name.lower().endswith(".docx") else f"{name}.docx")
    if found is not None:
        return found
    candidates = find_documents(name)
    if len(candidates) == 1:
        return candidates[0], None
    listed = "; ".join(f"{d} — {DOCUMENT_TITLES[d]}" for d in candidates or DOCUMENT_TITLES)
    if candidates:
        raise DocgenError(f"«{text}» подходит к нескольким документам, уточните: {listed}")
    raise DocgenError(f"неизвестный документ «{text}»; документы: {listed}")


@dataclass
class ExportResult:
    """What ``export_templates`` did: files copied, and files already there that it kept."""

    folder: Path
    copied: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)  # copied over an existing file (--force)
    kept: list[Path] = field(default_factory=list)  # already there, not replaced


def export_templates(folder: str | Path, documents: list[str] | None = None,
                     force: bool = False) -> ExportResult:
    """Copy the built-in templates (all, or those of ``documents``) to ``folder`` for editing.

    ``documents`` are document ids, Russian names or template file names. A file
    already in the folder is kept unless ``force``: it may hold a clerk's edits.
    """
    import shutil


    builtin = [i for i in list_templates() if i.builtin is not None]
    chosen = builtin
    if documents:
        chosen = []
        for text in documents:
            doc_id, kind_id = resolve_document(text)
            same = [i for i in builtin if i.document == doc_id]
            picked = [i for i in same if kind_id is None or (i.kind and i.kind.id == kind_id)]
            # «protocol_gmo»: no built-in one, so the common protocol.docx to start from
            chosen += [i for i in picked or [i for i in same if i.kind is None]
                       if i not in chosen]
    folder = Path(folder)
    result = ExportResult(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from docgen.runtime.files import os_problem

        raise OutputError(os_problem(exc, folder, writing=True)) from exc
    for info in chosen:
        assert info.builtin is not None
        target = folder / info.name
        existed = target.exists()
        if existed and not force:
            result.kept.append(target)
            continue
        try:
            shutil.copyfile(info.builtin, target)
        except OSError as exc:
            from docgen.runtime.files import os_problem

            raise OutputError(os_problem(exc, target, writing=True, replacing=existed)) from exc
        (result.replaced if existed else result.copied).append(target)
    return result


def check_templates(paths: list[str | Path]) -> list:
    """``docgen templates check``: every template file's problems (see ``lint.py``)."""
    from docgen.templating import check_templates as lint_templates

    return lint_templates([Path(p) for p in paths], example_kinds())


@functools.cache
def example_kinds() -> dict[str, dict[str, str]]:
    """What each field of each document holds in the bundled examples (none installed:
    nothing is known, and misapplied filters are not looked for)."""
    from docgen.content.documents import build_documents
    from docgen.templating import observed_kinds

    contexts = []
    for kind in all_kinds():
        example = _example_workbook(kind)
        if example is None:
            continue
        try:
            docs, _skipped = build_documents(load_group(example))
        except DocgenError:
            continue
        contexts += [(d.doc_id, d.context) for d in docs]
    return observed_kinds(contexts)


def _example_workbook(kind: Kind) -> Path | None:
    """The bundled example workbook of a kind (``data/*-<kind>.xlsx``), if it is installed."""
    here = Path(__file__).resolve().parent.parent  # the docgen package
    for folder in (here / "data", here.parent / "data"):
        found = sorted(folder.glob(f"*-{kind.id}.xlsx"))
        if found:
            return found[0]
    return None


@dataclass
class FieldsResult:
    """``docgen fields``: the variables of one document (or the common ones) with examples."""

    document: str | None  # document id; None: the common fields and the list of documents
    kind: Kind  # the kind whose example gave the values
    example: Path | None = None  # that example workbook; None when it is not installed
    example_document: str | None = None  # the example document's name: «Протокол № 1 от …»
    rows: list = field(default_factory=list)  # templating's FieldRow
    filters: list = field(default_factory=list)  # (name, description, expression, result)
    documents: list[tuple[str, str, list[str]]] = field(default_factory=list)  # id, title, files


def document_fields(document: str | None = None, kind: str | Kind | None = None,
                    full: bool = False) -> FieldsResult:
    """What a template of ``document`` can use, with values from the kind's example workbook.

    ``document`` is an id, a Russian name or a template's file name; without it,
    the fields every document has. ``kind`` picks the example (by default the
    first kind that has the document, or the file name's kind).
    """
    from docgen.content.documents import build_documents
    from docgen.forms import FORMS
    from docgen.templating import (
        context_paths,
        document_title,
        field_rows,
        filter_examples,
        template_documents,
    )

    doc_id, named_kind = resolve_document(document) if document else (None, None)
    form = next((f for f in FORMS if f.doc_id == doc_id), None)  # a blank form's

    def has(k: Kind) -> bool:
        return doc_id is None or form is not None or doc_id in k.documents

    if isinstance(kind, str):
        kind = resolve_kind(kind)
    if kind is None and named_kind:
        kind = find_kind(named_kind)
    if kind is None:
        kind = next(k for k in all_kinds() if has(k))
    elif not has(kind):
        having = ", ".join(f"«{k.name}»" for k in all_kinds() if has(k))
        raise DocgenError(f"у вида «{kind.name}» нет документа «{document_title(str(doc_id))}»; "
                          f"он есть у видов: {having}")
    result = FieldsResult(doc_id, kind, _example_workbook(kind))
    context = None
    if result.example is not None:
        group = load_group(result.example)
        if form is not None:
            from docgen.content.documents import form_context

            context = form_context(form, group)
            result.example_document = f"{form.title}, заполненный по книге"
        else:
            docs, _skipped = build_documents(group)
            example = next((d for d in docs if doc_id is None or d.doc_id == doc_id), None)
            if example is not None:
                context, result.example_document = example.context, example.name
    result.rows = field_rows(
        doc_id, context_paths(context) if context is not None else None, full)
    result.filters = filter_examples(context)
    if doc_id is None:
        infos = list_templates()
        result.documents = [(d, document_title(d), [i.name for i in infos if i.document == d])
                            for d in template_documents()]
    return result
