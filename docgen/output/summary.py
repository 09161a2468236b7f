"""The centre's year: «Сводный отчёт» and «Сводная таблица.xlsx» over all groups of a year.

A «Сводный отчёт» speaks for one методическая служба (the workbooks'
«Методическая служба»): titled with its name, signed by its head, dated, and
closed by the service's own conclusions («Выводы методической службы»). A year
folder whose groups belong to several services gets one per service, each
named after it; «Сводная таблица.xlsx» lists every group of the folder.

Each group's build records its annual report's figures in its folder's
manifest (``figures``); the summary is made from all group folders of the year
folder, like the registry, so building one group after another or the whole
centre at once gives the same summary. The figures are the annual reports'
own (``report.report_context``): the summary and the groups' reports agree by
construction, and a test checks that they do.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from docgen.output.folders import MANIFEST, GroupFolder, Manifest
from docgen.output.registry import row_height
from docgen.text import xml_escape
from docgen.workbook.model import Group

_STYLE = re.compile(r'<w:style\b[^>]*?w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]+)"')
FIGURES = "figures"  # the key of a group's figures in its manifest's «group»
REPORT = "Сводный отчёт за {year} учебный год — {service}"  # + «.docx»
KIND_NAME = "Сводный отчёт"  # the document's one name: file, title, registry, messages
SUMMARY_NAME = 100  # characters of its file name: the service's name whole (output.MAX_NAME is 75)
TABLE = "Сводная таблица.xlsx"
NO_PRODUCT_KIND = "вид не указан"
MIN_GROUPS = 2  # a year folder of one group: its annual report is the whole story
CONCLUSION_LINES = 4  # lines to write the service's conclusions by hand when none are given


# --- one group's figures, recorded when it is built -----------------------------------


# The sheets of «Сводная таблица.xlsx», named in the README.
TABLE_SHEETS = ("Группы", "По видам", "Диаграммы")

def group_figures(group: Group, report: dict[str, Any]) -> dict[str, Any]:
    """What the summary needs of one group: its annual report's figures, and who signs."""
    from docgen.content.documents import group_folder, service_full, title_view
    from docgen.language.russian import initials
    from docgen.text import norm

    rules = group.kind.rules
    held = [m.date for m in group.meetings if m.held]
    minimum = rules.min_meetings
    missing: list[str] = []
    if rules.terms_for(group.level):
        due, missed = rules.missed_terms(group.level, group.start, group.end, held)
        minimum = max(minimum, len(due))
        missing = [t.name for t in missed]
    organizations: dict[str, str] = {}
    for member in group.members:
        organizations.setdefault(norm(member.organization), member.organization)
    products = Counter(p.kind or NO_PRODUCT_KIND for p in group.products)
    return {
        "name": group.name,
        "title": group_folder(group)[1],
        "kind": group.kind.name,
        "kind_id": group.kind.id,
        "year": group.year,
        "members": len(group.members),
        "organizations": sorted(organizations.values(), key=str.casefold),
        # the состав at the year's end (the report's «входят 8 … (в течение года – 9)»)
        "members_end": len(group.members_on(group.end)),
        "organizations_end": sorted({norm(m.organization): m.organization
                                     for m in group.members_on(group.end)}.values(),
                                    key=str.casefold),
        "meetings_planned": report["meetings_planned"],
        "meetings_held": report["meetings_held"],
        "meetings_minimum": minimum,
        "short": bool((minimum and report["meetings_held"] < minimum) or missing),
        "missed_terms": missing,
        "events": len(report["events"]),
        "events_participants": report["events_participants"],
        "products": dict(sorted(products.items())),
        "problems": [line.strip() for line in (group.problems or "").splitlines()
                     if line.strip()],
        "proposals": [line.strip() for line in (group.proposals or "").splitlines()
                      if line.strip()],
        "service": group.service,
        "service_full": service_full(group),  # as the group's orders print it
        "conclusions": [line.strip() for line in (group.service_conclusions or "").splitlines()
                        if line.strip()],
        "signer_title": title_view(group.service_head_position, group.service)["nom"],
        "signer": initials(group.service_head),
        "authority": group.authority or "",
    }


