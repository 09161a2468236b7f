"""The typography checker over whole documents: every paragraph and table row of a .docx.

Shared by ``test_typography.py`` (the examples) and ``test_property.py`` (random
workbooks). Text is taken as printed: no-break spaces kept, line breaks as spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from docgen import typography


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
        found += typography.problems(str(text), following)
    for kind, value in blocks:
        if kind == "row":
            found += typography.row_problems(list(value))  # type: ignore[arg-type]
    return [f"{path.name}: {rule}: {message}" for rule, message in found
            if wanted is None or rule in wanted]


def folder_problems(folder: Path, rules: Iterable[str] | None = None) -> list[str]:
    return [line for path in sorted(folder.rglob("*.docx"))
            for line in document_problems(path, rules)]
