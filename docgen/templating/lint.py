"""``docgen templates check``: a template's mistakes found without rendering a workbook.

A template author edits Word files, so a mistake in one must be named as
clearly as a mistake in a workbook: which template, which paragraph, which
variable, filter or tag, and what to do. The checks run on docxtpl's own view
of the document (``DocxTemplate.get_xml``/``patch_xml``) and on Jinja's own
parse (``meta.find_undeclared_variables`` and the syntax tree):

* Jinja syntax errors: an unclosed ``{% if %}`` or ``{% for %}``, unbalanced ``{{``;
* unknown variables and fields: not in the documented context of the document
  (``docgen/fields.py``), and unknown filters (not in the engine's environment);
* tags that Word split across paragraphs or table cells (docxtpl would glue the
  paragraphs together), a ``{%p … %}`` paragraph or a ``{%tr … %}`` row that
  also holds other text (docxtpl drops it), «ёлочки» inside a tag;
* what the sandbox refuses: ``__class__`` and the like (also through
  ``|attr('__class__')``), ``{% include %}``;
* what the render bounds would refuse, where it shows without rendering: huge
  numbers (``10**9``, ``range(10000000)``), a «zip bomb» file; the old name
  ``count(…)`` of ``quantity(…)`` is a warning.

Nothing here prints: the result is a list of ``TemplateProblem``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import Severity
from docgen.templating.explain import WORD_QUOTES

# Word files that are not .docx: docgen cannot use them as templates.
OTHER_WORD_FORMATS = (".doc", ".dot", ".dotx", ".docm", ".dotm", ".rtf", ".odt")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DELIMITERS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_PAIRS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Filters that give back the same list (sorted, filtered): items keep their fields.
# Walker findings that do not stop a template from working.
_WARNINGS = frozenset({"deprecated"})
# A number in a template larger than this makes no document: a width, a count, a
# range or an exponent that would be refused when rendering (engine.LIMITS).
HUGE_NUMBER = 1_000_000
# Filters that work on one kind of value: (the kind, for what, where to use it instead).
_FILTER_WANTS = {
    "date": ("date", "даты", "дата"),
    "date_text": ("date", "даты", "дата"),
    "quantity": ("number", "числа", "число"),
}
_SAME_ITEMS = frozenset({"sort", "reverse", "list", "unique", "selectattr", "rejectattr",
                         "select", "reject"})


@dataclass(frozen=True)
class TemplateProblem:
    """One mistake in a template, with the paragraph it is in."""

    template: str  # file name
    message: str
    paragraph: str | None = None
    part: str | None = None  # «верхний колонтитул», «нижний колонтитул»; None: the text
    severity: Severity = Severity.ERROR
    code: str = ""  # what kind of mistake, for tests and tools: "syntax", "unknown-variable"…

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """«шаблон «protocol.docx», абзац «…»: …»."""
        where = [f"шаблон «{self.template}»"]
        if self.part:
            where.append(self.part)
        if self.paragraph is not None:
            where.append(f"абзац «{self.paragraph}»")
        return f"{', '.join(where)}: {self.message}"

    def __str__(self) -> str:
        return self.format()


@dataclass
class TemplateCheck:
    """The outcome of checking one template file."""

    path: Path
    document: str | None = None  # the document id its name stands for
    kind: str | None = None  # a kind id, for a kind's own template
    problems: list[TemplateProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[TemplateProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[TemplateProblem]:
        return [p for p in self.problems if not p.is_error]


# --- which document a file is ---------------------------------------------------------


def identify(name: str) -> tuple[str, str | None] | None:
    """(document id, kind id or None) a template's file name stands for, or None.

    «protocol.docx» is every kind's protocol, «regulation_gmo.docx» the ГМО's
    положение (see ``engine.find_template``). Case does not matter, as on Windows.
    """
    from docgen.kinds import all_kinds
    from docgen.templating.fields import template_documents

    path = Path(name)
    if path.suffix.lower() != ".docx":
        return None
    stem = path.stem.lower()
    kinds = {k.id for k in all_kinds()}
    for doc_id in sorted(template_documents(), key=len, reverse=True):
        if stem == doc_id:
            return doc_id, None
        if stem.startswith(f"{doc_id}_") and stem[len(doc_id) + 1:] in kinds:
            return doc_id, stem[len(doc_id) + 1:]
    return None


def recognised_names() -> str:
    """The template names docgen uses, said in Russian for a warning."""
    from docgen.kinds import all_kinds
    from docgen.templating.fields import template_documents

    names = ", ".join(f"{d}.docx" for d in template_documents())
    kinds = ", ".join(k.id for k in all_kinds())
    return (f"{names}; шаблон только для одного вида — с кодом вида после «_»: "
            f"regulation_gmo.docx, protocol_masterskaya.docx (коды видов: {kinds})")


def template_files(paths: list[Path]) -> list[Path]:
    """The files to check: those given, and the Word files inside the folders given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file()
                            and not p.name.startswith("~$")  # Word's lock file of an open one
                            and p.suffix.lower() in (".docx", *OTHER_WORD_FORMATS))
        else:
            found.append(path)
    return found


