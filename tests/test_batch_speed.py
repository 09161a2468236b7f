"""The batch's speed-ups change no byte of output (issue 19).

* ``compiler._resolve_listing`` runs docxtpl's ``resolve_listing`` only on the
  paragraphs holding \\t \\a \\n or \\f: it must give what docxtpl gives on the whole
  part, whatever the paragraphs look like;
* ``api.build.preload_for_workers`` loads, before a batch forks its workers, what
  they would load for themselves: a batch built by preloaded, forked workers must
  give the same files as one process, and a broken template of a clerk's folder
  must still be reported by its render, not lost in the preloading.
"""

from __future__ import annotations

import copy
import hashlib
import io
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import paragraphs_template, python_output
from docxtpl import DocxTemplate

from docgen.api.build import preload_for_workers
from docgen.cli import cli
from docgen.templating import builtin_templates, compiler, render, render_plain
from docgen.templating.compiler import _resolve_listing

DATA = Path(__file__).resolve().parent.parent / "data"

P_PR = '<w:pPr><w:jc w:val="center"/></w:pPr>'
R_PR = "<w:rPr><w:b/></w:rPr>"
PARAGRAPHS = [
    "<w:p><w:r><w:t>без особых знаков</w:t></w:r></w:p>",
    f'<w:p w:rsidR="00A1">{P_PR}<w:r>{R_PR}<w:t xml:space="preserve">а\tб</w:t></w:r></w:p>',
    f"<w:p>{P_PR}<w:r><w:t>строка\nстрока</w:t></w:r><w:r>{R_PR}<w:t>x\ay</w:t></w:r></w:p>",
    f"<w:p><w:r>{R_PR}<w:t>до\fпосле</w:t></w:r></w:p>",
    "<w:p><w:pPr><w:pStyle w:val=\"a\"/></w:pPr></w:p>",  # no run at all
    # a text box: a paragraph inside a paragraph (docxtpl's regex ends at the inner one)
    "<w:p><w:r><w:t>внешний\tабзац</w:t></w:r><w:r><w:drawing><w:txbxContent><w:p><w:r>"
    "<w:t>внутренний\nабзац</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>",
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>в\tтаблице</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    "<w:sectPr/>\n",  # a \n outside any paragraph: left as it is
]


def body(*paragraphs: str) -> str:
    return ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(paragraphs) + "</w:body>")


def docxtpl_listing(xml: str) -> str:
    return DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_listing_of_one_paragraph_is_docxtpls(paragraph: str) -> None:
    xml = body(PARAGRAPHS[0], paragraph, PARAGRAPHS[0])
    assert _resolve_listing(xml) == docxtpl_listing(xml)


def test_listing_of_random_documents_is_docxtpls() -> None:
    rng = random.Random(19)
    for _ in range(200):
        xml = body(*rng.choices(PARAGRAPHS, k=rng.randint(1, 12)))
        assert _resolve_listing(xml) == docxtpl_listing(xml)


def test_listing_changes_what_docxtpl_changes() -> None:
    """Not a no-op that would pass the comparisons above only when nothing is to do."""
    xml = body(PARAGRAPHS[2])
    resolved = _resolve_listing(xml)
    assert resolved != xml
    assert "<w:br/>" in resolved and "\n" not in resolved
    assert resolved.count(P_PR) == 2  # «\a» opened a new paragraph with the same properties


def test_a_run_resolved_apart_from_its_paragraph_would_differ() -> None:
    """Why each paragraph goes through docxtpl whole: a run alone would lose the paragraph's
    properties in the paragraph «\\a» opens; the comparison catches such a shortcut."""
    import re

    def runs_alone(xml: str) -> str:
        return re.sub(r"<w:r(?: [^>]*)?>.*?</w:r>",
                      lambda m: docxtpl_listing(f"<w:p>{m[0]}</w:p>")[5:-6], xml, flags=re.S)

    xml = body(PARAGRAPHS[2])
    assert runs_alone(xml) != docxtpl_listing(xml)
    assert _resolve_listing(xml) == docxtpl_listing(xml)


def test_listing_in_a_rendered_document_equals_plain_docxtpl(tmp_path: Path) -> None:
    path = paragraphs_template(tmp_path, "Заголовок без знаков", "{{ a }}", "обычный абзац",
                               "{{ b }}", "{{ c }}")
    context = {"a": "первая\nвторая", "b": "колонка\tколонка", "c": "абзац\aещё\fлист"}
    ours = render(path, context)
    plain = render_plain(path, context)
    assert _members(ours) == _members(plain)
    text = [p.text for p in docx.Document(io.BytesIO(ours)).paragraphs]
    assert "первая\nвторая" in text and "колонка\tколонка" in text


