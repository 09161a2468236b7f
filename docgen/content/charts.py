"""Charts in documents: bar charts drawn by matplotlib.

A chart is data (``chart_view``): a caption, its labels and numbers. In a
template's context (``with_picture``) it gets ``picture``, an ordinary Picture,
as a photo is, drawn only when a document prints it; the render puts it in like
any picture. The сводный отчёт, written without a template, puts the drawn PNG
(``picture``) in as it writes the chart's paragraph (``summary._Writer.chart``).

matplotlib is imported only when a chart is drawn (it costs half a second).
The same data gives the same picture, so a drawing is kept: in memory for the
batch and on disk beside the compiled templates (``cache.py``), keyed by the
data, matplotlib's version and this module's code. The PNG carries no time,
and the figure's fonts and colours (black and grey, which print well) are set
here, so a rerun gives byte-identical documents.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

WIDTH_CM = 16.0
HEIGHT_CM = 7.0
# Columns whose names fit under them; more (a centre's groups) and the names would run into
# each other: the bars go across instead, a row each, and the picture grows to hold them.
MAX_COLUMNS = 8
ROW_LINE_CM = 0.42  # a line of a row's name at 9 pt, with its share of the gap
MAX_HEIGHT_CM = 22.0  # a page of A4 inside its margins, with the caption
DPI = 150
DARK, LIGHT = "#595959", "#bfbfbf"
FONTS = ("Liberation Serif", "Times New Roman", "DejaVu Serif")  # the documents' face first
CACHE_KEEP = 2000


def chart_view(number: int, title: str, labels: list[str], values: list[float],
               value_name: str, reference: list[float] | None = None,
               reference_name: str = "", horizontal: bool = False) -> dict[str, Any]:
    """A chart as data: «Рисунок N – title» and its figures (its picture: ``picture``)."""
    return {
        "number": number,
        "caption": f"Рисунок {number} – {title}",
        "title": title,
        "labels": list(labels),
        "values": list(values),
        "value_name": value_name,
        "reference": list(reference or []),
        "reference_name": reference_name,
        "horizontal": horizontal,
    }


def with_picture(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart for a template: ``picture`` a Picture 16 cm wide, drawn when printed.

    Its size is known before drawing (``_height_cm``); its caption is its
    description (alt text) for a reader that does not see it.
    """
    from docgen.templating import Picture

    height = _height_cm(chart)
    pixels = (int(WIDTH_CM / 2.54 * DPI), int(height / 2.54 * DPI))  # as matplotlib cuts
    return {**chart, "picture": Picture(lambda: picture(chart), WIDTH_CM * 10, height * 10,
                                        chart["caption"], pixels, alt=chart["caption"])}


def _height_cm(chart: dict[str, Any]) -> float:
    """The picture's height: 7 cm, or each row as tall as its name's lines when across."""
    labels, reference = chart["labels"], chart["reference"]
    if not (chart["horizontal"] or len(labels) > MAX_COLUMNS):
        return HEIGHT_CM
    lines = sum(_wrap(str(x)).count("\n") + 1 for x in labels)
    return min(MAX_HEIGHT_CM, max(HEIGHT_CM, 2.2 + ROW_LINE_CM * lines
                                  + (0.25 * len(labels) if reference else 0)))


def _spec(chart: dict[str, Any]) -> str:
    """What decides a chart's picture, as a stable text: its cache key."""
    keys = ("labels", "values", "value_name", "reference", "reference_name", "horizontal")
    return json.dumps({k: chart[k] for k in keys}, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=1)