# --- checking -------------------------------------------------------------------------


def check_templates(paths: list[Path], kinds: dict[str, dict[str, str]] | None = None,
                    ) -> list[TemplateCheck]:
    """Check every template in ``paths`` (files or folders).

    ``kinds``: per document, what each field holds («text», «number», «date»;
    ``fields.observed_kinds`` of the example contexts): a filter applied to a
    field it cannot work on is then an error (``|date`` on a text).
    """
    return [check_template(p, kinds) for p in template_files(paths)]


def check_template(path: Path, kinds: dict[str, dict[str, str]] | None = None,
                   ) -> TemplateCheck:
    """Every mistake found in one template file, without rendering it."""
    from docgen.templating import fields

    path = Path(path)
    found = identify(path.name)
    result = TemplateCheck(path, *(found or (None, None)))
    name = path.name

    def add(message: str, code: str, severity: Severity = Severity.ERROR,
            paragraph: str | None = None, part: str | None = None) -> None:
        problem = TemplateProblem(name, message, paragraph or None, part, severity, code)
        if problem not in result.problems:
            result.problems.append(problem)

    if path.suffix.lower() in OTHER_WORD_FORMATS:
        add(f"docgen использует только файлы .docx — сохраните шаблон в Word как «Документ "
            f"Word (*.docx)» с именем «{path.stem}.docx»", "format", Severity.WARNING)
        return result
    if not path.is_file():
        add("файл не найден", "missing")
        return result
    if found is None:
        add(f"имя файла не совпадает ни с одним документом, и docgen этот шаблон не "
            f"использует; имена шаблонов: {recognised_names()}", "name", Severity.WARNING)
    from docgen.errors import TemplateError
    from docgen.templating.package import check_template_package

    try:
        check_template_package(path)
    except TemplateError as exc:
        add("файл " + exc.message.removeprefix(f"шаблон «{path.name}» "), "too-large")
        return result
    try:
        parts = _parts(path)
    except Exception:  # python-docx raises many types for a damaged or foreign file
        add("файл не открывается как документ Word (.docx); откройте его в Word и сохраните "
            "заново как «Документ Word (*.docx)»", "unreadable")
        return result
    doc_id = result.document or "*"
    what = (f"документе «{fields.title(result.document)}»" if result.document
            else "документах docgen")
    context = _Context(doc_id, fields.paths(doc_id), what,
                       (kinds or {}).get(doc_id, {}) if result.document else {})
    for part, xml in parts:
        for paragraph, message, code, severity in paragraph_problems(xml):
            add(message, code, severity, paragraph, part)
        raw_errors = any(p.is_error and p.part == part for p in result.problems)
        for paragraph, message, code in _jinja_problems(xml, context, raw_errors):
            severity = Severity.WARNING if code in _WARNINGS else Severity.ERROR
            add(message, code, severity, paragraph, part)
    return result


