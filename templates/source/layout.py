"""Building blocks of the built-in templates: page, styles, stamps, tables, signatures.

The templates are ordinary .docx files that a clerk may open and edit in Word.
They are produced by ``make_templates.py`` from this module so that every one of
them has the same page (ГОСТ Р 7.0.97-2025: A4, margins 30/10/20/20 mm, Times New
Roman 14, first-line indent 1.25 cm, page numbers from page 2 centred in the top
margin) and the same named styles, which a clerk can restyle once in Word.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[2]
for _folder in (ROOT, ROOT / "templates" / "source"):  # docgen's typography pass; metrics
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import metrics  # noqa: E402

from docgen.language import typography  # noqa: E402

FONT = "Times New Roman"
FIXED_TIME = dt.datetime(2025, 1, 1)
TEXT_WIDTH_CM = 17.0  # 210 mm − 30 mm − 10 mm
STAMP_INDENT_CM = 9.5  # approval stamps and addressees sit in the right half

# Style names are Russian: a clerk sees them in Word's style list.
BODY = "Текст документа"
PLAIN = "Реквизит"
TITLE = "Заголовок документа"
SECTION = "Заголовок раздела"
STAMP = "Гриф"
CELL = "Текст таблицы"
CELL_HEAD = "Заголовок таблицы"
LIST = "Пункт перечня"
HINT = "Подсказка под строкой"  # made only in the templates that use it (blank forms)

# Blank forms: lines to write on by hand, and the small italic hint under a line.
EM_CM = 14 / 72 * 2.54  # one em of Times New Roman 14, in cm
UNDERSCORE_CM = EM_CM / 2  # «_» is half an em wide in Times New Roman
LINE_GAP = 8  # points above a line to write on: about 0.85 cm from line to line
HINT_SIZE = 9


# Child order that ECMA-376 prescribes (Word rejects a file that breaks it, even where
# LibreOffice does not): only the elements up to those we add by hand are listed.
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
               "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
               "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
              "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del",
              "trPrChange")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")


# Parts python-docx's default template brings that no document needs: a thumbnail of
# some other document (Explorer and Word would show it as the preview) and Word
# 2010's copy of the styles (440 KB unpacked; Word rebuilds it when it saves).
DROPPED_PARTS = {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"}
_DROPPED_REFERENCES = re.compile(
    rb'<(?:Relationship|Override)\b[^>]*(?:Target|PartName)="/?(?:docProps/thumbnail\.jpeg|'
    rb'(?:word/)?stylesWithEffects\.xml)"[^>]*/>')


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_HOLE = "\ue000"  # stands for a Jinja tag while the text around it is typeset
_QUOTED_TAG = re.compile(r"«(\{\{ (.+?) \}\})»")


def typeset(text: str) -> str:
    """The template's own text through docgen's typography pass, its Jinja tags untouched.

    The tags are holes while the text is typeset, so «№ {{ order.number }}» still
    gets its non-breaking space; a value printed inside the template's «…» gets
    the ``inner_quotes`` filter, so its own quotes become „…“. «№ п/п» may wrap.
    """
    tags = _JINJA.findall(text)
    done = typography.typeset(_JINJA.sub(_HOLE, text)).replace("№\u00a0п/п", "№ п/п")
    for tag in tags:
        done = done.replace(_HOLE, tag, 1)
    return _QUOTED_TAG.sub(lambda m: (m[0] if "|inner_quotes" in m[2]
                                      else f"«{{{{ {m[2]}|inner_quotes }}}}»"), done)


_VALUE = re.compile(r"\{\{\s*(.+?)\s*\}\}")


def whole_names(line: str) -> str:
    """A signature's or a stamp's line: each value through ``|wholename``, so a quoted name
    in its narrow column breaks before its «, never inside («Охрозаводская / СОШ»»)."""
    return _VALUE.sub(lambda m: m[0] if "wholename" in m[1]
                      else f"{{{{ ({m[1]})|wholename }}}}", line)


_WIDTHS = {False: dict(zip(metrics.REGULAR_CHARS, metrics.REGULAR_WIDTHS, strict=True)),
           True: dict(zip(metrics.BOLD_CHARS, metrics.BOLD_WIDTHS, strict=True))}
CELL_MARGINS_CM = 2 * 0.19  # Word's default left and right cell margins


def word_width_cm(word: str, size: float = 12, bold: bool = False) -> float:
    """The printed width of ``word`` in Times New Roman of ``size`` points."""
    widths = _WIDTHS[bold]
    ems = sum(widths.get(c, 1000) for c in word) / 1000
    return ems * size / 72 * 2.54


def longest_word_cm(texts: Sequence[str], size: float = 12, bold: bool = False) -> float:
    """The widest unbreakable piece of ``texts`` as printed (after the typography pass)."""
    words = [piece for text in texts for w in re.split(r"[ \n]", typography.typeset(text))
             if not _JINJA.search(w) for piece in re.split(r"(?<=-)", w)]  # «учебно-|…»
    return max((word_width_cm(w, size, bold) for w in words), default=0.0)


# What a table column will hold, by the Jinja expression of its cell: every dropdown
# value and the example data's texts (``make_templates.py`` fills it in).
SAMPLES: dict[str, list[str]] = {}


def fit_widths(widths: Sequence[float], needs: Sequence[float]) -> list[float]:
    """Widths with each column at least its need, taken from the columns that have room.

    The total stays the same; a column gives in proportion to its room. When the
    needs cannot all be met the columns get their needs and the table is scaled
    to the text width (the cells' hyphenation breaks what still does not fit).
    """
    widths = list(widths)
    deficit = sum(max(n - w, 0) for w, n in zip(widths, needs, strict=True))
    if not deficit:
        return widths
    room = [max(w - n, 0) for w, n in zip(widths, needs, strict=True)]
    total_room = sum(room)
    take = min(deficit, total_room)
    return [max(w, n) - (r / total_room * take if total_room else 0)
            for w, n, r in zip(widths, needs, room, strict=True)]


def _insert_ordered(parent, child, order: tuple[str, ...]) -> None:
    """Insert ``child`` before the first sibling that the schema puts after it."""
    name = child.tag.split("}")[1]
    later = {qn(f"w:{n}") for n in order[order.index(name) + 1:]}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _set_fonts(rpr_owner, size: float | None = None) -> None:
    """Times New Roman for every script, so Cyrillic never falls back to another font."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    lang.set(qn("w:bidi"), "ar-SA")


def _russian(run) -> None:
    """Russian marked on the run itself: spelling and hyphenation in Word and LibreOffice."""
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    run._r.get_or_add_rPr().append(lang)


def _no_hyphens(style) -> None:
    """Running text is not hyphenated; only table cells are (``_hyphenation``)."""
    ppr = style.element.get_or_add_pPr()
    _insert_ordered(ppr, OxmlElement("w:suppressAutoHyphens"), PPR_ORDER)


def _hyphenation(doc) -> None:
    """Automatic hyphenation on in settings.xml, where a word must break in a narrow cell."""
    settings = doc.settings.element
    auto = OxmlElement("w:autoHyphenation")
    tab = settings.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.addnext(auto)
    else:
        settings.insert(0, auto)


def _no_stretched_breaks(doc) -> None:
    """``doNotExpandShiftReturn``: a justified line that ends in a line break is not
    stretched (Word; LibreOffice reads it as DoNotJustifyLinesWithManualBreak), so
    «1. СЛУШАЛИ:» above its justified text stays together at the left margin."""
    compat = doc.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        doc.settings.element.append(compat)
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _hyphens_allowed():
    """``suppressAutoHyphens`` off: a table cell's style undoes Normal's."""
    element = OxmlElement("w:suppressAutoHyphens")
    element.set(qn("w:val"), "0")
    return element


# A table cell that prints a person's or an organisation's name: never hyphenated
# («Ген-надьевна», «Охроза-водская» read as two words); its column is widened to the
# longest name word of the examples (``SAMPLES``) instead.
NAME_CELL = re.compile(
    r"\.(?:full|initials|surname_initials|last_name|first_name|patronymic|organization|"
    r"short_name|full_name|authors|responsible|speakers?)\b|\bname_cell\b")


def no_name_hyphens(para: Paragraph) -> None:
    """``suppressAutoHyphens`` on a paragraph that holds a name (a table cell's style
    allows hyphens: ``_hyphens_allowed``)."""
    ppr = para._p.get_or_add_pPr()
    old = ppr.find(qn("w:suppressAutoHyphens"))
    if old is not None:
        ppr.remove(old)
    _insert_ordered(ppr, OxmlElement("w:suppressAutoHyphens"), PPR_ORDER)


def _paragraph_style(doc, name: str, base: str = "Normal"):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True
    _no_hyphens(normal)

    body = _paragraph_style(doc, BODY)
    body.paragraph_format.first_line_indent = Cm(1.25)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.line_spacing = 1.15

    item = _paragraph_style(doc, LIST, BODY)
    item.paragraph_format.first_line_indent = Cm(1.25)

    plain = _paragraph_style(doc, PLAIN)
    plain.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    title = _paragraph_style(doc, TITLE)
    title.font.bold = True
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True

    section = _paragraph_style(doc, SECTION)
    section.font.bold = True
    section.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    section.paragraph_format.space_before = Pt(12)
    section.paragraph_format.space_after = Pt(6)
    section.paragraph_format.keep_with_next = True

    stamp = _paragraph_style(doc, STAMP)
    stamp.paragraph_format.left_indent = Cm(STAMP_INDENT_CM)
    stamp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    cell = _paragraph_style(doc, CELL)
    _insert_ordered(cell.element.get_or_add_pPr(), _hyphens_allowed(), PPR_ORDER)
    cell.font.size = Pt(12)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    head = _paragraph_style(doc, CELL_HEAD, CELL)
    head.font.bold = True
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def text_width_cm(text: str) -> float:
    """A generous estimate of ``text``'s width in Times New Roman 14, to fit a line after it.

    Generous, so the underscores never run past the margin; the tab after them
    (with an underscore leader) draws the line on to the margin exactly.
    """
    ems = 0.0
    for char in text:
        if char == " ":
            ems += 0.25
        elif char in "шщжмыюШЩЖМЫЮФфД№":
            ems += 1.0
        elif char.isupper():
            ems += 0.75
        elif char.isalnum() or char in "«»_":
            ems += 0.55
        else:
            ems += 0.35
    return ems * EM_CM


def _page_number_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


def _page(doc, landscape: bool = False) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = Mm(30)
    section.right_margin = Mm(10)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.style = doc.styles[PLAIN]
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(header)
    section.first_page_header.is_linked_to_previous = False


class Template:
    """One template being written: paragraphs, tags, tables, stamps and signatures."""

    def __init__(self, title: str, landscape: bool = False) -> None:
        self.doc = Document()
        _styles(self.doc)
        _hyphenation(self.doc)
        _no_stretched_breaks(self.doc)
        _page(self.doc, landscape)
        self._signatures: list = []  # signature tables: kept with what comes before
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "docgen"
        self.doc.core_properties.language = "ru-RU"
        self.width_cm = (287.0 - 40.0) / 10 if landscape else TEXT_WIDTH_CM
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    # -- paragraphs ---------------------------------------------------------

    def p(self, text: str = "", style: str = BODY, *, bold: bool = False,
          align: str | None = None, page_break: bool = False, keep_next: bool = False,
          space_before: float = 0, space_after: float = 0, size: float | None = None,
          spacing: float | None = None) -> Paragraph:
        """A paragraph of one run, so that every Jinja tag stays whole for docxtpl."""
        para = self.doc.add_paragraph(style=self.doc.styles[style])
        if text:
            run = para.add_run(typeset(text))
            _russian(run)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        fmt = para.paragraph_format
        if align:
            fmt.alignment = {
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
                "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            }[align]
        if page_break:
            fmt.page_break_before = True
        if keep_next:
            fmt.keep_with_next = True
        if space_before:
            fmt.space_before = Pt(space_before)
        if space_after:
            fmt.space_after = Pt(space_after)
        if spacing:
            fmt.line_spacing = Pt(spacing) if spacing > 3 else spacing
        return para

    def labeled(self, label: str, text: str, *, space_before: float = 0) -> Paragraph:
        """«РЕШИЛИ:» in bold and, under it, its text indented: one paragraph, two lines.

        One paragraph, so that orphan control keeps the label with the first line of
        its text in Word and LibreOffice alike (LibreOffice does not always honour
        keep-with-next at a page's foot).
        """
        # Justified as the other body paragraphs: the line that ends with the break is
        # not stretched (``_no_stretched_breaks``), «1. СЛУШАЛИ:» stays whole.
        para = self.p(label, PLAIN, bold=True, space_before=space_before, spacing=1.15,
                      align="justify")
        para.paragraph_format.tab_stops.add_tab_stop(Cm(1.25))
        para.runs[0].add_break()
        run = para.add_run("\t" + typeset(text))
        _russian(run)
        return para

    def tag(self, tag: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag: docxtpl removes it when rendering."""
        self.p(tag, PLAIN)

    def lines(self, texts: Sequence[str], style: str = BODY, **kw) -> None:
        for text in texts:
            self.p(text, style, **kw)

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.p("", PLAIN)

    def mark(self):
        """The body's last element now: ``keep_together`` takes everything after it."""
        body = self.doc.element.body
        items = [el for el in body if el.tag != qn("w:sectPr")]
        return items[-1] if items else None

    def keep_together(self, mark) -> None:
        """Everything written after ``mark`` on one page, with the paragraph before it.

        The elements go into the one cell of a borderless table whose row may not split:
        LibreOffice does not keep a table with the paragraph after it (a signature with
        «С приказом ознакомлен»), but it never splits such a row. The outer table is a
        signature block for ``paginate``: the paragraph before it stays with it.
        """
        body = self.doc.element.body
        items = [el for el in body if el.tag != qn("w:sectPr")]
        moved = items[items.index(mark) + 1:] if mark is not None else items
        # three grid columns, one cell over them: docxtpl's table fix counts the nested
        # signature's three cells as the block's own and would rewrite a one-column grid
        outer = self._borderless(1, 3, [self.width_cm / 3] * 3)
        outer.cell(0, 0).merge(outer.cell(0, 2))
        # no cell margins around the block, no left one in the signatures inside it: their
        # text stands at the page's margin as a signature's outside such a block does
        for tbl in (outer._tbl, *(el for el in moved if el.tag == qn("w:tbl"))):
            margins = OxmlElement("w:tblCellMar")
            for side in ("left", "right") if tbl is outer._tbl else ("left",):
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:w"), "0")
                edge.set(qn("w:type"), "dxa")
                margins.append(edge)
            _insert_ordered(tbl.tblPr, margins, TBLPR_ORDER)
        row = outer.rows[0]._tr
        _insert_ordered(row.get_or_add_trPr(), OxmlElement("w:cantSplit"), TRPR_ORDER)
        cell = outer.cell(0, 0)._tc
        for p in cell.findall(qn("w:p")):
            cell.remove(p)
        for el in moved:
            cell.append(el)
        if not moved or moved[-1].tag != qn("w:p") or _is_tag(moved[-1]):
            cell.append(OxmlElement("w:p"))  # a cell ends with a paragraph docxtpl keeps
        if mark is not None and mark.tag == qn("w:tbl"):
            # two tables in a row are one table to Word and LibreOffice: the block would
            # lend its borderless margins to the table above (a plan's)
            spacer = OxmlElement("w:p")
            outer._tbl.addprevious(spacer)
        self._signatures.append(outer._tbl)

    def page_break(self) -> None:
        self.doc.add_paragraph(style=self.doc.styles[PLAIN]).add_run().add_break(WD_BREAK.PAGE)

    def title(self, *lines: str, space_after: float = 12) -> None:
        """The document's name, centred and bold; the last line gets the space after it."""
        for i, line in enumerate(lines):
            self.p(line, TITLE, space_after=space_after if i == len(lines) - 1 else 0)

    def section(self, text: str) -> None:
        self.p(text, SECTION)

    # -- requisites ---------------------------------------------------------

    def stamp(self, *lines: str, space_after: float = 18, page_break: bool = False) -> None:
        """Approval stamp or addressee in the right half of the page (ГОСТ Р 7.0.97)."""
        for i, line in enumerate(map(whole_names, lines)):
            para = self.p(line, STAMP, space_after=space_after if i == len(lines) - 1 else 0,
                          page_break=page_break and i == 0)
            if self.width_cm > TEXT_WIDTH_CM:  # landscape: keep the stamp at the right
                para.paragraph_format.left_indent = Cm(self.width_cm - 7.5)

    def date_number(self, date: str, number: str) -> None:
        """Date at the left margin and number at the right, on one line (orders, protocols)."""
        table = self._borderless(1, 2, [self.width_cm / 2, self.width_cm / 2])
        self._cell(table.cell(0, 0), date, style=PLAIN, align="left")
        self._cell(table.cell(0, 1), number, style=PLAIN, align="right")

    def signature(self, position: str, name: str, *, space_before: float = 24,
                  keep_next: bool = False) -> None:
        """Position at the left, a line to sign on, and «И.О. Фамилия» at the right margin;
        ``keep_next`` keeps it on one page with what follows («С приказом ознакомлен»)."""
        table = self._borderless(1, 3, [self.width_cm - 8.5, 4.0, 4.5])
        self._cell(table.cell(0, 0), whole_names(position), style=PLAIN, align="left")
        self._cell(table.cell(0, 1), "", style=PLAIN, align="center")
        self._cell(table.cell(0, 2), name, style=PLAIN, align="right")
        for cell in table.rows[0].cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            if space_before:  # in the cells, not an empty paragraph: LibreOffice does not
                # keep a block with the text above across an empty paragraph
                cell.paragraphs[0].paragraph_format.space_before = Pt(space_before)
        line = table.cell(0, 1).paragraphs[0]
        self._bottom_border(line)
        if keep_next:
            _keep_table_with_next(table._tbl)
        self._signatures.append(table._tbl)

    # -- blank forms: lines to write on -------------------------------------

    def fill_line(self, prefix: str = "", *, hint: str = "", indent: float = 0,
                  first_indent: float = 0, space_before: float = LINE_GAP,
                  bold: bool = False, align: str | None = None) -> Paragraph:
        """``prefix`` and a line to write on up to the right margin, with ``hint`` under it.

        The line is underscores (seen as a line in any editor) finished by a tab whose
        leader is an underscore, so it ends at the margin whatever the fonts.
        """
        start = indent + first_indent + (text_width_cm(prefix) if prefix else 0)
        room = self.width_cm - start - 0.8
        para = self.p(f"{prefix}{'_' * max(int(room / UNDERSCORE_CM), 0)}\t", PLAIN,
                      bold=bold, align=align, space_before=space_before)
        fmt = para.paragraph_format
        fmt.tab_stops.add_tab_stop(Cm(self.width_cm), WD_TAB_ALIGNMENT.RIGHT,
                                   WD_TAB_LEADER.LINES)
        if indent:
            fmt.left_indent = Cm(indent)
        if first_indent:
            fmt.first_line_indent = Cm(first_indent)
        if hint:
            fmt.keep_with_next = True
            self.hint(hint, indent=start)
        return para

    def fill_lines(self, n: int, *, indent: float = 0) -> None:
        """``n`` empty lines to write on, margin to margin."""
        for _ in range(n):
            self.fill_line(indent=indent)

    def hint(self, text: str, *, indent: float = 0) -> Paragraph:
        """A small italic hint centred under the line above it: «(фамилия, имя, отчество)»."""
        para = self.p(text, self._hint_style(), align="center")
        if indent:
            para.paragraph_format.left_indent = Cm(indent)
        return para

    def fill_signature(self, columns: Sequence[tuple[str, str]],
                       widths: Sequence[float] | None = None, *,
                       space_before: float = 24, keep_next: bool = False) -> Table:
        """Signature columns, each a text or a line with its hint under it.

        ``columns`` are (text, hint) pairs: an empty text is a line to write on,
        «(подпись)» under it. Texts sit at the bottom of their cell, on the lines.
        ``keep_next`` keeps it on one page with what follows (the chair's with the
        secretary's signature).
        """
        widths = widths or [self.width_cm - 9.5, 4.0, 5.5]
        table = self._borderless(2, len(columns), widths)
        for i, (text, hint) in enumerate(columns):
            cell = table.cell(0, i)
            last = i == len(columns) - 1
            self._cell(cell, text, style=PLAIN,
                       align="left" if i == 0 else "right" if last and text else "center")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            if space_before:  # in the cells: see ``signature``
                cell.paragraphs[0].paragraph_format.space_before = Pt(space_before)
            elif not text:
                cell.paragraphs[0].paragraph_format.space_before = Pt(LINE_GAP)
                self._bottom_border(cell.paragraphs[0])
            self._cell(table.cell(1, i), hint, style=self._hint_style())
        for row in table.rows if keep_next else table.rows[:1]:  # a line keeps its hint
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        self._signatures.append(table._tbl)
        return table

    def _hint_style(self) -> str:
        if HINT not in [s.name for s in self.doc.styles]:
            style = _paragraph_style(self.doc, HINT)
            style.font.size = Pt(HINT_SIZE)
            style.font.italic = True
            style.paragraph_format.line_spacing = Pt(HINT_SIZE + 1)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            style.paragraph_format.keep_together = True
        return HINT

    # -- tables -------------------------------------------------------------

    def table(self, headers: Sequence[str], cells: Sequence[str], loop: str | None,
              widths: Sequence[float], *, size: float | None = None,
              first: Sequence[str] | None = None, row_height: float | None = None,
              total: Sequence[str] | None = None, names: Sequence[int] = ()) -> Table:
        """A grid table: a header row repeated on every page, then ``cells`` per item.

        ``loop`` is the Jinja ``for`` clause («m in members»); docxtpl removes the
        rows that hold ``{%tr for … %}`` and ``{%tr endfor %}``. ``first`` is an
        optional fixed row after the header, ``total`` one after the items («Итого»;
        ``paginate`` keeps the last item's row with it, so it is never alone on a page).
        Each column is widened to its longest word (``SAMPLES``); a column of
        numbers is aligned right. A column of names (``NAME_CELL``, or its index in
        ``names``) is never hyphenated.
        """
        rows = 1 + (3 if loop else 1) + (1 if first else 0) + (1 if total else 0)
        table = self.doc.add_table(rows=rows, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        size_pt = size or 12
        needs = [max(longest_word_cm([h], size_pt, bold=True),
                     longest_word_cm(SAMPLES.get(c.strip(), []), size_pt)) + CELL_MARGINS_CM
                 for h, c in zip(headers, cells, strict=True)]
        numeric = [bool(SAMPLES.get(c.strip())) and all(
            re.fullmatch(r"\d+", str(v)) for v in SAMPLES[c.strip()]) for c in cells]
        self._widths(table, fit_widths(widths, needs))
        for i, text in enumerate(headers):
            self._cell(table.cell(0, i), text, style=CELL_HEAD)
        self._repeat_header(table.rows[0])
        row = 1
        if first:
            for i, text in enumerate(first):
                self._cell(table.cell(row, i), text)
            row += 1
        if loop:
            self._cell(table.cell(row, 0), f"{{%tr for {loop} %}}")
            row += 1
        for i, text in enumerate(cells):
            align = "center" if widths[i] <= 1.3 else "right" if numeric[i] else None
            self._cell(table.cell(row, i), text, align=align)
            if i in names or NAME_CELL.search(text):
                no_name_hyphens(table.cell(row, i).paragraphs[0])
        if row_height:  # room to write by hand (registration sheets)
            table.rows[row].height = Cm(row_height)
            table.rows[row].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row += 1
        if loop:
            self._cell(table.cell(row, 0), "{%tr endfor %}")
            row += 1
        if total:
            for i, text in enumerate(total):
                self._cell(table.cell(row, i), text, bold=True,
                           align="right" if numeric[i] else None)
        if size:
            for r in table.rows:
                for c in r.cells:
                    for para in c.paragraphs:
                        for run in para.runs:
                            run.font.size = Pt(size)
        return table

    def fields(self, rows: Sequence[tuple[str, ...]], *,
               row_height: float | None = None) -> Table:
        """A two-column table of «name: value» lines (report requisites), full width.

        ``row_height`` leaves room to write the values by hand (blank forms). A row
        given a third item, a Jinja condition, is printed only when it holds: a
        filled document shows no name with an empty value.
        """
        widths = (5.5, self.width_cm - 5.5)
        count = len(rows) + 2 * sum(1 for row in rows if len(row) > 2)
        table = self.doc.add_table(rows=count, cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._widths(table, widths)
        r = -1
        for name, value, *condition in rows:
            r += 1
            if condition:
                self._cell(table.cell(r, 0), f"{{%tr if {condition[0]} %}}")
                r += 1
            self._cell(table.cell(r, 0), name, bold=True)
            self._cell(table.cell(r, 1), value)
            if condition:
                self._cell(table.cell(r + 1, 0), "{%tr endif %}")
            if row_height:
                table.rows[r].height = Cm(row_height)
                table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
                for cell in table.rows[r].cells:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            r += 1 if condition else 0
        return table

    # -- internals ----------------------------------------------------------

    def _borderless(self, rows: int, cols: int, widths: Sequence[float]) -> Table:
        table = self.doc.add_table(rows=rows, cols=cols)
        self._widths(table, widths)
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "nil")
            borders.append(edge)
        _insert_ordered(table._tbl.tblPr, borders, TBLPR_ORDER)
        return table

    def _widths(self, table: Table, widths: Sequence[float]) -> None:
        table.autofit = False
        scale = self.width_cm / sum(widths) if sum(widths) > self.width_cm else 1.0
        table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
        for i, width in enumerate(widths):
            table.columns[i].width = Cm(width * scale)
            for cell in table.columns[i].cells:
                cell.width = Cm(width * scale)

    def _cell(self, cell: _Cell, text: str, *, style: str = CELL, align: str | None = None,
              bold: bool = False) -> None:
        para = cell.paragraphs[0]
        para.style = self.doc.styles[style]
        if text:
            run = para.add_run(typeset(text))
            _russian(run)
            run.bold = bold or None
        if align:
            para.paragraph_format.alignment = {
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]

    @staticmethod
    def _repeat_header(row) -> None:
        trpr = row._tr.get_or_add_trPr()
        _insert_ordered(trpr, OxmlElement("w:cantSplit"), TRPR_ORDER)
        _insert_ordered(trpr, OxmlElement("w:tblHeader"), TRPR_ORDER)

    @staticmethod
    def _bottom_border(para: Paragraph) -> None:
        ppr = para._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                           ("w:color", "auto")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        _insert_ordered(ppr, borders, PPR_ORDER)

    def paginate(self) -> None:
        """Page-break rules a typesetter applies, set on the finished body (see ``paginate``)."""
        headings = {self.doc.styles[TITLE].style_id, self.doc.styles[SECTION].style_id}
        paginate(self.doc.element.body, self._signatures, headings)

    def save(self, path: Path) -> None:
        """Save with fixed dates, so an unchanged template is an unchanged file in git."""
        self.paginate()
        props = self.doc.core_properties
        props.created = props.modified = FIXED_TIME
        props.last_printed = FIXED_TIME
        props.revision = 1
        props.last_modified_by = "docgen"
        props.comments = ""  # python-docx's «generated by python-docx»
        buffer = io.BytesIO()
        self.doc.save(buffer)
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
            for info in src.infolist():
                if info.filename in DROPPED_PARTS:
                    continue
                data = src.read(info.filename)
                if info.filename.endswith((".rels", "[Content_Types].xml")):
                    data = _DROPPED_REFERENCES.sub(b"", data)
                fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(fixed, data)


# -- pagination ---------------------------------------------------------------

_P, _TBL = qn("w:p"), qn("w:tbl")
_DATE_OR_SEAL = re.compile(r"^(«_|М\.П\.)")


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _is_tag(element) -> bool:
    """A paragraph holding only a ``{%p … %}`` tag: docxtpl removes it when rendering."""
    text = _text(element).strip()
    return element.tag == _P and text.startswith("{%") and text.endswith("%}")


def _keep_next(paragraph) -> None:
    ppr = paragraph.get_or_add_pPr()
    if ppr.find(qn("w:keepNext")) is None:
        _insert_ordered(ppr, OxmlElement("w:keepNext"), PPR_ORDER)


def _is_heading(paragraph, heading_styles: set[str]) -> bool:
    """Bold through and through (a title, «ПРИКАЗЫВАЮ:», «РЕШИЛИ:»), or a heading style."""
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and style.get(qn("w:val")) in heading_styles:
        return True
    runs = [r for r in paragraph.iter(qn("w:r")) if _text(r).strip()]
    return bool(runs) and all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in runs)


def _loop_table(table) -> bool:
    return "{%tr" in _text(table)


def _keep_table_with_next(table) -> None:
    rows = table.findall(qn("w:tr"))
    for cell_p in rows[-1].iter(_P) if rows else ():
        _keep_next(cell_p)


def _ends_a_loop(paragraph, until) -> bool:
    """Whether a ``{%p endfor %}`` lies between ``paragraph`` and ``until``."""
    for el in paragraph.itersiblings():
        if el is until:
            return False
        if el.tag == _P and _is_tag(el) and "endfor" in _text(el):
            return True
    return False


def _alone_in_a_condition(element) -> bool:
    before, after = element.getprevious(), element.getnext()
    return (before is not None and after is not None and _is_tag(before) and _is_tag(after)
            and _text(before).startswith("{%p if") and "endif" in _text(after))


def _tag_paragraph(text: str):
    p, r, t = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:t")
    t.text = text
    r.append(t)
    p.append(r)
    return p


def _keep_next_when_last(paragraph) -> None:
    """A loop's last paragraph kept with what follows the loop, only on the loop's last turn.

    Kept on every turn, the items would chain one to the next; LibreOffice then
    leaves «РЕШИЛИ:» alone at a page's foot.
    """
    kept = copy.deepcopy(paragraph)
    _keep_next(kept)
    for element in (_tag_paragraph("{%p if loop.last %}"), kept, _tag_paragraph("{%p else %}")):
        paragraph.addprevious(element)
    paragraph.addnext(_tag_paragraph("{%p endif %}"))


def _row_before_total(table):
    """The item row of a loop table that has a row after the loop («Итого»), or None.

    docxtpl removes the ``{%tr for %}`` and ``{%tr endfor %}`` rows; the row between
    them is the one repeated for each item.
    """
    rows = table.findall(qn("w:tr"))
    texts = [_text(tr).strip() for tr in rows]
    ends = [i for i, text in enumerate(texts) if text.startswith("{%tr endfor")]
    if len(ends) != 1 or ends[0] == len(rows) - 1 or ends[0] < 2:
        return None
    return rows[ends[0] - 1]


def _keep_last_item_with_total(table) -> None:
    """The last item row kept with the total row after it: «Итого» never alone on a page.

    Word keeps a row with the next one when all its paragraphs are «keep with next»
    (LibreOffice does the same on import). Only the last item's row is kept, through
    ``loop.last``: kept on every row, a long table would be one block that jumps to a
    new page and leaves half a page empty.
    """
    row = _row_before_total(table)
    if row is None:
        return
    for tc in row.findall(qn("w:tc")):
        for paragraph in tc.findall(_P):
            _keep_next_when_last(paragraph)


def paginate(body, signatures: Sequence = (), heading_styles: set[str] | None = None) -> None:
    """Keep-with-next, keep-together and no split rows, as a typesetter would set them.

    * a heading (bold paragraph or title/section style) and a paragraph ending with
      «:» (it introduces a list or a table) stay with what follows;
    * no table row is split across pages, and a table's total row («Итого») keeps
      the last item's row with it;
    * a signature block stays with the paragraph before it (through the spacer
      paragraphs), with a signature before it (the chair's with the secretary's)
      and with the date line or «М.П.» after it. A table of items before a
      signature is not kept with it: it may be pages long.
    """
    items = [el for el in body if el.tag in (_P, _TBL) and not _is_tag(el)]
    for el in items:
        if el.tag == _TBL:
            for tr in el.iter(qn("w:tr")):
                trpr = tr.get_or_add_trPr()
                if trpr.find(qn("w:cantSplit")) is None:
                    _insert_ordered(trpr, OxmlElement("w:cantSplit"), TRPR_ORDER)
            _keep_last_item_with_total(el)
            continue
        text = _text(el).rstrip()
        if text and (text.endswith(":") or ":{%" in text
                     or _is_heading(el, heading_styles or set())):
            _keep_next(el)
    position = {id(el): i for i, el in enumerate(items)}
    for table in signatures:
        i = position.get(id(table))
        if i is None:
            continue
        j = i - 1
        while j >= 0 and items[j].tag == _P and not _text(items[j]).strip():
            _keep_next(items[j])  # the spacer above the signature
            j -= 1
        while j >= 0:
            if items[j].tag == _P and _ends_a_loop(items[j], table):
                _keep_next_when_last(items[j])
            elif items[j].tag == _P:
                _keep_next(items[j])
            elif not _loop_table(items[j]):
                _keep_table_with_next(items[j])
            # «{%p if not proposals %}» otherwise «{%p endif %}»: the loop before it is
            # what precedes the signature when there are proposals; keep it too.
            j = j - 1 if _alone_in_a_condition(items[j]) else -1
        after = items[i + 1] if i + 1 < len(items) else None
        if after is not None and after.tag == _P and _DATE_OR_SEAL.match(_text(after)):
            _keep_table_with_next(table)
