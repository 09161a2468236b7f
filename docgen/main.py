"""The library entry point as it was first published: every public name of ``docgen.api``.

The functions live in ``docgen.api``, one module per capability; this module
only re-exports them, so code written against ``docgen.main`` keeps working.
"""

from __future__ import annotations

from docgen.api.blank import (
    BLANKS_FOLDER,
    BlankResult,
    blank_form,
    find_blank_form,
    forms,
)
from docgen.api.build import (
    BuildResult,
    Written,
    build_batch,
    build_workbook,
    group_path,
    settle_duplicates,
)
from docgen.api.check import (
    LOCK_PREFIXES,
    MISTAKEN_SUFFIXES,
    WORKBOOK_SUFFIXES,
    CheckResult,
    annotate,
    check,
    check_workbook,
    load_group,
    resolve_kind,
    workbook_paths,
)
from docgen.api.init import (
    carry_folder,
    carry_over,
    init_workbook,
)
from docgen.api.pdf import (
    PdfResult,
    PdfWritten,
    convert_to_pdf,
    pdf_sources,
)
from docgen.api.summary import (
    write_registries,
    write_summaries,
)
from docgen.api.templates import (
    ExportResult,
    FieldsResult,
    TemplateInfo,
    check_templates,
    document_fields,
    export_templates,
    kind_by_id,
    list_templates,
    resolve_document,
)

__all__ = [
    "BLANKS_FOLDER",
    "LOCK_PREFIXES",
    "MISTAKEN_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "BlankResult",
    "BuildResult",
    "CheckResult",
    "ExportResult",
    "FieldsResult",
    "PdfResult",
    "PdfWritten",
    "TemplateInfo",
    "Written",
    "annotate",
    "blank_form",
    "build_batch",
    "build_workbook",
    "carry_folder",
    "carry_over",
    "check",
    "check_templates",
    "check_workbook",
    "convert_to_pdf",
    "document_fields",
    "export_templates",
    "find_blank_form",
    "forms",
    "group_path",
    "init_workbook",
    "kind_by_id",
    "list_templates",
    "load_group",
    "pdf_sources",
    "resolve_document",
    "resolve_kind",
    "settle_duplicates",
    "workbook_paths",
    "write_registries",
    "write_summaries",
]