def _matplotlib() -> tuple[Any, Any, str]:
    """matplotlib set up once: Agg, fixed rcParams, the documents' font if there is one."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in FONTS if f in installed), "DejaVu Sans")
    matplotlib.rcParams.update({
        "font.family": family, "font.size": 10, "axes.edgecolor": "black",
        "axes.linewidth": 0.8, "hatch.linewidth": 0.6, "hatch.color": "black",
        "svg.hashsalt": "docgen", "path.simplify": True, "text.color": "black",
        "axes.labelcolor": "black", "xtick.color": "black", "ytick.color": "black",
    })
    return Figure, FigureCanvasAgg, f"{matplotlib.__version__}|{family}"


def _cache_file(spec: str) -> Path | None:
    from docgen.runtime.diskcache import folder, salt

    where = folder()
    if where is None:
        return None
    name = hashlib.sha256(salt() + spec.encode()).hexdigest()
    return where / "charts" / f"{name}.png"


_drawn: dict[str, bytes] = {}  # this process's pictures by their data: once per batch


def picture(chart: dict[str, Any]) -> bytes:
    """The chart's PNG: from this batch, from the disk cache, or drawn now."""
    spec = _spec(chart)
    if spec in _drawn:
        return _drawn[spec]
    stored = _cache_file(spec)
    data = None
    if stored is not None:
        with contextlib.suppress(OSError):
            data = stored.read_bytes()
            if not data.startswith(b"\x89PNG"):
                data = None
    if data is None:
        data = draw(chart)
        if stored is not None:  # for the next run; a failure only means drawing it again
            from docgen.runtime.diskcache import keep

            keep(stored, data, CACHE_KEEP)
    _drawn[spec] = data
    return data


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def draw(chart: dict[str, Any]) -> bytes:
    """Draw the chart: grey bars with their numbers, a hatched reference beside them."""
    import io

    from docgen.errors import DocgenError

    try:
        figure_class, canvas_class, _ = _matplotlib()
    except ImportError as exc:
        raise DocgenError("для диаграмм в документах нужна библиотека matplotlib; "
                          "установите её: pip install matplotlib") from exc
    labels, values = chart["labels"], chart["values"]
    reference = chart["reference"]
    horizontal = chart["horizontal"] or len(labels) > MAX_COLUMNS
    height = _height_cm(chart)
    cm = 1 / 2.54
    fig = figure_class(figsize=(WIDTH_CM * cm, height * cm), dpi=DPI)
    canvas_class(fig)
    ax = fig.add_subplot()
    longest = max((len(str(x)) for x in labels), default=1)
    if horizontal:  # the 7 cm picture's margins (the same floats), in cm, room for a legend
        fig.subplots_adjust(left=min(0.5, 0.06 + 0.0125 * longest), right=0.95,
                            top=1 - (0.08 if not reference else 0.14) * HEIGHT_CM / height,
                            bottom=0.16 * HEIGHT_CM / height)
    else:
        fig.subplots_adjust(left=0.08, right=0.98, top=0.86 if reference else 0.92,
                            bottom=0.30 if longest > 10 else 0.18)
    positions = list(range(len(labels)))
    width = 0.38 if reference else 0.6
    shift = width / 2 if reference else 0.0
    bar = ax.barh if horizontal else ax.bar
    main_at = [p - shift for p in positions] if horizontal and reference else (
        [p + shift for p in positions] if reference and not horizontal else positions)
    kwargs = {"height" if horizontal else "width": width}
    bars = bar(main_at, values, color=DARK, edgecolor="black", linewidth=0.6,
               label=chart["value_name"], **kwargs)
    if reference:
        ref_at = ([p + shift for p in positions] if horizontal
                  else [p - shift for p in positions])
        bar(ref_at, reference, color="white", edgecolor="black", hatch="///", linewidth=0.6,
            label=chart["reference_name"], **kwargs)
        if horizontal:  # across the whole picture: the names take its left part
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.0),
                      bbox_transform=fig.transFigure, ncol=2, frameon=False, fontsize=9)
        else:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False,
                      fontsize=9)
    ax.bar_label(bars, labels=[_number_text(v) for v in values], padding=2, fontsize=9)
    top = max([*values, *reference, 1])
    names = [_wrap(str(x)) for x in labels]
    if horizontal:
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.set_xticks(positions, names, fontsize=9 if longest <= 10 else 8)
        ax.set_ylim(0, top * 1.18)
        ax.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _wrap(text: str, width: int = 18) -> str:
    """A long label on two or three lines, broken at spaces."""
    if "\n" in text:
        return text
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 3:
        lines = [*lines[:2], lines[2] + "…"]
    return "\n".join(lines)
