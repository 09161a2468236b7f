"""How fast docgen builds a whole centre, against plain docxtpl on the same work.

Run from the checkout, with docgen installed:

    python benchmarks/bench_build.py            # 250 workbooks, about 4,000 documents
    python benchmarks/bench_build.py --workbooks 50 --baseline-sample 500

It generates a synthetic centre (the five example groups, renamed and grown by
a varying number of members), then in one run measures:

* ``docgen build CENTRE -o OUT --jobs N`` as a clerk runs it — a new process,
  workbook reading, validation, rendering, writing and the registry included —
  for ``--jobs 1`` and for every core, the fastest of ``--repeat`` runs (a short
  run suffers most from whatever else the machine does), with the peak memory
  of all its processes;
* first, ``--warmup`` untimed runs (printed apart): a clerk's second run finds the
  compiled templates, charts and prepared photos in docgen's disk cache, and a
  first run that fills it would make the best-of-N spread say nothing;
* the plain docxtpl loop on the same templates and contexts: one
  ``DocxTemplate(...)`` per document, ``render(ctx, autoescape=True)``, ``save``;
* the ratio of the two throughputs, and how long ``docgen --help`` takes.

Before any run, each measured checkout's modules are compiled to ``.pyc`` (as
``pip install`` compiles an installed docgen): where ``PYTHONDONTWRITEBYTECODE``
is set, an editable checkout would otherwise compile its modules from source in
every run, about 0.12 s of CPU that no clerk's run pays (``--no-bytecode``
measures that way).

Nothing here is a test: the suite never asserts timings.
"""

from __future__ import annotations

import argparse
import copy
import functools
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = ["Абрамов", "Белов", "Воронцов", "Голубев", "Данилов", "Ефимов", "Жуков",
            "Зайцев", "Исаев", "Комаров", "Лебедев", "Миронов", "Никитин", "Орлов",
            "Павлов", "Романов", "Соколов", "Тихонов", "Фролов", "Яковлев"]


def copy_photos(folder: Path) -> None:
    """The examples' event photos, beside the workbooks that name them."""
    for photos in (ROOT / "data").iterdir():
        if photos.is_dir() and not (folder / photos.name).exists() and any(
                p.suffix in (".jpg", ".png") for p in photos.rglob("*")):
            shutil.copytree(photos, folder / photos.name)


def synthetic_centre(folder: Path, workbooks: int) -> list[Path]:
    """``workbooks`` filled workbooks of the five kinds, each group a little different."""
    from docgen.kinds import find_kind
    from docgen.workbook.blank import blank_workbook, fill_workbook, save_atomically

    examples = list(runpy.run_path(str(ROOT / "data" / "examples.py"))["EXAMPLES"].items())
    written = []
    for i in range(workbooks):
        file_name, original = examples[i % len(examples)]
        content = copy.deepcopy(original)
        content["Группа"]["Название"] = f"{content['Группа']['Название']} {i + 1}"
        members = content["Участники"]
        model = next(m for m in members if m.get("Роль") != "руководитель")
        # surnames the example uses nowhere: an extra «Никитин» would also be the absent
        # or invited Никитин of a meeting, and check would count him twice
        used = repr(original)
        free = [s for s in SURNAMES if s not in used]
        for n in range(i % 11):  # 0..10 more members: about 20 documents per group
            extra = dict(model)
            male = str(extra.get("Отчество", "")).endswith("ич")
            surname = free[(i + n) % len(free)]
            extra["Фамилия"] = surname if male else f"{surname}а"
            extra["Эл. почта"] = f"member{i}-{n}@example.ru"
            extra["Роль"] = "участник"
            for key in ("Дата включения", "Дата выбытия", "Номер приказа о включении",
                        "Дата приказа о включении", "Номер приказа о выбытии",
                        "Дата приказа о выбытии"):
                extra.pop(key, None)  # a member all year, at every meeting
            members.append(extra)
        for meeting in content.get("Заседания", []):
            if meeting.get("Присутствовало") is not None:
                meeting["Присутствовало"] += i % 11
        wb = blank_workbook(find_kind(content["Группа"]["Вид объединения"]))
        fill_workbook(wb, content)
        path = folder / f"{i + 1:03d}-{file_name}"
        save_atomically(wb, path)
        written.append(path)
    copy_photos(folder)
    return written


