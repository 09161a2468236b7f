"""The built-in templates: current with their source, and renderable for every kind."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from docgen.kinds import all_kinds
from docgen.templating import builtin_templates, find_template

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "templates" / "source"
PARTS = ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/header2.xml")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in PARTS if name in z.namelist()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(SOURCE))
    try:
        import make_templates
    finally:
        sys.path.remove(str(SOURCE))
    out = tmp_path_factory.mktemp("templates")
    for name, template in make_templates.all_templates().items():
        template.save(out / f"{name}.docx")
    return out


def test_committed_templates_match_their_source(generated: Path) -> None:
    committed = {p.name for p in (ROOT / "templates").glob("*.docx")}
    made = {p.name for p in generated.glob("*.docx")}
    assert committed == made, "run: python templates/source/make_templates.py"
    for name in sorted(made):
        assert _parts(ROOT / "templates" / name) == _parts(generated / name), (
            f"{name} differs from its source; run: python templates/source/make_templates.py")


def test_every_kind_has_its_own_regulation_and_a_template_for_each_document() -> None:
    for kind in all_kinds():
        assert find_template("regulation", kind.id).name == f"regulation_{kind.id}.docx"
        for doc_id in kind.documents:
            assert find_template(doc_id, kind.id).is_file()


def test_a_new_kind_falls_back_to_the_common_regulation() -> None:
    assert find_template("regulation", "no-such-kind") == builtin_templates() / "regulation.docx"


@pytest.mark.parametrize("workbook", sorted((ROOT / "data").glob("*.xlsx")), ids=lambda p: p.stem)
def test_the_common_regulation_renders_for_every_example(workbook: Path, tmp_path: Path) -> None:
    """A sixth kind without its own text still gets a complete положение."""
    import docx

    from docgen.content.documents import build_documents
    from docgen.main import load_group
    from docgen.templating import render

    group = load_group(workbook)
    regulation = next(d for d in build_documents(group)[0] if d.doc_id == "regulation")
    out = tmp_path / "regulation.docx"
    out.write_bytes(render(builtin_templates() / "regulation.docx", regulation.context))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "ПОЛОЖЕНИЕ" in text
    # a standing положение (ПрофНавигатор's, approved in 2020) is the kind's, not the group's
    assert (f"«{group.name}»" in text) != bool(group.regulation_order_number)
    assert "{{" not in text and "{%" not in text


def _order_violations(xml: bytes) -> list[str]:
    """Children of pPr, tblPr and trPr out of the order ECMA-376 prescribes."""
    from lxml import etree

    sys.path.insert(0, str(SOURCE))
    try:
        import layout
    finally:
        sys.path.remove(str(SOURCE))
    orders = {"pPr": layout.PPR_ORDER, "tblPr": layout.TBLPR_ORDER, "trPr": layout.TRPR_ORDER}
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found = []
    for name, order in orders.items():
        for parent in etree.fromstring(xml).iter(f"{ns}{name}"):
            names = [c.tag.replace(ns, "") for c in parent if c.tag.startswith(ns)]
            known = [n for n in names if n in order]
            if known != sorted(known, key=order.index):
                found.append(f"{name}: {names}")
    return found


def test_templates_keep_the_schema_order_word_requires() -> None:
    """Word refuses a .docx whose properties are out of order; LibreOffice would not tell."""
    for path in sorted((ROOT / "templates").glob("*.docx")):
        for part, xml in _parts(path).items():
            assert not _order_violations(xml), f"{path.name} {part}"


def test_rendered_documents_keep_the_schema_order(tmp_path: Path) -> None:
    from docgen.main import build_workbook

    result = build_workbook(ROOT / "data" / "izhevsk-gmo.xlsx", tmp_path)
    assert result.ok and len(result.written) > 20
    for written in result.written:
        for part, xml in _parts(written.path).items():
            assert not _order_violations(xml), f"{written.path.name} {part}"


def test_a_clerks_folder_overrides_templates_of_the_same_name_only(tmp_path: Path) -> None:
    (tmp_path / "protocol.docx").write_bytes(b"")
    (tmp_path / "regulation.docx").write_bytes(b"")
    assert find_template("protocol", "gmo", [tmp_path]) == tmp_path / "protocol.docx"
    assert find_template("regulation", "gmo", [tmp_path]).name == "regulation_gmo.docx"
    assert find_template("regulation", "new-kind", [tmp_path]) == tmp_path / "regulation.docx"