def figures_json(group: Group, report: dict[str, Any] | None = None) -> str:
    """The figures as the manifest keeps them: one stable JSON text."""
    if report is None:
        from docgen.content.report import report_context

        report = report_context(group)
    return json.dumps(group_figures(group, report), ensure_ascii=False, sort_keys=True)


# --- the year --------------------------------------------------------------------------


def year_figures(year: Path) -> list[dict[str, Any]]:
    """Every group folder's figures in the year folder, in the order of the folders' names."""
    found = []
    folders = sorted((p for p in year.iterdir() if (p / MANIFEST).is_file()),
                     key=lambda p: p.name.casefold())
    for folder in folders:
        text = Manifest.read(folder).group.get(FIGURES)
        if not text:
            continue
        try:
            figures = json.loads(text)
        except ValueError:
            continue
        if isinstance(figures, dict) and "meetings_held" in figures:
            found.append(figures)
    return found


def by_service(groups: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The groups of each методическая служба (as its name is written, case and spaces
    aside), the services in alphabetical order: a summary speaks for one service."""
    from docgen.text import norm

    services: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for g in groups:
        key = norm(str(g.get("service") or ""))
        services.setdefault(key, []).append(g)
        names.setdefault(key, str(g.get("service") or ""))
    return [(names[key], services[key])
            for key in sorted(services, key=lambda k: names[k].casefold())]


def report_name(year: str, service: str) -> str:
    """«Сводный отчёт за 2025-2026 учебный год — МАУ ИМЦ «Альтернатива».docx»."""
    from docgen.runtime.files import safe_name

    name = REPORT.format(year=year.replace("/", "-"), service=service or "без службы")
    return safe_name(name, SUMMARY_NAME) + ".docx"


def conclusions(groups: list[dict[str, Any]]) -> list[str]:
    """The service's conclusions from its groups' workbooks, each text once, in order."""
    from docgen.text import norm

    seen: dict[str, str] = {}
    for g in groups:
        for line in g.get("conclusions") or []:
            seen.setdefault(norm(line), line)
    return list(seen.values())


def _members_end(g: dict[str, Any]) -> Any:
    """The group's состав at the year's end (figures kept before it was counted: the year's),
    what its report's «входят 8 …» and every table of the summary count."""
    return g.get("members_end", g["members"])  # a number as kept (a hand edit: as typed)


def _organizations_end(g: dict[str, Any]) -> list[str]:
    """The organisations of the year's-end состав (older figures: the year's)."""
    return list(g.get("organizations_end", g["organizations"]))


def totals(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The year's figures: sums over the groups, kinds in the profiles' order."""
    from docgen.kinds import all_kinds
    from docgen.text import norm

    order = [k.name for k in all_kinds()]
    kinds = Counter(g["kind"] for g in groups)
    by_kind = sorted(kinds.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                     else len(order), kv[0]))
    reached: dict[str, str] = {}
    reached_end: set[str] = set()
    for g in groups:
        for name in g["organizations"]:
            reached.setdefault(norm(name), name)
        # figures kept before the year's-end состав was counted: the year's
        reached_end.update(norm(n) for n in _organizations_end(g))
    products: Counter[str] = Counter()
    for g in groups:
        products.update(g["products"])
    signers = Counter((g["signer_title"], g["signer"]) for g in groups)
    signer = max(signers.items(), key=lambda kv: kv[1])[0] if signers else ("", "")
    return {
        "year": groups[0]["year"] if groups else "",
        "groups": len(groups),
        "by_kind": by_kind,
        "members": sum(g["members"] for g in groups),
        "organizations": len(reached),
        "members_end": sum(_members_end(g) for g in groups),
        "organizations_end": len(reached_end),
        "meetings_planned": sum(g["meetings_planned"] for g in groups),
        "meetings_held": sum(g["meetings_held"] for g in groups),
        "short": [g for g in groups if g["short"]],
        "events": sum(g["events"] for g in groups),
        "events_participants": sum(g["events_participants"] for g in groups),
        "products": sorted(products.items(), key=lambda kv: (-kv[1], kv[0])),
        "products_total": sum(products.values()),
        "signer_title": signer[0],
        "signer": signer[1],
    }


def _charts(groups: list[dict[str, Any]], sums: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from docgen.content.charts import chart_view

    return {
        "kinds": chart_view(1, "Объединения педагогов по видам",
                            [k for k, _ in sums["by_kind"]], [n for _, n in sums["by_kind"]],
                            "Объединений", horizontal=True),
        "meetings": chart_view(2, "Проведённые заседания и минимум по положению",
                               [g["name"] for g in groups], [g["meetings_held"] for g in groups],
                               "Проведено заседаний", [g["meetings_minimum"] for g in groups],
                               "Минимум по положению"),
    }


# --- the report (.docx) ------------------------------------------------------------------

BODY, PLAIN, TITLE, SECTION = "Текст документа", "Реквизит", "Заголовок документа", \
    "Заголовок раздела"
CELL, CELL_HEAD = "Текст таблицы", "Заголовок таблицы"


class _Writer:
    """The built-in annual report's page, styles, header and footer, with a new body.

    Starting from the built-in template keeps the summary in the layout of every
    other document (ГОСТ margins, fonts, page numbers), whatever that layout
    becomes. The body is written as WordprocessingML text and parsed once:
    python-docx's object model costs ~1 ms a table cell, and a centre has
    hundreds of groups. A chart goes in as a template's picture does
    (``templating.PicturePackage``): python-docx's drawing, numbered as it
    numbers them, its media and relationships written by ``save`` in its one zip.
    """

    def __init__(self) -> None:
        from docgen.templating import builtin_templates

        self.path = builtin_templates() / "annual_report.docx"
        self.template = self.path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(self.template)) as package:
            self.infos = package.infolist()
            self.document = package.read("word/document.xml").decode("utf-8")
            self.core = package.read("docProps/core.xml").decode("utf-8")
            styles = package.read("word/styles.xml").decode("utf-8")
        ids = {name: style_id for style_id, name in _STYLE.findall(styles)}
        self.style = {name: ids.get(name, "")
                      for name in (BODY, PLAIN, TITLE, SECTION, CELL, CELL_HEAD)}
        self.grid = ids.get("Table Grid", "")
        self.xml: list[str] = []
        # document.xml as the part of the charts' pictures (drawing.Story), from the first
        self.story: Any = None

    def _para(self, text: str, style: str, *, align: str | None = None,
              keep_next: bool = False, space_before: float = 0, bold: bool = False,
              no_hyphens: bool = False, run: str = "") -> str:
        props = f'<w:pStyle w:val="{self.style[style]}"/>' if self.style[style] else ""
        if keep_next:
            props += "<w:keepNext/>"
        if no_hyphens:  # a group's or a service's name: «Маленькие инже-/неры» never
            props += "<w:suppressAutoHyphens/>"
        if space_before:
            props += f'<w:spacing w:before="{round(space_before * 20)}"/>'
        if align:
            props += f'<w:jc w:val="{align}"/>'
        if text:
            run = (f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}'
                   f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>')
        return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"

    def p(self, text: str, style: str = BODY, **kw: Any) -> None:
        self.xml.append(self._para(text, style, **kw))

    def _table(self, lines: list[list[Any]], widths: list[float], *, grid: bool,
               header: bool, total: bool, aligns: list[str | None]) -> str:
        twips = [round(w / 2.54 * 1440) for w in widths]
        props = (f'<w:tblStyle w:val="{self.grid}"/>' if grid and self.grid else "")
        props += f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
        if not grid:
            props += ("<w:tblBorders>" + "".join(
                f'<w:{side} w:val="nil"/>' for side in
                ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>")
        props += '<w:tblLayout w:type="fixed"/>'
        rows = []
        for r, values in enumerate(lines):
            head = header and r == 0
            bold = total and r == len(lines) - 1
            # the last item's row goes over a page break with «Всего», never «Всего» alone
            keep = total and not head and r == len(lines) - 2
            cells = []
            for c, value in enumerate(values):
                text = "" if value is None else str(value)
                align = "center" if (not head and c and isinstance(value, int)) else aligns[c]
                style = CELL_HEAD if head else (CELL if grid else PLAIN)
                para = self._para(text, style, align=align, bold=bold, keep_next=keep,
                                  no_hyphens=c == 0 and not head)
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/></w:tcPr>'
                             f"{para}</w:tc>")
            trpr = ("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if head
                    else "<w:trPr><w:cantSplit/></w:trPr>" if grid else "")
            rows.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
        grid_cols = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
        return (f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>"
                f"{''.join(rows)}</w:tbl>")

    def table(self, headers: list[str], rows: list[list[Any]], widths: list[float],
              total: list[Any] | None = None) -> None:
        lines = [headers, *rows, *([total] if total else [])]
        self.xml.append(self._table(lines, widths, grid=True, header=True,
                                    total=total is not None, aligns=[None] * len(widths)))

    def chart(self, chart: dict[str, Any]) -> None:
        """The chart's picture 16 cm wide, centred, kept with its caption below it.

        Its drawing is python-docx's (``new_pic_inline``), its caption its
        description for a reader that does not see it.
        """
        from docx.shared import Cm
        from lxml import etree

        from docgen.content.charts import WIDTH_CM, picture

        if self.story is None:
            from docgen.templating import PicturePackage, compiled

            body = (template := compiled(self.path)).body  # its rels and next shape id
            self.story = PicturePackage(list(template.images)).story(
                body.member, body.next_id, body.rels)
        inline = self.story.new_pic_inline(io.BytesIO(picture(chart)), Cm(WIDTH_CM))
        inline.docPr.set("descr", chart["caption"])
        self.story.next_id += 1  # as python-docx's next_id, which counts the picture put in
        drawing = etree.tostring(inline, encoding="unicode")  # (``inline.xml`` is indented)
        self.xml.append(self._para("", PLAIN, align="center", keep_next=True, space_before=6,
                                   run=f"<w:r><w:drawing>{drawing}</w:drawing></w:r>"))
        self.p(chart["caption"], PLAIN, align="center")

    def signature(self, title: str, name: str) -> None:
        from docgen.language.typography import whole_names

        self.p("", PLAIN, space_before=24, keep_next=True)
        # «Директор МБУ «Информационно-методический центр»»: never broken at its hyphen
        # and a column wide enough for it on one line below «Директор МБУ»
        self.xml.append(self._table([[whole_names(title), "", name]], [10.0, 3.0, 4.0],
                                    grid=False, header=False, total=False,
                                    aligns=[None, None, "right"]))

    def save(self, when: dt.datetime) -> bytes:
        """The template's package with this body and its charts' media, relationships and
        content types; its page, styles and headers as they are."""
        from docgen.templating import package_changes, rezip

        start = self.document.index(">", self.document.index("<w:body")) + 1
        end = self.document.rindex("<w:sectPr")
        document = self.document[:start] + "".join(self.xml) + self.document[end:]
        core = re.sub(r"<dc:title>[^<]*</dc:title>", "<dc:title>Сводный отчёт</dc:title>",
                      self.core)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")  # fixed: the school year's start
        core = re.sub(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                      lambda m: m.group(1) + stamp + m.group(3), core)
        changed = {"word/document.xml": document.encode(), "docProps/core.xml": core.encode()}
        if self.story is not None:
            with zipfile.ZipFile(io.BytesIO(self.template)) as package:
                names = set(package.namelist())
                changed |= package_changes(
                    self.story.package, lambda name: package.read(name) if name in names else None)
        return rezip(self.template, self.infos, changed)


def _groups_word(n: int) -> str:
    from docgen.language.russian import count

    return count(n, "объединение", "объединения", "объединений")


def report_bytes(groups: list[dict[str, Any]], when: dt.datetime) -> bytes:
    """«Сводный отчёт»: the year's figures in sentences, tables and two charts."""
    from docgen.content.report import EVENTS
    from docgen.language.russian import MEMBERS, count, plural
    from docgen.language.typography import keep_last_words, nest_quotes

    sums = totals(groups)
    # a chart of one bar says nothing the table does not: a service of one group has none
    charts = _charts(groups, sums) if len(groups) > 1 else {}
    service = str(groups[0].get("service") or "")
    full = next((str(g["service_full"]) for g in groups if g.get("service_full")), "")
    w = _Writer()
    # the service's name as its letterhead gives it: the full one, the short in brackets
    if full:  # «… центр «Альтернатива»» as typed: the inner quotes are „…“
        w.p(keep_last_words(nest_quotes(full)), PLAIN, align="center")
    if service and (not full or service not in full):
        w.p(f"({service})" if full else service, PLAIN, align="center")
    w.p(KIND_NAME.upper(), TITLE, space_before=12 if service or full else 0)
    w.p("о деятельности объединений педагогов", TITLE)
    w.p(f"за {sums['year']} учебный год", TITLE)
    w.p(f"Сведения приведены по отчётам объединений педагогов{' ' + service if service else ''}"
        f" за {sums['year']} учебный год.")

    w.p("1. Объединения педагогов", SECTION)
    verb = plural(sums["groups"], "работало", "работали", "работали")
    w.p(f"В {sums['year']} учебном году {verb} {_groups_word(sums['groups'])}.")
    w.table(["Вид объединения", "Количество"], [[k, n] for k, n in sums["by_kind"]],
            [13.0, 4.0], ["Всего", sums["groups"]])
    if charts:
        w.chart(charts["kinds"])

    w.p("2. Участники и организации", SECTION)
    # the состав at the year's end, and over the year where members left (as the reports)
    members, orgs_end = sums["members_end"], sums["organizations_end"]
    over_year = (f" (в течение года – {sums['members']})" if sums["members"] != members
                 else "")
    if len(groups) > 1:
        during = f"в течение года – {sums['members']}; " if over_year else ""
        w.p(f"В состав объединений входят {count(members, *MEMBERS)}"
            f" ({during}педагог, работающий в нескольких объединениях, учтён в каждом) из "
            f"{count(orgs_end, 'организации', 'организаций', 'организаций')}: "
            f"столько организаций охватила сеть объединений.")
    else:  # one group: no network of groups to speak of, nobody counted twice
        verb = plural(members, "входит", "входят", "входят")
        w.p(f"В состав объединения {verb} {count(members, *MEMBERS)} из "
            f"{count(orgs_end, 'организации', 'организаций', 'организаций')}{over_year}.")
    w.table(["Объединение", "Участников", "Организаций"],
            [[g["title"], _members_end(g), len(_organizations_end(g))] for g in groups],
            [10.0, 3.0, 4.0], ["Всего", members, f"{orgs_end} (без повторов)"])

    w.p("3. Заседания", SECTION)
    w.p(f"Запланировано {count(sums['meetings_planned'], 'заседание', 'заседания', 'заседаний')}"
        f", проведено {count(sums['meetings_held'], 'заседание', 'заседания', 'заседаний')}.")
    w.table(["Объединение", "Запланировано", "Проведено", "Минимум по положению"],
            [[g["title"], g["meetings_planned"], g["meetings_held"],
              g["meetings_minimum"] or "не задан"] for g in groups],
            [7.6, 3.4, 2.8, 3.2],
            ["Всего", sums["meetings_planned"], sums["meetings_held"], ""])
    if charts:
        w.chart(charts["meetings"])
    if sums["short"]:
        w.p("Требование положения о заседаниях не выполнили:", keep_next=True)
        for n, g in enumerate(sums["short"], start=1):
            why = (f"проведено {g['meetings_held']} при минимуме {g['meetings_minimum']}"
                   if g["meetings_held"] < g["meetings_minimum"] else
                   f"не было заседаний: {'; '.join(g['missed_terms'])}")
            end = "." if n == len(sums["short"]) else ";"
            w.p(f"– {g['title']} ({why}){end}")
    elif not any(g["meetings_minimum"] for g in groups):  # nothing to meet: said so
        w.p("Положение объединения не устанавливает числа заседаний." if len(groups) == 1
            else "Положения этих объединений не устанавливают числа заседаний.")
    elif len(groups) == 1:
        w.p("Требование положения о числе заседаний выполнено.")
    elif all(g["meetings_minimum"] for g in groups):
        w.p("Требование положения о числе заседаний выполнили все объединения.")
    else:
        w.p("Требование положения о числе заседаний выполнили все объединения, для которых "
            "оно установлено.")

    w.p("4. Сетевые мероприятия", SECTION)
    if sums["events"]:
        # a sum over events counts attendances, not people (as the annual reports say)
        w.p(f"Проведено {count(sums['events'], *EVENTS)}; участий в них – "
            f"{sums['events_participants']} (участник нескольких мероприятий учтён в каждом).")
        w.table(["Объединение", "Мероприятий", "Участий"],
                [[g["title"], g["events"], g["events_participants"]] for g in groups],
                [10.0, 3.5, 3.5], ["Всего", sums["events"], sums["events_participants"]])
    else:
        w.p("Сетевые мероприятия в отчётном году не проводились.")

    w.p("5. Продукты деятельности", SECTION)
    if sums["products_total"]:
        w.p(f"Создано {count(sums['products_total'], 'продукт', 'продукта', 'продуктов')} "
            f"методической деятельности.")
        w.table(["Вид продукта", "Количество"], [[k, n] for k, n in sums["products"]],
                [13.0, 4.0], ["Всего", sums["products_total"]])
    else:
        w.p("Продукты деятельности в отчётном году не представлены.")

    w.p("6. Проблемы и предложения объединений", SECTION)
    for g in groups:
        w.p(f"{g['title']}", BODY, keep_next=True, bold=True)
        w.p("Проблемы: " + (" ".join(g["problems"]) or "не названы."))
        w.p("Предложения: " + (" ".join(g["proposals"]) or "не названы."))

    w.p("7. Выводы методической службы", SECTION)
    said = conclusions(groups)
    for line in said:
        w.p(line)
    if not said:  # nobody gave them: lines to write by hand, never invented text
        for _ in range(CONCLUSION_LINES):  # kept with the signature: never a page of it alone
            w.p("_" * 62, PLAIN, space_before=6, keep_next=True)
    w.signature(sums["signer_title"], sums["signer"])
    w.p(f"«____» ____________ {int(sums['year'][5:9]) if sums['year'][5:9].isdigit() else ''} г.",
        PLAIN, space_before=12)
    return w.save(when)


# --- the table (.xlsx) ---------------------------------------------------------------------

TABLE_HEADERS = ("№", "Объединение", "Вид объединения", "Участников", "Организаций",
                 "Заседаний запланировано", "Заседаний проведено", "Минимум по положению",
                 "Требование выполнено", "Сетевых мероприятий", "Участников мероприятий",
                 "Продуктов", "Проблемы", "Предложения")
# narrow enough to print legibly on a landscape A4 (fitted to its width: about 62 %), the
# names and the long texts wrapped, each header on at most two lines
TABLE_WIDTHS = (5, 30, 20, 11, 12, 14, 11, 11, 11, 12, 12, 10, 36, 36)


def table_bytes(groups: list[dict[str, Any]], when: dt.datetime) -> bytes:
    """«Сводная таблица»: a row per group with filters, the kinds, and Excel's own charts.

    Written by XlsxWriter in memory, «created» ``when`` (a rerun gives the same
    bytes). A text Excel cannot hold is an ``OutputError`` naming the group.
    """
    import io

    import xlsxwriter

    from docgen.output.registry import Unwritable, checked, workbook_options

    sums = totals(groups)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, workbook_options())
    try:
        book.set_properties({"title": checked(f"Сводная таблица, {sums['year']} учебный год"),
                             "author": "docgen", "created": when})
        bold = book.add_format({"bold": True})
        _groups_sheet(book, groups, sums, bold)
        _kinds_sheet(book, sums["by_kind"], bold)
        _charts_sheet(book, len(groups), len(sums["by_kind"]))
    except Unwritable as exc:
        raise _unwritable(groups, exc.value) from None
    finally:
        book.close()
    return buffer.getvalue()


_TOTALS = ((4, "members_end"), (5, "organizations_end"), (6, "meetings_planned"),
           (7, "meetings_held"), (10, "events"), (11, "events_participants"),
           (12, "products_total"))
def _unset(minimum: Any) -> bool:
    """A minimum of meetings the kind's regulation does not set (0 in the figures)."""
    return minimum is None or (type(minimum) is int and minimum == 0)


def _write(sheet: Any, row: int, column: int, value: Any, style: Any = None) -> None:
    """One cell of a value from the figures as it came: a text (``checked``), a number,
    True/False, or None (an empty cell, kept when styled). A hand-edited manifest's
    list or object is refused with a ``ValueError``, as it was before."""
    from docgen.output.registry import checked

    if isinstance(value, str) and value:
        sheet.write_string(row, column, checked(value), style)
    elif value is None or value == "":
        sheet.write_blank(row, column, None, style)
    elif type(value) is bool:
        sheet.write_boolean(row, column, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, style)
    else:
        raise ValueError(f"Cannot convert {value!r} to Excel")


def _groups_sheet(book: Any, groups: list[dict[str, Any]], sums: dict[str, Any],
                  bold: Any) -> None:
    """«Группы»: the titles, a row per group, «Всего» a row below the filtered ones."""
    sheet = book.add_worksheet(TABLE_SHEETS[0])
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})  # a row's figures beside its texts' first line
    width = len(TABLE_HEADERS)
    for column, (title, size) in enumerate(zip(TABLE_HEADERS, TABLE_WIDTHS, strict=True)):
        sheet.set_column(column, column, size)
        sheet.write_string(0, column, title, head)
    sheet.set_row(0, row_height(list(zip(TABLE_HEADERS, TABLE_WIDTHS, strict=True))))
    long_widths = TABLE_WIDTHS[-2:]
    for n, g in enumerate(groups, start=1):
        # no minimum in the kind's regulation: the cell stays empty (never a 0 nobody set;
        # the chart then draws no bar) and the requirement is «не задано»
        minimum = None if _unset(g["meetings_minimum"]) else g["meetings_minimum"]
        met = "не задано" if minimum is None else "нет" if g["short"] else "да"
        values = [n, g["name"], g["kind"], _members_end(g), len(_organizations_end(g)),
                  g["meetings_planned"], g["meetings_held"], minimum, met, g["events"],
                  g["events_participants"], sum(g["products"].values())]
        for column, value in enumerate(values):
            _write(sheet, n, column, value, wrap if column in (1, 2) else top)
        problems, proposals = "\n".join(g["problems"]), "\n".join(g["proposals"])
        _write(sheet, n, width - 2, problems or None, wrap)
        _write(sheet, n, width - 1, proposals or None, wrap)
        names = [(v, TABLE_WIDTHS[c]) for c, v in ((1, g["name"]), (2, g["kind"]))
                 if isinstance(v, str)]
        sheet.set_row(n, row_height([*names, (problems, long_widths[0]),
                                     (proposals, long_widths[1])]))
    last = len(groups)  # the last group's row, from 0
    total_row = last + 2  # below the filtered rows, so filtering does not hide it
    _write(sheet, total_row, 1, "Всего", bold)
    for column, key in _TOTALS:
        _write(sheet, total_row, column - 1, sums[key], bold)
    sheet.autofilter(0, 0, last, width - 1)
    sheet.freeze_panes(1, 2)
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # all columns on the page's width


