"""What a batch writes over all its groups: the registry and the year's summaries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.api.build import BuildResult

    pass


def write_registries(results: list[BuildResult]) -> list[Path]:
    """Rewrite «Реестр документов.xlsx» in every year folder this batch wrote to.

    Each registry lists every document docgen wrote in that year folder, by
    every run, not only this one: it is made from the group folders' manifests.
    """
    from docgen.output.registry import write_registry

    years = sorted({r.folder.parent for r in results if r.folder is not None and r.written})
    return [write_registry(year) for year in years]


def write_summaries(results: list[BuildResult]) -> list[Path]:
    """«Сводный отчёт» and «Сводная таблица.xlsx» in every year folder this batch wrote to.

    Made from all group folders of the year (see ``summary.py``), when there are
    two groups or more; a year folder of one group gets none.
    """
    from docgen.output.summary import write_summary

    years = sorted({r.folder.parent for r in results if r.folder is not None and r.written})
    return [path for year in years for path in write_summary(year)]