def _parts(path: Path) -> list[tuple[str | None, str]]:
    """(label, XML) of the parts docxtpl renders: the text, then headers and footers."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts: list[tuple[str | None, str]] = [(None, tpl.get_xml())]
    for uri, label in ((DocxTemplate.HEADER_URI, "верхний колонтитул"),
                       (DocxTemplate.FOOTER_URI, "нижний колонтитул")):
        for _key, part in tpl.get_headers_footers(uri):
            parts.append((label, tpl.get_part_xml(part)))
    return parts


# --- paragraphs as Word keeps them ---------------------------------------------------


def _text(element: Any) -> str:
    """The text of a paragraph, row or cell, without the text of paragraphs nested in it."""
    texts = []
    for t in element.iter(f"{_W}t"):
        owner = next(t.iterancestors(f"{_W}p"), None)
        if owner is element or element.tag != f"{_W}p":
            texts.append(t.text or "")
    return "".join(texts)


def _short(text: str, width: int = 60) -> str:
    from docgen.text import excerpt

    return excerpt(" ".join(text.split()), None, width)


def paragraph_problems(xml: str) -> list[tuple[str, str, str, Severity]]:
    """(paragraph, message, code, severity) of mistakes in a part's XML as Word stores it.

    docxtpl's patch_xml silently glues a tag split across paragraphs or cells and
    drops text beside a ``{%p``/``{%tr`` tag, so these can only be seen before it
    runs; rendering could refuse a template with them too.
    """
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    problems: list[tuple[str, str, str, Severity]] = []
    paragraphs = list(root.iter(f"{_W}p"))
    texts = [_text(p) for p in paragraphs]
    if root.find(f".//{_W}del") is not None or root.find(f".//{_W}ins") is not None:
        problems.append(("", "в шаблоне есть исправления в режиме рецензирования — примите или "
                             "отклоните их (вкладка «Рецензирование»): docgen видит и удалённый "
                             "текст", "revisions", Severity.WARNING))
    opened: tuple[str, int, int] | None = None  # (delimiter, paragraph, position)

    def unclosed(opened: tuple[str, int, int], end: int | None = None) -> None:
        token, i, start = opened
        problems.append((_short(texts[i]), (
            f"тег «{_short(texts[i][start:end], 30)}» не закрыт: нет «{_PAIRS[token]}» — "
            f"допишите его в том же абзаце"), "unclosed", Severity.ERROR))

    for i, text in enumerate(texts):
        for m in _DELIMITERS.finditer(text):
            token = m.group()
            if token in _PAIRS:
                if opened is not None:  # a tag starts before the last one is closed
                    unclosed(opened, m.start() if opened[1] == i else None)
                opened = (token, i, m.start())
            elif opened is None:
                problems.append((_short(text), f"лишние «{token}» без открывающих "
                                 f"«{'{' + token[0] if token != '}}' else '{{'}»: в документе "
                                 f"они будут напечатаны как есть", "stray", Severity.WARNING))
            elif token == _PAIRS[opened[0]]:
                if opened[1] != i:
                    start = texts[opened[1]][opened[2]:]
                    problems.append((_short(texts[opened[1]]), (
                        f"тег «{_short(start, 30)}» начинается в этом абзаце, а заканчивается "
                        f"в другом («{_short(text[:m.end()], 30)}»): Word разделил его на абзацы "
                        f"или ячейки таблицы (или внутри тега нажат Enter); docxtpl склеит их, и "
                        f"текст и оформление нарушатся — напишите тег целиком в одном абзаце"),
                        "split", Severity.ERROR))
                opened = None
            else:  # «{{ x %}»
                unclosed(opened, m.end() if opened[1] == i else None)
                opened = None
        for tag in _TAG.findall(text):
            if any(q in tag for q in WORD_QUOTES):
                problems.append((_short(text), (
                    f"в теге «{_short(tag, 40)}» кавычки-ёлочки: внутри тегов пишите прямые "
                    f"кавычки '…' или \"…\" (Word заменяет их при вводе; отмените замену "
                    f"Ctrl+Z сразу после ввода кавычки)"), "quotes", Severity.ERROR))
        problems += _whole_element_tag(text, "p", "абзаце", "весь абзац")
    if opened is not None:
        unclosed(opened)
    for paragraph, text in zip(paragraphs, texts, strict=True):
        for y, where in (("tr", "строку"), ("tc", "ячейку")):
            m = re.search(r"(\{%|\{\{)" + y + r" [^}%]*(%\}|\}\})?", text)
            if m and next(paragraph.iterancestors(f"{_W}{y}"), None) is None:
                problems.append((_short(text), (
                    f"тег «{_short(m.group(), 40)}» стоит не в таблице: {{%{y} … %}} "
                    f"повторяет или убирает {where} таблицы; для абзацев пишите {{%p … %}}"),
                    "outside-table", Severity.ERROR))
    for row in root.iter(f"{_W}tr"):
        problems += _whole_element_tag(_text(row), "tr", "строке таблицы", "всю строку")
    for cell in root.iter(f"{_W}tc"):
        problems += _whole_element_tag(_text(cell), "tc", "ячейке", "всю ячейку")
    return problems


def _whole_element_tag(text: str, y: str, where: str, what: str,
                       ) -> list[tuple[str, str, str, Severity]]:
    """A ``{%p``/``{%tr``/``{%tc`` tag's paragraph, row or cell that holds other text too.

    docxtpl replaces the whole element with the tag (its regex in patch_xml), so
    the other text would silently vanish from the document.
    """
    m = re.search(r"(\{%|\{\{)" + y + r" ([^}%]*(?:%\}|\}\}))", text)
    if not m:
        return []
    rest = (text[:m.start()] + text[m.end():]).strip()
    if not rest:
        return []
    tag = _short(m.group(), 40)
    again = re.search(r"(\{%|\{\{)" + y + " ", rest)
    if again:
        message = (f"в одном {where} два тега {{%{y} … %}} («{tag}» и ещё один): docxtpl "
                   f"оставит только один из них — каждому тегу {{%{y} … %}} нужен свой "
                   f"{'абзац' if y == 'p' else where}")
    else:
        message = (f"в {where} с тегом «{tag}» есть и другой текст («{_short(rest, 40)}»): "
                   f"docxtpl заменяет тегом {what}, и этот текст пропадёт — оставьте тег "
                   f"{{%{y} … %}} одного, а текст перенесите")
    return [(_short(text), message, "whole-" + y, Severity.ERROR)]


# --- Jinja's view -------------------------------------------------------------------


@dataclass
class _Context:
    """The documented variables of the document a template is for."""

    doc_id: str
    paths: dict[str, str]
    what: str  # «документе «протокол заседания»»
    kinds: dict[str, str] = field(default_factory=dict)  # path → «text», «number», «date»
    containers: set[str] = field(init=False)
    lists: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.containers = {p.rsplit(".", 1)[0] for p in self.paths if "." in p}
        self.lists = {c[:-2] for c in self.containers if c.endswith("[]")}

    def kind(self, path: str) -> str | None:
        """What a documented field holds, where it is known: the catalogue's date mark
        first, then what the example contexts hold."""
        from docgen.templating.fields import is_date_field

        if path in self.paths and is_date_field(self.paths[path]):
            return "date"
        if path in self.containers or path in self.lists:
            return None
        return self.kinds.get(path)


def _jinja_problems(xml: str, context: _Context, raw_errors: bool,
                    ) -> list[tuple[str, str, str]]:
    """Syntax, variables, fields, filters and forbidden things, as Jinja parses the part.

    With ``raw_errors`` (a split tag, a tag beside other text…) a syntax error is
    left out: docxtpl's patching of those is what Jinja would stumble on.
    """
    import jinja2
    from docxtpl import DocxTemplate
    from jinja2 import meta

    from docgen.templating.explain import describe_error
    from docgen.templating.sandbox import environment

    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(None, xml))  # type: ignore[arg-type]
    env = environment()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        if raw_errors:
            return []  # the paragraph checks named the cause; Jinja's error follows from it
        paragraph, message = describe_error(exc)
        return [(paragraph or "", message, "syntax")]
    try:
        undeclared: set[str] | None = meta.find_undeclared_variables(tree)
    except jinja2.TemplateError:  # it compiles the tree, and an unknown filter stops that
        undeclared = None  # the walker's own scopes decide alone; it reports the filter
    walker = _Walker(env, context, source.splitlines(), undeclared)
    walker.visit_all(tree.body, {})
    return walker.problems


class _Walker:
    """Walks a template's syntax tree, following loop variables to their documented lists."""

    def __init__(self, env: Any, context: _Context, lines: list[str],
                 undeclared: set[str] | None) -> None:
        self.env = env
        self.context = context
        self.lines = lines
        self.undeclared = undeclared
        self.problems: list[tuple[str, str, str]] = []

    # reporting

    def report(self, node: Any, message: str, code: str, needle: str | None = None) -> None:
        from docgen.templating.sandbox import paragraph_text
        from docgen.text import excerpt

        pattern = re.escape(needle) if needle else None
        text = paragraph_text(self.lines, getattr(node, "lineno", 0) or 0, pattern)
        problem = (excerpt(text, pattern, 70), message, code)
        if problem not in self.problems:
            self.problems.append(problem)

    def unknown_variable(self, node: Any) -> None:
        from docgen.kinds import DOCUMENTS
        from docgen.templating import fields
        from docgen.templating.explain import did_you_mean

        name = node.name
        roots = {p for p in self.context.paths if "." not in p}
        elsewhere = [d for d in DOCUMENTS if name in fields.roots(d)]
        if elsewhere and self.context.doc_id != "*":
            where = ", ".join(f"«{fields.title(d)}»" for d in elsewhere)
            message = (f"переменной «{name}» нет в {self.context.what}: она есть только в "
                       f"{'документе' if len(elsewhere) == 1 else 'документах'} {where}")
        else:
            hint = did_you_mean(name, sorted(roots))
            command = ("docgen fields" if self.context.doc_id == "*"
                       else f"docgen fields {self.context.doc_id}")
            message = (f"неизвестная переменная «{name}»{hint} (какие переменные есть в "
                       f"{self.context.what}, показывает команда {command})")
        self.report(node, message, "unknown-variable", name)

    # resolving names to documented paths

    def resolve(self, expr: Any, scope: dict[str, str | None]) -> str | None:
        """The documented path an expression stands for (``members[]``), or None if unknown."""
        from jinja2 import nodes

        if isinstance(expr, nodes.Name):
            if expr.ctx != "load":
                return None
            if expr.name in scope:
                return scope[expr.name]
            if expr.name in self.context.paths:
                return expr.name
            if (self.undeclared is None or expr.name in self.undeclared) \
                    and expr.name not in self.env.globals:
                self.unknown_variable(expr)
            return None
        if isinstance(expr, nodes.Getattr):
            return self.child(expr, self.resolve(expr.node, scope), expr.attr)
        if isinstance(expr, nodes.Getitem):
            base = self.resolve(expr.node, scope)
            if isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str):
                return self.child(expr, base, expr.arg.value)
            self.visit(expr.arg, scope)
            return f"{base}[]" if base in self.context.lists else None
        if isinstance(expr, nodes.Filter):
            base = self.filter(expr, scope)
            return base if expr.name in _SAME_ITEMS and base in self.context.lists else None
        self.visit(expr, scope)
        return None

    def child(self, node: Any, base: str | None, attr: str) -> str | None:
        from docgen.templating.explain import did_you_mean
        from docgen.templating.sandbox import refused_attribute

        if attr.startswith("_"):
            if not _refused_inside(node.node):  # «''.__class__.__mro__»: one refusal
                self.report(node, refused_attribute(attr), "unsafe", attr)
            return None
        if base is None:
            return None
        path = f"{base}.{attr}"
        if path in self.context.paths:
            return path
        item = _written(node.node)
        written = f"{item}.{attr}"
        if base in self.context.lists:
            self.report(node, (f"«{item}» — это список: поля его элементов выводите в цикле, "
                               f"например {{% for x in {item} %}}{{{{ x.{attr} }}}}{{% endfor %}}"),
                        "list-field", attr)
        elif base in self.context.containers:
            keys = sorted({p[len(base) + 1:].split(".")[0].removesuffix("[]")
                           for p in self.context.paths if p.startswith(f"{base}.")})
            self.report(node, f"нет поля «{written}»{did_you_mean(attr, keys, item + '.')}",
                        "unknown-field", attr)
        return None  # a field of a text or a date: Python's, not the catalogue's

    def filter(self, node: Any, scope: dict[str, str | None]) -> str | None:
        from jinja2 import nodes

        from docgen.templating.explain import unknown_filter
        from docgen.templating.sandbox import refused_attribute

        if node.name not in self.env.filters:
            self.report(node, unknown_filter(node.name), "unknown-filter", node.name)
        first = node.args[0] if node.args else None
        if node.name == "attr" and isinstance(first, nodes.Const) \
                and str(first.value).startswith("_"):
            self.report(node, refused_attribute(str(first.value)), "unsafe", str(first.value))
        if node.name == "count" and len(node.args) == 3:
            self.report(node, ("фильтр count(…) со словами переименован в quantity(…): пишите "
                               "|quantity('участник', 'участника', 'участников'); старое имя "
                               "пока работает, но |count без слов — это число элементов, как "
                               "в Jinja"), "deprecated", "count")
        base = self.resolve(node.node, scope) if node.node is not None else None
        if base is not None:
            self.misapplied(node, base)
        self.visit_all([*node.args, *node.kwargs], scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.visit(extra, scope)
        return base

    def misapplied(self, node: Any, base: str) -> None:
        """``|date`` on a text or a number, ``|quantity`` on a text or a date: the render
        would fail (or print nonsense) in every document."""
        kind = self.context.kind(base)
        wants = _FILTER_WANTS.get(node.name)
        if kind is None or wants is None or kind == wants[0]:
            return
        what, example = wants[1], wants[2]
        held = {"text": "текст", "number": "число", "date": "дата"}[kind]
        written = _written(node.node)
        self.report(node, (f"фильтр |{node.name} — для {what}, а «{written}» — {held}: уберите "
                           f"|{node.name} или примените его к полю, где {example} (поля и что "
                           f"в них, показывает команда docgen fields {self.context.doc_id})"),
                    "misapplied-filter", node.name)

    # walking

    def visit_all(self, items: list[Any], scope: dict[str, str | None]) -> None:
        for item in items:
            self.visit(item, scope)

    def bind(self, target: Any, path: str | None, scope: dict[str, str | None]) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            scope[target.name] = path
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = None

    def visit(self, node: Any, scope: dict[str, str | None]) -> None:
        from jinja2 import nodes

        from docgen.templating.sandbox import refused_file

        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
        elif isinstance(node, (nodes.Const, nodes.Pow)) and _huge(node) is not None:
            self.report(node, (f"слишком большое число {_huge(node)} в шаблоне: такие ширины, "
                               f"повторения и циклы docgen не выполняет (больше {HUGE_NUMBER:,} "
                               f"— предел проверки; при формировании действуют пределы на "
                               f"длину значения и число повторений)").replace(",", "\u00a0"),
                        "huge")
        elif isinstance(node, nodes.Filter):
            self.filter(node, scope)
        elif isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self.report(node, f"неизвестная проверка «is {node.name}»", "unknown-test",
                            node.name)
            self.resolve(node.node, scope)
            self.visit_all([*node.args, *node.kwargs], scope)
        elif isinstance(node, nodes.For):
            items = self.resolve(node.iter, scope)
            inner = dict(scope)
            self.bind(node.target, f"{items}[]" if items in self.context.lists else None, inner)
            inner["loop"] = None
            if node.test is not None:
                self.visit(node.test, inner)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            value = self.resolve(node.node, scope)
            self.bind(node.target, value, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.visit_all(node.body, dict(scope))
            self.bind(node.target, None, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self.bind(target, self.resolve(value, scope), inner)
            self.visit_all(node.body, inner)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                self.bind(arg, None, inner)
            inner["caller"] = None
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, scope)
            else:
                scope[node.name] = None
            self.visit_all(node.defaults, scope)
            self.visit_all(node.body, inner)
        elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            name = node.template.value if isinstance(node.template, nodes.Const) else "…"
            self.report(node, refused_file(str(name)), "file", str(name))
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)


def _huge(node: Any) -> str | None:
    """A literal number (or ``10**9``) above HUGE_NUMBER, as written; else None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Const):
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and abs(value) > HUGE_NUMBER:
            return str(value)
        return None
    if isinstance(node, nodes.Pow) and isinstance(node.left, nodes.Const) \
            and isinstance(node.right, nodes.Const):
        base, power = node.left.value, node.right.value
        if isinstance(base, int) and isinstance(power, int) and 0 <= power <= 100 \
                and abs(base) > 1 and abs(base) ** power > HUGE_NUMBER:
            return f"{base}**{power}"
    return None


def _written(node: Any) -> str:
    """An expression as the author wrote it, for messages: ``m.ful``, ``group['x'].y``."""
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = repr(node.arg.value) if isinstance(node.arg, nodes.Const) else "…"
        return f"{_written(node.node)}[{arg}]"
    return "…"


def _refused_inside(node: Any) -> bool:
    """Whether an attribute chain already reaches for a «_name» the sandbox refuses."""
    from jinja2 import nodes

    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", "")
        if isinstance(attr, str) and attr.startswith("_"):
            return True
        node = node.node
    return False
