"""A small .xlsx writer that writes what openpyxl wrote for docgen's two workbooks, byte for byte.

The registry («Реестр документов.xlsx») of a centre has thousands of rows and
is written once per batch, in one process, after the workers are done: with
openpyxl's per-cell machinery that was seconds of serial time. Its sheets are
plain (text, whole numbers, dates, a few styles), so their XML is built here
as strings and the package assembled as openpyxl 3.1 (with lxml) assembled
it: the same parts in the same order, the same serialisation (inline strings
with ASCII character references, ``xml:space="preserve"``, ``<c …></c>`` for
an empty cell), the same zip. The tests compare every byte with openpyxl.

The summary table («Сводная таблица») was written by openpyxl's normal mode
with two bar charts, and was the last reason a batch imported openpyxl to
write: the same cell serialisation (both modes write cells with one
function), its sheets' scratch files made by ``mkstemp`` (another file mode),
and the chart and drawing parts, which are here too (``bar_chart``,
``drawing``), written as openpyxl wrote them for that table. Only what these
two workbooks use is here: another chart or style needs its own comparison.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from collections.abc import Sequence

from docgen.errors import column_letter
from docgen.output import ZIP_EPOCH
from docgen.text import xml_escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_TEXT = 32767  # Excel's longest cell text: openpyxl cuts a longer one here, silently
# What openpyxl (control characters) and lxml (U+FFFE, U+FFFF, lone surrogates) refuse
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_WINDOWS_EPOCH = dt.date(1899, 12, 30)
# Excel's 64 indexed colours as openpyxl lists them in every styles.xml
_INDEXED = ("000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF " * 2 +
            "800000 008000 000080 808000 800080 008080 C0C0C0 808080 9999FF 993366 FFFFCC "
            "CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF 800080 800000 "
            "008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 3366FF "
            "33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 003366 339966 003300 333300 "
            "993300 993366 333399 333333").split()


def text(value: str) -> str:
    """Element text as lxml escapes it: ``&``, ``<``, ``>`` (``text.xml_escape``) and a
    carriage return.

    Characters outside ASCII stay as they are: ``ascii_refs`` makes them character
    references in the sheets (lxml wrote those in ASCII); the other parts are UTF-8.
    """
    value = xml_escape(value)
    return value.replace("\r", "&#13;") if "\r" in value else value


def attribute(value: str) -> str:
    """An attribute's value as lxml writes it between double quotes."""
    value = text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


def number(value: int | float) -> str:
    """A number as openpyxl writes it (``"%.16g"``: 16 digits stay, 20 become 1.2…e+19)."""
    return "%.16g" % value  # noqa: UP031 — openpyxl's own format, kept for the same bytes