class PeakMemory:
    """Peak resident memory of a process and all its children, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self, pid: int) -> list[int]:
        pids = [pid]
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    pids.extend(self._tree(int(child)))
        except OSError:
            pass
        return pids

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree(self.pid)))
            time.sleep(0.02)


@functools.lru_cache(maxsize=1)
def compile_bytecode(checkout: Path) -> None:
    """Write the ``.pyc`` of a checkout's docgen, as pip does when it installs a package."""
    import compileall

    compileall.compile_dir(checkout / "docgen", quiet=1, workers=1)


def neutral_folder() -> str:
    """An empty folder to start docgen processes in (see ``run_docgen``)."""
    return tempfile.mkdtemp(prefix="docgen-bench-")


def run_docgen(centre: Path, out: Path, jobs: int,
               checkout: Path | None = None) -> tuple[float, int, int, float]:
    """(seconds, documents written, peak bytes, CPU seconds) of one ``docgen build`` run.

    ``checkout``: run the docgen of that folder (another version) instead of this one.
    The CPU seconds (user and system, of the process and its workers) vary less with
    the machine's load than the wall time: on 2 shared cores they are what a busy
    machine turns into waiting.
    """
    try:
        import resource
    except ImportError:  # Windows: no CPU figure
        resource = None  # type: ignore[assignment]

    def used() -> tuple[float, int]:
        if resource is None:
            return float("nan"), 0
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss

    before, _ = used()
    # ``-m`` puts the current folder first on the path: run from an empty one, or the
    # docgen beside the benchmark would be measured whatever PYTHONPATH says
    env = {**os.environ, "PYTHONPATH": str(checkout or ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen.cli", "build", str(centre), "-o", str(out), "--jobs",
         str(jobs), "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        cwd=neutral_folder())
    with PeakMemory(process.pid) as memory:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    after, largest = used()
    cpu = after - before
    if process.returncode != 0:
        raise SystemExit(f"docgen build failed:\n{stderr.decode()}")
    documents = sum(1 for _ in out.rglob("*.docx"))
    peak = memory.peak
    if not Path("/proc").is_dir():  # elsewhere: the largest single child process
        peak = largest * 1024
    return seconds, documents, peak, cpu


def contexts(centre: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every document's template and context, as docgen makes them (not timed)."""
    from docgen.content.documents import build_documents
    from docgen.main import load_group
    from docgen.templating import find_template

    found = []
    for path in sorted(centre.glob("*.xlsx")):
        for document in build_documents(load_group(path))[0]:
            found.append((find_template(document.doc_id, document.kind_id), document.context))
    return found


def run_plain(work: list[tuple[Path, dict[str, Any]]], out: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of the plain docxtpl loop: one DocxTemplate per document,
    saved to disk."""
    from docxtpl import DocxTemplate

    from docgen.templating import environment

    env = environment()  # docgen's filters: the templates use them
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    cpu = time.process_time()
    for n, (template, context) in enumerate(work):
        doc = DocxTemplate(str(template))
        doc.render(context, jinja_env=env, autoescape=True)
        doc.save(str(out / f"{n}.docx"))
    return time.perf_counter() - start, time.process_time() - cpu


def load() -> str:
    """The machine's load (1, 5, 15 minutes): a figure means little without it."""
    try:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load unknown"


def help_seconds() -> float:
    """Best of five runs of ``docgen --help`` as a new process."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "docgen.cli", "--help"], check=True,
                       stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=250)
    parser.add_argument("--baseline-sample", type=int, default=0, metavar="N",
                        help="time plain docxtpl on N documents spread over the centre "
                             "(default: all of them)")
    parser.add_argument("--keep", type=Path, help="generate the centre here and keep it (a "
                        "centre of as many workbooks already there is reused)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="run each docgen build N times and take the fastest (the plain "
                             "loop runs once: at ~25 ms a document it already averages)")
    parser.add_argument("--jobs", type=int, action="append", metavar="N",
                        help="the --jobs to measure (repeatable; default: 1 and every core)")
    parser.add_argument("--warmup", type=int, default=1, metavar="N",
                        help="untimed runs first (default 1): docgen's disk cache (compiled "
                             "templates, charts, photos) filled as a clerk's second run finds "
                             "it; the first run's time is printed apart")
    parser.add_argument("--compare", type=Path, metavar="CHECKOUT",
                        help="also run the docgen of another checkout (an earlier version), "
                             "its runs interleaved with this one's, on the same centre")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="do not compile the checkouts' modules first (see above)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        work_dir = Path(tmp)
        centre = args.keep or work_dir / "centre"
        centre.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        books = sorted(centre.glob("*.xlsx"))
        if len(books) == args.workbooks:  # --keep's folder of an earlier run
            print(f"synthetic centre: {len(books)} workbooks of 5 kinds in {centre} (reused)")
        else:
            books = synthetic_centre(centre, args.workbooks)
            print(f"synthetic centre: {len(books)} workbooks of 5 kinds in {centre} "
                  f"(generated in {time.perf_counter() - start:.1f} s)")

        runs = {}
        versions: list[tuple[str, Path | None]] = [("docgen", None)]
        if args.compare is not None:
            versions.append((f"docgen of {args.compare}", args.compare.resolve()))
        if not args.no_bytecode:
            for _name, checkout in versions:
                compile_bytecode(checkout or ROOT)
        for n in range(args.warmup):
            for name, checkout in versions:
                cold = run_docgen(centre, work_dir / f"warmup-{n}-{checkout is None}", cores,
                                  checkout)
                print(f"{name}, warm-up run {n + 1} (not counted), --jobs {cores}: "
                      f"{cold[0]:.2f} s, CPU {cold[3]:.2f} s; {load()}")
        for jobs in sorted(set(args.jobs or (1, cores))):
            tries: dict[str, list[tuple[float, int, int]]] = {name: [] for name, _ in versions}
            for n in range(args.repeat):  # versions interleaved: both see the same load
                for name, checkout in versions:
                    out = work_dir / f"out-{jobs}-{n}-{len(tries[name])}-{checkout is None}"
                    tries[name].append(run_docgen(centre, out, jobs, checkout))  # a fresh
                    # folder: deleting the last run's would cost I/O
            for name, _ in versions:
                seconds, documents, _, _ = min(tries[name])
                cpu = min(t[3] for t in tries[name])
                peak = max(t[2] for t in tries[name])
                runs[f"{name} --jobs {jobs}"] = (documents / seconds, documents / cpu)
                spread = max(t[0] for t in tries[name]) / seconds - 1
                print(f"{name} build --jobs {jobs}: {documents} documents in {seconds:.2f} s = "
                      f"{documents / seconds:.0f} documents/s (best of {args.repeat}: "
                      f"{', '.join(f'{t[0]:.2f}' for t in tries[name])} s, spread "
                      f"{spread:.0%}), CPU {cpu:.2f} s (least of {args.repeat}), peak memory "
                      f"{peak / 2**20:.0f} MB (all processes); {load()}")
        half = max(1, args.workbooks // 4)
        small = work_dir / "small"
        small.mkdir()
        for book in books[:half]:
            shutil.copy(book, small / book.name)
        copy_photos(small)
        seconds, documents, peak, _ = run_docgen(small, work_dir / "out-small", 1)
        print(f"docgen build --jobs 1 on {half} workbooks: {documents} documents, peak memory "
              f"{peak / 2**20:.0f} MB (memory flat as the batch grows?)")

        work = contexts(centre)
        if args.baseline_sample and args.baseline_sample < len(work):
            step = len(work) / args.baseline_sample
            work = [work[int(i * step)] for i in range(args.baseline_sample)]
        seconds, cpu = run_plain(work, work_dir / "plain")
        plain = len(work) / seconds
        print(f"plain docxtpl loop: {len(work)} documents in {seconds:.2f} s = "
              f"{plain:.1f} documents/s, CPU {1000 * cpu / len(work):.1f} ms a document; "
              f"{load()}")
        for name, (rate, cpu_rate) in runs.items():  # CPU: the figure least moved by the load
            print(f"ratio, {name} / plain docxtpl: {rate / plain:.1f}x (by CPU time: "
                  f"{cpu_rate * cpu / len(work):.1f}x)")
    print(f"docgen --help: {help_seconds():.2f} s (best of 5)")


if __name__ == "__main__":
    main()
