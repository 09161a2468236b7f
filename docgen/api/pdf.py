"""PDF copies beside the documents (``--pdf``): converted by LibreOffice (``docgen.pdf.convert``),
placed under the same manifest as the .docx they come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError, OutputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from docgen.api.build import BuildResult



@dataclass
class PdfWritten:
    """A PDF written beside its document; ``kept`` is a hand-edited PDF it did not replace."""

    source: Path
    path: Path
    kept: Path | None = None


@dataclass
class PdfResult:
    """What ``convert_to_pdf`` did with each document."""

    written: list[PdfWritten] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)  # PDFs already of these very documents
    failed: list[tuple[Path, DocgenError]] = field(default_factory=list)  # (document, why)

    @property
    def ok(self) -> bool:
        return not self.failed


def pdf_sources(results: list[BuildResult]) -> list[Path]:
    """The files of a batch to make PDFs of, in order: documents, then each group's bundle.

    A document the clerk edited by hand, and docgen kept, gets its PDF as well
    as docgen's new version beside it: each .docx has the PDF of what it says.
    """
    found: list[Path] = []
    for result in results:
        for written in result.written:
            found += [written.path] + ([written.kept] if written.kept else [])
        if result.bundle is not None:
            found += [result.bundle] + ([result.bundle_kept] if result.bundle_kept else [])
    return found


def convert_to_pdf(paths: list[Path], jobs: int | None = None, force: bool = False,
                   progress: Callable[[int], None] | None = None,
                   soffice: str | Path | None = None) -> PdfResult:
    """A PDF beside each .docx of ``paths`` (same name), made by LibreOffice.

    One LibreOffice start converts a chunk of documents; ``jobs`` instances run
    at a time (by default one per core, at most 4). Each PDF is written like a
    document (``GroupFolder``): a PDF edited or replaced by hand is kept and the
    new one goes beside it, unless ``force``. A PDF already made from the very
    same .docx (by its hash in the manifest) is not made again unless
    ``force``. A document LibreOffice cannot convert is in ``failed``; the
    others are still converted. Raises LibreOfficeNotFound when there is no
    LibreOffice and some PDF is to be made. ``progress`` is called with the
    number of documents done.
    """
    import os

    from docgen.output.folders import Manifest
    from docgen.pdf import convert as pdf

    result = PdfResult()
    unique = list(dict.fromkeys(Path(p) for p in paths))
    manifests: dict[Path, Manifest] = {}
    todo: list[Path] = []
    for path in unique:
        current = None
        if not force:
            manifest = manifests.setdefault(path.parent, Manifest.read(path.parent))
            current = _current_pdf(manifest, path)
        if current is None:
            todo.append(path)
            continue
        result.current.append(current)
        if progress is not None:
            progress(1)
    if not todo:
        return result  # every PDF is current: LibreOffice is not even needed
    program = Path(soffice) if soffice is not None else pdf.find_soffice()
    instances = jobs or min(os.cpu_count() or 1, 4)
    for chunk in pdf.convert(todo, program, instances=instances):
        _place_pdfs(chunk, result, force)
        if progress is not None:
            progress(len(chunk))
    return result


def _current_pdf(manifest: Any, document: Path) -> Path | None:
    """The PDF docgen already made from exactly this document, if it is still as made."""
    import hashlib

    from docgen.output.folders import DERIVED

    made = [name for name, about in manifest.documents.items()
            if about.get(DERIVED) == "pdf" and about.get("from") == document.name]
    if not made:
        return None
    try:
        if manifest.unchanged(document):  # by size and time: the document is not read
            digest = manifest.files[document.name]
        else:
            digest = hashlib.sha256(document.read_bytes()).hexdigest()
    except OSError:
        return None
    for name in made:
        if manifest.documents[name].get("source_sha256") != digest:
            continue
        try:
            if manifest.unchanged(document.parent / name):
                return document.parent / name
        except OSError:
            continue
    return None


def _place_pdfs(chunk: list[Any], result: PdfResult, force: bool) -> None:
    """Move a chunk's PDFs from LibreOffice's folder beside their documents, folder by folder."""
    from docgen.output.folders import DERIVED, GroupFolder

    by_folder: dict[Path, list[Any]] = {}
    for converted in chunk:
        if converted.error is not None:
            result.failed.append((converted.source, converted.error))
        else:
            by_folder.setdefault(converted.source.parent, []).append(converted)
    for where, items in by_folder.items():
        made: list[tuple[Any, bytes]] = []
        for converted in items:
            try:
                made.append((converted, converted.pdf.read_bytes()))
            except OSError as exc:
                from docgen.runtime.files import os_problem

                result.failed.append((converted.source, OutputError(
                    f"не удалось прочитать PDF: {os_problem(exc, converted.pdf, writing=False)}")))
        try:
            with GroupFolder(where, force=force) as folder:
                folder.expect([data for _, data in made])
                for converted, data in made:
                    about = {DERIVED: "pdf", "from": converted.source.name,
                             "source_sha256": converted.sha256}
                    try:
                        target, kept = folder.write(f"{converted.source.stem}.pdf", data, about)
                    except DocgenError as exc:
                        result.failed.append((converted.source, exc))
                        continue
                    result.written.append(PdfWritten(converted.source, target, kept))
                folder.finish()
        except DocgenError as exc:
            written = {w.source for w in result.written}
            result.failed += [(c.source, exc) for c, _ in made if c.source not in written]