class Unwritable(ValueError):
    """A text with a character no .xlsx may hold (openpyxl and lxml refused it)."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def check(value: str) -> str:
    """``value`` itself, or ``Unwritable`` if it has a character XML cannot hold."""
    if ILLEGAL.search(value):
        raise Unwritable(value)
    return value


def ascii_refs(value: str) -> str:
    """``value`` with each character outside ASCII as a character reference, as lxml wrote
    the sheets («Г» → ``&#1043;``)."""
    return value if value.isascii() else value.encode("ascii", "xmlcharrefreplace").decode()


def cell_end(value: str) -> str:
    """What follows ``<c r="B2"`` and the style for a text cell, as openpyxl types it, ASCII.

    A text longer than Excel allows is cut as openpyxl cut it; a leading «=»
    makes a formula and «#N/A» an error value, as they did, so that nothing a
    clerk's file shows changes. Characters outside ASCII become character
    references (``ascii_refs``).
    """
    cut = value[:MAX_TEXT]
    if ILLEGAL.search(cut):
        raise Unwritable(value)
    if not cut:
        return ' t="inlineStr"></c>'
    if len(cut) > 1 and cut[0] == "=":
        return f"><f>{ascii_refs(text(cut[1:]))}</f><v></v></c>"
    if cut in ERROR_CODES:
        return f' t="e"><v>{cut}</v></c>'
    space = ' xml:space="preserve"' if cut != cut.strip() else ""
    return f' t="inlineStr"><is><t{space}>{ascii_refs(text(cut))}</t></is></c>'


def value_end(value: object) -> str:
    """What follows ``<c r="B2"`` and the style for a value openpyxl took as it came: a
    text (``cell_end``), a number, True/False, or None (the cell of a styled empty value).

    Numbers as openpyxl's ``safe_string`` (an infinite or NaN one leaves ``<v>`` empty);
    anything else openpyxl refused with the same ``ValueError``.
    """
    if isinstance(value, str):
        return cell_end(value)
    if value is None:
        return ' t="n"></c>'
    if type(value) is bool:
        return f' t="b"><v>{number(value)}</v></c>'
    if isinstance(value, int | float):
        shown = "" if math.isnan(value) or math.isinf(value) else number(value)
        return f' t="n"><v>{shown}</v></c>'
    raise ValueError(f"Cannot convert {value!r} to Excel")


class CellEnds(dict[str, str]):
    """``cell_end`` of each text, made once: a registry repeats its groups, kinds, notes."""

    def __missing__(self, value: str) -> str:
        end = self[value] = cell_end(value)
        return end


def date_end(value: dt.date | None) -> str:
    """What follows ``<c r="G2" s="N"`` for a date: Excel's serial day (openpyxl's
    ``to_excel``); None leaves the styled cell empty."""
    if value is None:
        return ' t="n"></c>'
    days = (value - _WINDOWS_EPOCH).days
    if 0 < days <= 60:  # Excel's 29 February 1900, which never was
        days -= 1
    return f' t="n"><v>{number(days + 0.0)}</v></c>'


def worksheet(top: str, rows: list[str], tail: str) -> bytes:
    """A worksheet part: ``top`` (sheetPr … cols), the rows, ``tail`` (autoFilter … pageSetup).

    ASCII: the rows' texts are character references already. Joined once and
    encoded once: a centre's sheet is megabytes, each copy costs.
    """
    return "".join([f'<worksheet xmlns="{MAIN_NS}">{top}<sheetData>', *rows,
                    f"</sheetData>{tail}</worksheet>"]).encode("ascii")


def columns(widths: Sequence[float]) -> str:
    return "<cols>" + "".join(f'<col width="{number(w)}" customWidth="1" min="{i}" max="{i}"/>'
                              for i, w in enumerate(widths, start=1)) + "</cols>"


def hyperlinks(refs: Sequence[str], targets: Sequence[str]) -> tuple[str, str]:
    """The sheet's ``<hyperlinks>`` and its relationships part: external links, rId1…"""
    if not refs:
        return "", ""
    links = "".join(f'<hyperlink xmlns:r="{REL_NS}" ref="{ref}" r:id="rId{n}"/>'
                    for n, ref in enumerate(refs, start=1))
    rels = "".join(f'<Relationship Type="{REL_NS}/hyperlink" Target="{attribute(target)}" '
                   f'TargetMode="External" Id="rId{n}"/>'
                   for n, target in enumerate(targets, start=1))
    return (f"<hyperlinks>{links}</hyperlinks>",
            f'<Relationships xmlns="{PACKAGE_RELS}">{rels}</Relationships>')


def stylesheet(formats: Sequence[str], fonts: Sequence[str], xfs: Sequence[str]) -> str:
    """styles.xml: custom number formats (ids from 164), extra fonts and cell formats in the
    order openpyxl met them; the default font and cell format come first, as openpyxl's."""
    numfmts = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="{attribute(code)}"/>'
                      for i, code in enumerate(formats))
    numfmts = (f'<numFmts count="{len(formats)}">{numfmts}</numFmts>' if formats
               else '<numFmts count="0"/>')
    font_list = ['<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
                 '<scheme val="minor"/></font>', *fonts]
    xf_list = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" pivotButton="0" '
               'quotePrefix="0" xfId="0"/>', *xfs]
    colors = "".join(f'<rgbColor rgb="00{c}"/>' for c in _INDEXED)
    return (f'<styleSheet xmlns="{MAIN_NS}">{numfmts}'
            f'<fonts count="{len(font_list)}">{"".join(font_list)}</fonts>'
            '<fills count="2"><fill><patternFill/></fill><fill><patternFill '
            'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
            '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
            'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xf_list)}">{"".join(xf_list)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/>'
            '</cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
            'defaultPivotStyle="PivotStyleLight16"/>'
            f"<colors><indexedColors>{colors}</indexedColors></colors></styleSheet>")


def cell_format(font: int = 0, number_format: int = 0, alignment: str = "") -> str:
    """One ``<xf>`` of cellXfs as openpyxl writes it; ``alignment`` is an ``<alignment …/>``."""
    start = (f'<xf numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="0"'
             + (' applyAlignment="1"' if alignment else "")
             + ' pivotButton="0" quotePrefix="0" xfId="0"')
    return f"{start}>{alignment}</xf>" if alignment else f"{start}/>"