def _kinds_sheet(book: Any, by_kind: list[tuple[Any, int]], bold: Any) -> None:
    """«По видам»: each kind and its number of groups, the first chart's source."""
    sheet = book.add_worksheet(TABLE_SHEETS[1])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 14)
    sheet.write_string(0, 0, "Вид объединения", bold)
    sheet.write_string(0, 1, "Количество", bold)
    for r, (kind, number) in enumerate(by_kind, start=1):
        _write(sheet, r, 0, kind)
        _write(sheet, r, 1, number)


CHART_PAGE_ROWS = 32  # rows of a landscape A4 page: the second chart starts the next page
CHART_SIZE = {"width": 760, "height": 460}  # pixels: within a landscape A4 page at 100 %


# counts on a value axis: 0, 1, 2 …, never 0,2 of a group
COUNT_AXIS = {"min": 0, "major_unit": 1, "num_format": "0"}


def _charts_sheet(book: Any, count: int, kinds: int) -> None:
    """«Диаграммы»: Excel's own bar charts, each on a page of its own when printed.

    Each chart is smaller than a landscape A4 page at 100 % and the second
    starts on a page break, so LibreOffice's PDF never cuts a chart in two
    (the sheet is not fitted to a page: Excel ignores page breaks then).
    """
    sheet = book.add_worksheet(TABLE_SHEETS[2])
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if kinds:
        by_kind = book.add_chart({"type": "bar"})
        by_kind.add_series({"name": [TABLE_SHEETS[1], 0, 1],
                            "categories": [TABLE_SHEETS[1], 1, 0, kinds, 0],
                            "values": [TABLE_SHEETS[1], 1, 1, kinds, 1]})
        by_kind.set_title({"name": "Объединения по видам"})
        by_kind.set_x_axis(COUNT_AXIS)  # a bar chart's value axis: whole groups
        by_kind.set_legend({"none": True})
        by_kind.set_size(CHART_SIZE)
        sheet.insert_chart(0, 0, by_kind)
    if count:
        meetings = book.add_chart({"type": "column"})
        for column in (6, 7):  # «Заседаний проведено», «Минимум по положению»
            meetings.add_series({"name": [TABLE_SHEETS[0], 0, column],
                                 "categories": [TABLE_SHEETS[0], 1, 1, count, 1],
                                 "values": [TABLE_SHEETS[0], 1, column, count, column]})
        meetings.set_title({"name": "Заседания: проведено и минимум по положению"})
        meetings.set_y_axis(COUNT_AXIS)  # a column chart's value axis: whole meetings
        meetings.set_legend({"position": "bottom"})
        meetings.set_size(CHART_SIZE)
        # a row below the break: a chart's frame on it is drawn on the page above
        sheet.insert_chart(CHART_PAGE_ROWS + 1, 0, meetings)
        sheet.set_h_pagebreaks([CHART_PAGE_ROWS])


