"""The house rules of the package, read from its imports (docs/architecture.md).

Every ``import`` and ``from … import`` of every module is walked, those inside
functions included (a lazy import is still a dependency):

* no circle: the modules form one-way layers;
* the template machinery is entered by its front door, ``docgen.templating``;
* no module takes a private name (``_x``) from another;
* only ``docgen.cli`` imports click, only ``docgen.web`` a web framework;
* the package is laid out by stage (``STAGES``): a module imports only its own
  stage, earlier stages and the shared leaves, never a later stage.

Each rule is first shown to catch a planted example, so none can pass by
finding nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a module name, with the names it takes."""

    module: str  # the importing module
    target: str  # the imported module
    names: tuple[str, ...]  # what ``from target import …`` takes (empty for ``import target``)
    line: int
    typing: bool = False  # inside ``if TYPE_CHECKING:``: for the type checker, never run


@cache  # each rule reads the same package: parse it once
def modules(root: Path) -> dict[str, Path]:
    """Module name → file, for every .py under ``root`` (a package folder)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(root: Path) -> tuple[Import, ...]:
    """Every import of every module under ``root`` (see ``_imports``), read once."""
    return _parsed(root)


@cache
def _parsed(root: Path) -> tuple[Import, ...]:
    return tuple(_imports(root))


def _imports(root: Path) -> Iterator[Import]:
    """Every import of every module under ``root``, resolved to module names.

    ``from pkg import name`` counts as importing ``pkg.name`` when that is a
    module, else ``pkg``; the implicit import of a module's parent packages is
    not counted (a package's ``__init__`` importing its own modules is no circle).
    """
    known = modules(root)
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                  and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                  for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(name, alias.name, (), node.lineno, id(node) in typing)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor if is_package else anchor[:-1]
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                taken = []
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in known:
                        yield Import(name, sub, (), node.lineno, id(node) in typing)
                    else:
                        taken.append(alias.name)
                if taken and all(t.startswith("__") for t in taken):
                    continue  # a package's metadata (``from docgen import __version__``)
                if taken:
                    yield Import(name, base, tuple(taken), node.lineno, id(node) in typing)


def graph(root: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    known = modules(root)
    edges: dict[str, set[str]] = {name: set() for name in known}
    for imp in imports(root):
        if imp.target in known and imp.target != imp.module:
            edges[imp.module].add(imp.target)
    return edges


def circle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def back_doors(root: Path, front: str) -> list[str]:
    """Imports of ``front``'s inner modules from outside ``front``."""
    return [f"{i.module}:{i.line} → {i.target}" for i in imports(root)
            if i.target.startswith(front + ".") and not (
                i.module == front or i.module.startswith(front + "."))]


def private_names(root: Path) -> list[str]:
    """``from other import _name``: a private name taken across a module border."""
    known = modules(root)
    return [f"{i.module}:{i.line} ← {i.target}.{n}" for i in imports(root) if i.target in known
            for n in i.names if n.startswith("_") and not n.startswith("__")]


# The stages, in the order data flows through them (docs/architecture.md). The first
# holds the shared leaves every stage may use; ``docgen`` itself re-exports the library
# entry point (``docgen.main``), so it stands with ``api``.
STAGES: tuple[tuple[str, ...], ...] = (
    # shared leaves: errors, text helpers, and data: the kinds, the blank forms and the
    # workbook's contract (the kinds name its sheets and categories)
    ("errors", "text", "kinds", "forms", "workbook.schema"),
    ("runtime",),  # files written atomically, the disk cache, processes
    ("language",),  # Russian: declension, typography
    ("workbook",),  # read and validate: schema, reader, model, photos, validate
    ("templating",),  # the template engine
    ("content",),  # what each document says: contexts, the report, charts
    ("pdf",),  # LibreOffice's conversion, combining PDFs
    ("output",),  # group folders, registry, bundle, the centre's summary
    ("api", "main", ""),  # the library entry point (``""``: the package ``docgen``)
    ("web",),  # ``docgen serve``
    ("cli", "__main__"),  # the commands
)


def stage_of(module: str, prefix: str = "docgen") -> int | None:
    """The stage a module belongs to (its longest entry in ``STAGES``), or None."""
    if module != prefix and not module.startswith(prefix + "."):
        return None
    rel = module[len(prefix) + 1:]
    found = [(len(name), i) for i, names in enumerate(STAGES) for name in names
             if rel == name or rel.startswith(name + ".") or (not name and not rel)]
    return max(found)[1] if found else None


def against_the_flow(root: Path) -> list[str]:
    """Imports of a later stage, and modules that belong to no stage."""
    prefix = root.name
    found = [f"{m}: ни в одной ступени" for m in modules(root) if stage_of(m, prefix) is None]
    for i in imports(root):
        here, there = stage_of(i.module, prefix), stage_of(i.target, prefix)
        if not i.typing and here is not None and there is not None and there > here:
            found.append(f"{i.module}:{i.line} → {i.target}")
    return found


def importers(root: Path, library: str) -> set[str]:
    """Modules that import ``library`` or any of its modules."""
    return {i.module for i in imports(root)
            if i.target == library or i.target.startswith(library + ".")}


# --------------------------------------------------------------------------- a planted package
def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A package that breaks every rule once."""
    return _plant(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import helper\n",
        "b.py": "def helper():\n    from pkg import c  # lazy, still a dependency\n",
        "c.py": "import pkg.a\nfrom pkg.inner.deep import _secret\nimport click\n",
        "inner/__init__.py": "from pkg.inner import deep\n",
        "inner/deep.py": "from . import sibling\n_secret = 1\n",
        "inner/sibling.py": "",
    })


def test_a_planted_circle_is_found_through_a_lazy_import(planted: Path) -> None:
    assert circle(graph(planted)) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_a_package_importing_its_own_modules_is_no_circle(planted: Path) -> None:
    edges = graph(planted)
    assert edges["pkg.inner"] == {"pkg.inner.deep"}
    assert edges["pkg.inner.deep"] == {"pkg.inner.sibling"}  # relative import resolved
    del edges["pkg.c"]
    assert circle(edges) is None


def test_a_planted_back_door_and_private_name_are_found(planted: Path) -> None:
    assert back_doors(planted, "pkg.inner") == ["pkg.c:2 → pkg.inner.deep"]
    assert private_names(planted) == ["pkg.c:2 ← pkg.inner.deep._secret"]
    assert importers(planted, "click") == {"pkg.c"}


# --------------------------------------------------------------------------- docgen itself
def test_a_planted_import_against_the_flow_is_found(tmp_path: Path) -> None:
    root = _plant(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "workbook/__init__.py": "",
        "workbook/reader.py": "from docgen.errors import x\n"
                              "def late():\n    from docgen.content import documents\n",
        "content/__init__.py": "",
        "content/documents.py": "from typing import TYPE_CHECKING\n"
                                "from docgen.workbook import reader\n"
                                "if TYPE_CHECKING:\n    from docgen.api import build\n",
        "api/__init__.py": "",
        "api/build.py": "",
        "stray.py": "",
    }).rename(tmp_path / "docgen")
    assert against_the_flow(root) == [
        "docgen.stray: ни в одной ступени",
        "docgen.workbook.reader:3 → docgen.content.documents",
    ]


def test_each_stage_imports_only_earlier_stages() -> None:
    assert against_the_flow(PACKAGE) == []
    assert len({stage_of(m) for m in modules(PACKAGE)}) == len(STAGES)  # no stage is empty


def test_docgen_has_no_import_circle() -> None:
    found = circle(graph(PACKAGE))
    assert found is None, "круг импортов: " + " → ".join(found or [])


def test_the_template_machinery_is_entered_by_its_front_door() -> None:
    assert back_doors(PACKAGE, "docgen.templating") == []


def test_no_private_name_crosses_a_module_border() -> None:
    assert private_names(PACKAGE) == []


def test_only_the_cli_imports_click_and_only_the_web_app_a_web_framework() -> None:
    assert importers(PACKAGE, "click") <= {m for m in modules(PACKAGE)
                                           if m == "docgen.cli" or m.startswith("docgen.cli.")}
    assert importers(PACKAGE, "click")  # the walker does see the CLI's imports
    for framework in ("flask", "waitress", "werkzeug"):
        assert importers(PACKAGE, framework) <= {m for m in modules(PACKAGE)
                                                 if m.startswith("docgen.web.")}
    assert importers(PACKAGE, "flask")


def test_the_library_entry_point_is_split_by_capability_and_re_exported() -> None:
    import docgen.api
    import docgen.main

    rooms = {m.rsplit(".", 1)[1] for m in modules(PACKAGE) if m.startswith("docgen.api.")}
    assert rooms == {"check", "init", "build", "pdf", "summary", "blank", "templates", "carry"}
    rooms.discard("carry")  # init's helper: a workbook carried over to the next year
    assert docgen.api.__doc__ and all(f"``{room}``" in docgen.api.__doc__ for room in rooms)
    functions = [getattr(docgen.main, n) for n in docgen.main.__all__]
    functions = [f for f in functions if callable(f)]
    assert len(functions) > 20
    for function in functions:
        assert function.__module__.startswith("docgen.api."), function