def _members(package: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_preloading_loads_the_modules_and_every_builtin_template(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.language import russian

    monkeypatch.setattr(compiler, "_compiled", {})
    monkeypatch.setattr("multiprocessing.get_start_method", lambda *a, **k: "fork")
    russian._morph.cache_clear()
    preload_for_workers()
    loaded = {Path(key[0]).name for key in compiler._compiled}
    assert loaded == {p.name for p in builtin_templates().glob("*.docx")}
    assert {"docgen.content.documents", "docgen.workbook.validate", "docgen.runtime.files",
            "python_calamine"} <= set(sys.modules)
    assert russian._morph.cache_info().currsize == 1  # pymorphy3's dictionary, once


def test_without_fork_nothing_is_preloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers (Windows, macOS) inherit nothing: loading would only cost time."""
    monkeypatch.setattr(compiler, "_compiled", {})
    monkeypatch.setattr("multiprocessing.get_start_method", lambda *a, **k: "spawn")
    preload_for_workers()
    assert compiler._compiled == {}


def test_a_broken_template_of_a_clerks_folder_does_not_stop_preloading(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = tmp_path / "шаблоны"
    own.mkdir()
    (own / "protocol.docx").write_bytes(b"not a zip")
    shutil.copy(builtin_templates() / "plan.docx", own / "plan.docx")
    monkeypatch.setattr(compiler, "_compiled", {})
    monkeypatch.setattr("multiprocessing.get_start_method", lambda *a, **k: "fork")
    (own / "письмо директору.docx").write_bytes(b"not a template either")
    preload_for_workers([own, tmp_path / "нет такой папки"])
    loaded = {Path(key[0]) for key in compiler._compiled}
    assert own / "plan.docx" in loaded
    assert own / "protocol.docx" in loaded  # tried, its error kept for its render to report
    assert own / "письмо директору.docx" not in loaded  # names no document: not a template


def _digests(folder: Path) -> dict[str, str]:
    """Every output file's hash; a manifest's too, but without its run id and file times."""
    import json

    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == ".docgen.lock":
            continue
        data = path.read_bytes()
        if path.name == ".docgen.json":
            manifest = json.loads(data)
            manifest.get("group", {}).pop("run", None)
            for table in manifest.values():
                for about in table.values() if isinstance(table, dict) else ():
                    if isinstance(about, dict):
                        about.pop("mtime_ns", None)
                        about.pop("ctime_ns", None)
            data = json.dumps(manifest, sort_keys=True).encode()
        found[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return found


def test_a_preloaded_forked_batch_writes_what_one_process_writes(
        content: dict, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """Every file of the batch, registry, summary and manifests included, byte for byte."""
    books = tmp_path / "книги"
    books.mkdir()
    for n, name in enumerate(("Первая", "Вторая", "Третья")):
        data = copy.deepcopy(content)
        data["Группа"]["Название"] = name
        shutil.move(make_workbook(data, f"{n}.xlsx"), books / f"{n}.xlsx")
    for photos in DATA.iterdir():  # the example groups, with their photos
        if photos.is_dir():
            shutil.copytree(photos, books / photos.name)
    for example in sorted(DATA.glob("*.xlsx"))[:2]:
        shutil.copy(example, books / example.name)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        result = CliRunner().invoke(cli, ["build", str(books), "-o", str(out), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        outputs[jobs] = _digests(out)
    assert len([n for n in outputs["1"] if n.endswith(".docx")]) > 40
    assert outputs["2"] == outputs["1"]


@pytest.mark.slow  # a whole profiling run in a subprocess
def test_the_profile_runs_on_a_tiny_centre() -> None:
    """benchmarks/profile_build.py is a tool: it must not rot. No timing is asserted."""
    import subprocess

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "profile_build.py"
    result = subprocess.run([sys.executable, str(script), "--workbooks", "2", "--repeat", "1"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("centre: 2 workbooks")
    stages = {line[2:38].strip() for line in lines if line.startswith("  ")}
    assert {"render (jinja + XML)", "reading (workbook .xlsx)", "zip (deflate + headers)",
            "registry (Реестр документов.xlsx)", "typography pass"} <= stages
    assert any(line.startswith("  --jobs 2:") for line in lines)


def test_xml_escaping_is_saxutils_character_for_character() -> None:
    """The chart's caption and the summary's text: the same bytes as with xml.sax.saxutils."""
    import itertools
    from xml.sax.saxutils import escape, quoteattr

    from docgen.text import xml_escape, xml_quoteattr

    alphabet = ["а", "&", "<", ">", '"', "'", "\n", "\r", "\t", "&amp;", "«»"]
    for size in range(5):
        for letters in itertools.product(alphabet, repeat=size):
            text = "".join(letters)
            assert xml_quoteattr(text) == quoteattr(text), text
            assert xml_escape(text) == escape(text), text
    assert xml_quoteattr("Рисунок 1 – «\"а\" и 'б'»") == '"Рисунок 1 – «&quot;а&quot; и \'б\'»"'


def test_a_batch_worker_does_not_import_the_web_client_modules() -> None:
    """xml.sax.saxutils would bring urllib.request, http and email: 40 ms a process."""

    code = ("import sys, docgen.main, docgen.api.build; docgen.api.build.preload_for_workers(); "
            "print(sorted(m for m in ('urllib.request', 'http.client', 'email.message') "
            "if m in sys.modules))")
    assert python_output(code).strip() == "[]"


def test_a_broken_template_preloaded_before_the_fork_fails_its_documents_only(
        content: dict, make_workbook: Callable[..., Path], tmp_path: Path) -> None:
    """The parent compiles the clerk's template (and fails) before forking: each worker
    still reports it for that document and writes the others."""
    own = tmp_path / "шаблоны"
    own.mkdir()
    doc = docx.Document(str(builtin_templates() / "plan.docx"))
    doc.add_paragraph("Ответственный: {{ grup.head }}")
    doc.save(str(own / "plan.docx"))
    books = tmp_path / "книги"
    books.mkdir()
    for n, name in enumerate(("Первая", "Вторая")):
        data = copy.deepcopy(content)
        data["Группа"]["Название"] = name
        shutil.move(make_workbook(data, f"{n}.xlsx"), books / f"{n}.xlsx")
    result = CliRunner().invoke(cli, ["build", str(books), "-o", str(tmp_path / "out"),
                                      "--templates", str(own), "--jobs", "2"])
    assert result.exit_code == 1
    assert "Не записаны 2 документа (книги 0.xlsx, 1.xlsx): шаблон «plan.docx»" in result.stderr
    assert "неизвестная переменная «grup»" in result.stderr
    assert "Записано: 18 документов." in result.output
    written = sorted(p.name for p in (tmp_path / "out").rglob("*.docx"))
    assert not any("План" in name or "Дорожная" in name for name in written)


def test_a_host_program_s_openpyxl_takes_numpy_numbers_after_import_docgen(
        tmp_path: Path) -> None:
    """docgen once hid numpy from openpyxl (an import hook, 0.13 s a worker), which broke a
    host program's openpyxl: «Cannot convert np.int64(5) to Excel» (issue 29). Workbooks are
    read by calamine now, without openpyxl; openpyxl is left as it is."""
    pytest.importorskip("numpy")
    code = ("import sys, docgen, openpyxl, numpy; wb = openpyxl.Workbook(); "
            "wb.active['A1'] = numpy.int64(5); wb.save(sys.argv[1]); "
            "print(openpyxl.load_workbook(sys.argv[1]).active['A1'].value)")
    assert python_output(code, str(tmp_path / "книга.xlsx")).split() == ["5"]


def test_checking_a_workbook_imports_neither_openpyxl_nor_numpy() -> None:
    """What the hook saved is saved by the reader itself: calamine needs neither."""
    code = ("import sys; from docgen.main import check_workbook; "
            "r = check_workbook('data/klin-masterskaya.xlsx'); "
            "print(r.ok, 'openpyxl' in sys.modules, 'numpy' in sys.modules)")
    assert python_output(code).split() == ["True", "False", "False"]


def test_a_forked_batch_leaves_the_parents_garbage_collection_as_it_was(
        content: dict, make_workbook: Callable[..., Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The preloaded objects are frozen for the forked workers only, never in the parent.

    A frozen object is never collected: a web server building batch after batch
    would keep every one of them.
    """
    import gc

    from docgen.api.build import build_batch

    books = []
    for n, name in enumerate(("Первая", "Вторая")):
        data = copy.deepcopy(content)
        data["Группа"]["Название"] = name
        books.append(make_workbook(data, f"{n}.xlsx"))
    frozen: list[int] = []
    real = gc.unfreeze
    monkeypatch.setattr(gc, "unfreeze", lambda: (frozen.append(gc.get_freeze_count()), real()))
    results = list(build_batch(books, tmp_path / "out", jobs=2))
    assert [r.ok for _, r in results] == [True, True]
    assert frozen and frozen[0] > 0  # frozen while the workers were forked
    assert gc.get_freeze_count() == 0


def test_the_text_fast_paths_give_what_the_full_forms_give() -> None:
    """xml_safe and fold_spaces skip their replacements when nothing is to replace:
    every string of up to three tricky characters comes out as from the replacements."""
    import itertools

    from docgen import text

    def full_xml_safe(value: str) -> tuple[str, list[str]]:
        value = text._BREAKS.sub("\n", value)
        removed = sorted({f"U+{ord(ch):04X}" for ch in text._NOT_XML.findall(value)})
        return (text._NOT_XML.sub("", value), removed) if removed else (value, [])

    alphabet = ["a", "я", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
                "\x00", "\x07", "\x1f", "\x7f", "\x9f", "\xa0", "\ufffe", "\uffff", "\ud800",
                "\u2007", "\u202f", "\x0e"]
    for size in range(4):
        for letters in itertools.product(alphabet, repeat=size):
            value = "".join(letters)
            assert text.xml_safe(value) == full_xml_safe(value), repr(value)
            assert text.fold_spaces(value) == text._LINE_SPACES.sub(" ", value).strip(), \
                repr(value)


def test_the_largest_workbooks_are_built_first(tmp_path: Path) -> None:
    from docgen.api.build import _largest_first

    paths = []
    for name, size in (("a", 10), ("b", 30), ("c", 20), ("d", 30)):
        (tmp_path / name).write_bytes(b"x" * size)
        paths.append(tmp_path / name)
    paths.append(tmp_path / "нет такого")
    assert _largest_first(paths) == [1, 3, 2, 0, 4]


def test_a_dicts_names_are_looked_up_as_jinja_looks_them_up() -> None:
    """The sandbox's shortcut for ``d.name`` gives what Jinja's own lookup gives."""
    from jinja2.sandbox import SandboxedEnvironment

    from docgen.templating import environment

    env = environment()
    context = {"name": "Иванова", "values": [1, 2], "items": "ключ", "get": 0, "none": None,
               "__class__": "ключ"}

    def shown(value: object) -> str:
        return f"{type(value).__name__}:{value!r}" if not callable(value) else \
            f"method {getattr(value, '__name__', '')}"

    for name in ["name", "values", "items", "get", "none", "__class__", "нет", "keys", "mro",
                 "__init__", "pop"]:
        ours = env.getattr(context, name)
        jinjas = SandboxedEnvironment.getattr(env, context, name)
        assert shown(ours) == shown(jinjas), name
        assert type(ours) is type(jinjas), name
    rendered = env.from_string("{{ d.name }} {{ d.values }} {{ d['values'] }}").render(
        d=context)
    assert rendered.startswith("Иванова ") and rendered.endswith(" [1, 2]")
    assert "[1, 2] [1, 2]" not in rendered  # d.values is the method, as in Jinja


def test_each_document_is_hashed_once(content: dict, make_workbook: Callable[..., Path],
                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """expect() hashes the documents before they are written; write() reuses those hashes."""
    from docgen.api.build import build_workbook
    from docgen.output import folders as output

    hashed: list[int] = []
    real = output._digest
    monkeypatch.setattr(output, "_digest", lambda data: (hashed.append(len(data)), real(data))[1])
    result = build_workbook(make_workbook(content), tmp_path / "out")
    assert result.ok and len(result.written) > 5
    assert len(hashed) == len(result.written)  # twice before: once more for the manifest


def test_a_whole_batch_imports_no_openpyxl(tmp_path: Path) -> None:
    """Reading, the registry and the summary table need no openpyxl: 0.1 s of every run."""

    code = ("import sys; from docgen.cli import main\n"
            "sys.argv = ['docgen', 'build', 'data', '-o', sys.argv[1], '--jobs', '2', '-q']\n"
            "try:\n    main()\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('openpyxl' in sys.modules)")
    out = python_output(code, str(tmp_path / "out"))
    assert out.strip().splitlines()[-1] == "False", out
    assert (tmp_path / "out" / "2025-2026 учебный год" / "Сводная таблица.xlsx").is_file()