def core_properties(title: str, creator: str, when: dt.datetime) -> str:
    """docProps/core.xml with creator, title and both dates ``when`` (a reproducible file)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = "".join(
        f'<dcterms:{name} xmlns:dcterms="http://purl.org/dc/terms/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="dcterms:W3CDTF">'
        f"{stamp}</dcterms:{name}>" for name in ("created", "modified"))
    dc = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            f'metadata/core-properties"><dc:creator {dc}>{text(creator)}</dc:creator>'
            f"<dc:title {dc}>{text(title)}</dc:title>{dates}</cp:coreProperties>")


def workbook(sheets: Sequence[str], defined_names: str) -> str:
    """xl/workbook.xml: the sheets by name (rId1…) and ``<definedName>`` elements."""
    listed = "".join(f'<sheet xmlns:r="{REL_NS}" name="{attribute(name)}" sheetId="{n}" '
                     f'state="visible" r:id="rId{n}"/>' for n, name in enumerate(sheets, start=1))
    names = f"<definedNames>{defined_names}</definedNames>" if defined_names else ""
    return (f'<workbook xmlns="{MAIN_NS}"><workbookPr/><workbookProtection/><bookViews>'
            '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
            'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
            'activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
            f"<sheets>{listed}</sheets>{names}"
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


def workbook_rels(sheets: int) -> str:
    rels = [(f"{REL_NS}/worksheet", f"/xl/worksheets/sheet{n}.xml")
            for n in range(1, sheets + 1)]
    rels += [(f"{REL_NS}/styles", "styles.xml"), (f"{REL_NS}/theme", "theme/theme1.xml")]
    return (f'<Relationships xmlns="{PACKAGE_RELS}">'
            + "".join(f'<Relationship Type="{kind}" Target="{target}" Id="rId{n}"/>'
                      for n, (kind, target) in enumerate(rels, start=1))
            + "</Relationships>")


ROOT_RELS = (
    f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Type="{REL_NS}/officeDocument" '
    'Target="xl/workbook.xml" Id="rId1"/><Relationship Type="http://schemas.openxmlformats.org/'
    'package/2006/relationships/metadata/core-properties" Target="docProps/core.xml" '
    f'Id="rId2"/><Relationship Type="{REL_NS}/extended-properties" Target="docProps/app.xml" '
    'Id="rId3"/></Relationships>')
APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
       'properties"><Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application>'
       "<AppVersion>3.1</AppVersion></Properties>")


def content_types(sheets: int, extra: Sequence[tuple[str, str]] = ()) -> str:
    """[Content_Types].xml: the parts openpyxl listed, ``extra`` (name, type) after the sheets."""
    office = "application/vnd.openxmlformats-officedocument"
    parts = [("/xl/styles.xml", f"{office}.spreadsheetml.styles+xml"),
             ("/xl/theme/theme1.xml", f"{office}.theme+xml"),
             ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
             ("/docProps/app.xml", f"{office}.extended-properties+xml")]
    parts += [(f"/xl/worksheets/sheet{n}.xml", f"{office}.spreadsheetml.worksheet+xml")
              for n in range(1, sheets + 1)]
    parts += extra
    parts.append(("/xl/workbook.xml", f"{office}.spreadsheetml.sheet.main+xml"))
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>'
                      for name, kind in parts) + "</Types>")


def sheet_file_mode(created: int = 0o666) -> int:
    """The zip mode openpyxl's sheets carried: that of a new file (``created`` less the umask).

    openpyxl streamed each write-only sheet into a scratch file and zipped the
    file, so its mode went into the package (``-rw-r--r--`` under the usual
    umask 022; ``-rw-rw-rw-`` on Windows); the other parts were written from
    memory as ``-rw-------``. Kept, so the registry's bytes are what they were.
    The summary table's sheets (normal mode) were ``mkstemp`` files: ``created``
    0o600.
    """
    if os.name == "nt":
        return 0o100666
    mask = None
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            mask = next((int(line.split()[1], 8) for line in status
                         if line.startswith("Umask:")), None)
    except (OSError, ValueError, IndexError):
        pass
    if mask is None:  # not Linux: the umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o100000 | (created & ~mask)


SCRATCH_FILE_MODE = 0o600  # what ``tempfile.mkstemp`` asks for, before the umask
MEMORY_FILE_MODE = 0o600  # zipfile's mode for a part written from memory (``writestr``)


def package(parts: Sequence[tuple[str, bytes, int]]) -> bytes:
    """The zip of ``parts`` (name, bytes, mode) as ``output.reproducible_zip`` writes one:
    deflated at zlib's default level, every member dated ``ZIP_EPOCH``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body, mode in parts:
            member = zipfile.ZipInfo(name, ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = mode << 16
            target.writestr(member, body)
    return out.getvalue()


# --- charts, as openpyxl 3.1 wrote a BarChart and its drawing ----------------------------

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_PER_CM = 360000
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"


def sheet_name(name: str) -> str:
    """A sheet's name in a reference as openpyxl quoted it: always, «'» doubled."""
    return "'" + name.replace("'", "''") + "'"


def reference(sheet: str, min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    """A range as openpyxl's ``Reference`` wrote it (``'Лист'!$A$2:$A$6``; one cell: ``$A$2``).

    Written as it is even when empty (a minimum past the maximum), as openpyxl did.
    """
    if min_col == max_col and min_row == max_row:
        return f"{sheet_name(sheet)}!${column_letter(min_col)}${min_row}"
    return (f"{sheet_name(sheet)}!${column_letter(min_col)}${min_row}:"
            f"${column_letter(max_col)}${max_row}")


def series_from_data(sheet: str, min_col: int, min_row: int, max_col: int,
                     max_row: int) -> list[tuple[str, str]]:
    """The series ``add_data(..., titles_from_data=True)`` made: per column, its title's
    cell and its values (``Reference.pop``: a one-row column loses its column, not a row)."""
    found = []
    for col in range(min_col, max_col + 1):
        first, last_col, top = col, col, min_row
        cell = f"{column_letter(col)}{min_row}"
        if min_row == max_row:
            first += 1
        else:
            top += 1
        found.append((f"{sheet_name(sheet)}!{cell}",
                      reference(sheet, first, top, last_col, max_row)))
    return found


def bar_chart(title: str, direction: str, series: Sequence[tuple[str, str]], categories: str,
              *, style: int, legend: bool) -> bytes:
    """xl/charts/chartN.xml of an openpyxl ``BarChart``: ``direction`` «bar» or «col»,
    ``series`` (title's cell, values) sharing ``categories``, a title, the default axes."""
    a = f'xmlns:a="{DRAWING_NS}"'
    parts = "".join(
        f'<ser><idx val="{i}"/><order val="{i}"/><tx><strRef><f>{text(name)}</f></strRef></tx>'
        f'<spPr><a:ln {a}><a:prstDash val="solid"/></a:ln></spPr><cat><numRef>'
        f"<f>{text(categories)}</f></numRef></cat><val><numRef><f>{text(values)}</f></numRef>"
        "</val></ser>" for i, (name, values) in enumerate(series))
    axes = ('<catAx><axId val="10"/><scaling><orientation val="minMax"/></scaling><axPos val="l"/>'
            '<majorTickMark val="none"/><minorTickMark val="none"/><crossAx val="100"/>'
            '<lblOffset val="100"/></catAx><valAx><axId val="100"/><scaling><orientation '
            'val="minMax"/></scaling><axPos val="l"/><majorGridlines/><majorTickMark val="none"/>'
            '<minorTickMark val="none"/><crossAx val="10"/></valAx>')
    return (f'<chartSpace xmlns="{CHART_NS}"><style val="{style}"/><chart><title><tx><rich>'
            f'<a:bodyPr {a}/><a:p {a}><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{text(title)}</a:t>'
            f'</a:r></a:p></rich></tx></title><plotArea><barChart><barDir val="{direction}"/>'
            f'<grouping val="clustered"/>{parts}<gapWidth val="150"/><axId val="10"/>'
            f'<axId val="100"/></barChart>{axes}</plotArea>'
            + ('<legend><legendPos val="r"/></legend>' if legend else "")
            + '<plotVisOnly val="1"/><dispBlanksAs val="gap"/></chart></chartSpace>').encode()


def drawing(anchors: Sequence[tuple[int, int, float, float]]) -> tuple[bytes, bytes]:
    """xl/drawings/drawingN.xml and its relationships: a chart (rId1…) per anchor, each at
    a cell (column and row from 0) with its width and height in centimetres."""
    frames = "".join(
        f"<oneCellAnchor><from><col>{col}</col><colOff>0</colOff><row>{row}</row>"
        f'<rowOff>0</rowOff></from><ext cx="{int(width * EMU_PER_CM)}" '
        f'cy="{int(height * EMU_PER_CM)}"/><graphicFrame><nvGraphicFramePr><cNvPr id="{n}" '
        f'name="Chart {n}"/><cNvGraphicFramePr/></nvGraphicFramePr><xfrm/><a:graphic '
        f'xmlns:a="{DRAWING_NS}"><a:graphicData uri="{CHART_NS}"><c:chart xmlns:c="{CHART_NS}" '
        f'xmlns:r="{REL_NS}" r:id="rId{n}"/></a:graphicData></a:graphic></graphicFrame>'
        "<clientData/></oneCellAnchor>"
        for n, (col, row, width, height) in enumerate(anchors, start=1))
    rels = "".join(f'<Relationship Type="{REL_NS}/chart" Target="/xl/charts/chart{n}.xml" '
                   f'Id="rId{n}"/>' for n in range(1, len(anchors) + 1))
    return ('<wsDr xmlns="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
            f"{frames}</wsDr>").encode(), \
        f'<Relationships xmlns="{PACKAGE_RELS}">{rels}</Relationships>'.encode()


def drawing_rels(n: int = 1) -> bytes:
    """A sheet's relationships part holding only its drawing (rId1)."""
    return (f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Type="{REL_NS}/drawing" '
            f'Target="/xl/drawings/drawing{n}.xml" Id="rId1"/></Relationships>').encode()