def _unwritable(groups: list[dict[str, Any]], value: str) -> Exception:
    """The error for a text Excel cannot hold, naming the group whose figures hold it.

    Only a ``.docgen.json`` edited by hand (or damaged) can hold one.
    """
    from docgen.errors import OutputError
    from docgen.output.registry import ILLEGAL
    from docgen.text import visible

    found = ILLEGAL.search(value)
    sign = f"знак U+{ord(found.group()):04X}" if found else "знак"
    holder = next((g for g in groups if value in [
        *(v for v in g.values() if isinstance(v, str)),
        "\n".join(g.get("problems") or []), "\n".join(g.get("proposals") or [])]), None)
    if holder is None and groups and value.startswith("Сводная таблица, "):
        holder = groups[0]  # the table's title holds the first group's year
    if holder is not None:
        return OutputError(
            f"в сведениях группы «{visible(str(holder.get('name', '')))}» (файл .docgen.json её "
            f"папки) есть {sign}, который нельзя записать в Excel: сформируйте документы "
            f"этой группы заново или исправьте этот файл .docgen.json")
    return OutputError(f"в сведениях групп есть {sign}, который нельзя записать в Excel: "
                       f"сформируйте документы групп заново")


def _year_start(groups: list[dict[str, Any]]) -> dt.datetime:
    """1 September of the school year: the summary's fixed «created», so reruns match."""
    year = str(groups[0].get("year", "")) if groups else ""
    return dt.datetime(int(year[:4]), 9, 1) if year[:4].isdigit() else dt.datetime(2000, 1, 1)


def write_summary(year: Path) -> list[Path]:
    """The year folder's «Сводный отчёт» of each methodological service, and the table.

    Written when the folder holds two groups or more (a centre's batch), then for
    every service, even one with a single group: each service reports for itself.
    A summary of an earlier run that no longer has its service (or had the old
    name) is removed when nobody edited it; a copy the clerk edited is kept and
    the new one goes beside it, as with documents.
    """
    groups = year_figures(year)
    if len(groups) < MIN_GROUPS:
        return []
    when = _year_start(groups)
    files = [(report_name(str(members[0]["year"]), service), report_bytes(members, when),
              KIND_NAME) for service, members in by_service(groups)]
    files.append((TABLE, table_bytes(groups, when), "Сводная таблица"))
    written = []
    with GroupFolder(year) as folder:
        folder.expect([data for _name, data, _title in files])
        for file, data, title in files:
            target, _kept = folder.write(file, data, {"title": title})
            written.append(target)
        folder.retire({name for name, _data, _title in files})
        folder.finish()
    return written
