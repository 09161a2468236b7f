"""Where a batch's time goes: a breakdown of ``docgen build`` by stage.

Run from the checkout:

    python benchmarks/profile_build.py                 # 50 workbooks, about 780 documents
    python benchmarks/profile_build.py --workbooks 100 --centre /tmp/centre
    python benchmarks/profile_build.py --centre /tmp/centre --checkout ../old  # another version

It generates the synthetic centre of ``bench_build.py`` (or reuses ``--centre``),
then reports:

* what a new process costs before it does any work: the interpreter alone,
  ``import docgen.cli`` (what ``docgen build`` loads before reading anything),
  and the modules a batch then imports (reading, the engine, openpyxl…);
* the pool start of ``--jobs 2``: workers forked and each one's first task done;
* the batch itself (``main.build_batch`` with ``--jobs 1``, then the registry and
  the summary, as the CLI runs them), every CPU second put in exactly one stage:
  a stage's time excludes the stages it calls (the typography pass inside a
  render counts as typography, a chart drawn inside the summary as charts). CPU
  time, not wall time: on a machine shared with other work the wall time of the
  same stage varies twofold from one run to the next, its CPU time much less;
* the whole ``docgen build`` as a clerk runs it, ``--jobs 1`` and ``--jobs 2``,
  best of ``--repeat``, with the machine's load.

The timers cost a little per call (measured and shown: the same batch is run
once without them first). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
CHECKOUT = ROOT  # the docgen measured: this checkout, or another one's (--checkout)

# What a batch imports after ``import docgen.cli``: loaded before the timed batch, so
# that a stage's time is its work, not its first import (imports are timed apart).
BATCH_MODULES = (
    "docgen.main", "docgen.workbook.reader", "docgen.workbook.validate",
    "docgen.content.documents", "docgen.templating", "docgen.content.charts",
    "docgen.runtime.files", "docgen.output.folders", "docgen.output.registry",
    "docgen.output.summary", "docgen.output.bundle", "docgen.workbook.photos", "docx", "docxtpl",
    "openpyxl", "pytrovich.maker", "pytrovich.detector", "PIL.Image",
)


class Stages:
    """Exclusive time per stage: a stage called inside another is taken out of it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._children: list[float] = []
        self._undo: list[tuple[Any, str, Any]] = []

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        children = self._children
        seconds = self.seconds
        calls = self.calls
        clock = time.process_time  # CPU time: what the machine's load moves least

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            children.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - start
                seconds[stage] += elapsed - children.pop()
                calls[stage] += 1
                if children:
                    children[-1] += elapsed

        return wrapper

    def patch(self, owner: Any, name: str, stage: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        self._undo.append((owner, name, original))
        setattr(owner, name, self.timed(stage, getattr(owner, name)))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def install(stages: Stages) -> None:
    """Wrap the functions that mark each stage (each looked up at call time, so it counts)."""
    try:  # since issue 29: the package laid out by stage
        from docgen.content import charts, documents
        from docgen.language import russian, typography
        from docgen.output import folders as output
        from docgen.output import registry, summary
        from docgen.workbook import photos, validate
    except ImportError:  # an earlier checkout (--checkout)
        from docgen import (  # type: ignore[no-redef]
            charts,
            documents,
            output,
            photos,
            registry,
            russian,
            summary,
            typography,
            validate,
        )
    from docgen.workbook import reader

    try:  # since issue 18: the template machinery is one package
        from docgen.templating import compiler, rendering
    except ImportError:  # an earlier checkout (--checkout)
        from docgen import compiler  # type: ignore[no-redef]
        rendering = None

    stages.patch(reader, "read_workbook", "reading (workbook .xlsx)")
    stages.patch(validate, "validate", "validation")
    for name in ("_declined", "decline_position", "decline_organization", "detect_gender"):
        stages.patch(russian, name, "declension (pytrovich, cached)")
    stages.patch(documents, "build_documents", "contexts (documents.py)")
    stages.patch(photos, "prepare", "photos (prepared once)")
    stages.patch(compiler.CompiledTemplate, "render", "render (jinja + XML)")
    stages.patch(compiler, "compiled", "template load (compile or cache)")
    if rendering is not None:  # it took ``compiled`` at import: the same stage
        stages.patch(rendering, "compiled", "template load (compile or cache)")
    stages.patch(typography, "typeset", "typography pass")
    # since the chart pass: a chart's picture is made (drawn or cached) as its context is;
    # before, placed after the render
    stages.patch(charts, "picture" if hasattr(charts, "picture") else "place",
                 "charts (placed + drawn)")
    stages.patch(compiler, "_write_zip", "zip (deflate + headers)")
    for name in ("__enter__", "__exit__", "write", "expect", "retire", "finish"):
        stages.patch(output.GroupFolder, name, "writing files + manifest")
    stages.patch(registry, "write_registry", "registry (Реестр документов.xlsx)")
    stages.patch(summary, "write_summary", "summary (Сводный отчёт + таблица)")


def run_batch(centre: Path, out: Path) -> tuple[float, float, int]:
    """(seconds, CPU seconds, documents) of the batch as ``docgen build CENTRE --jobs 1``
    runs it, in this process."""
    from docgen import main

    start, cpu = time.perf_counter(), time.process_time()
    workbooks, _ = main.workbook_paths([centre])
    results = [r for _, r in main.build_batch(workbooks, out, jobs=1)]
    main.write_registries(results)
    main.write_summaries(results)
    return (time.perf_counter() - start, time.process_time() - cpu,
            sum(len(r.written) for r in results))


@functools.lru_cache(maxsize=1)
def neutral_folder() -> str:
    """An empty folder to start processes in: ``-c`` and ``-m`` put the current folder
    first on the path, and the docgen found there would be measured instead of CHECKOUT."""
    return tempfile.mkdtemp(prefix="docgen-profile-")


def fresh_process(code: str, repeat: int) -> float:
    """Best wall time of ``python -c code`` (the interpreter's own start included)."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=neutral_folder())
        best = min(best, time.perf_counter() - start)
    return best


# What ``docgen build --jobs 2`` loads before it forks its workers (they inherit it):
# measured as it is done, not as a list of modules that may name some it never imports.
PRELOAD = """
import docgen.cli
try:
    from docgen.api.build import preload_for_workers

    preload_for_workers()
except ImportError:  # an earlier checkout (--checkout) that preloaded nothing
    pass
"""

POOL_START = """
import os, time
from concurrent.futures import ProcessPoolExecutor
try:
    from docgen.api.build import _worker_start
except ImportError:  # an earlier checkout (--checkout)
    from docgen.main import _worker_start
start = time.perf_counter()
with ProcessPoolExecutor(max_workers={jobs}, initializer=_worker_start,
                         initargs=(os.getpid(),)) as pool:
    list(pool.map(abs, range({jobs})))
print(time.perf_counter() - start)
"""


def pool_start(jobs: int, repeat: int) -> float:
    """Best seconds to fork ``jobs`` workers and have each one's first task back."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    return min(float(subprocess.run([sys.executable, "-c", POOL_START.format(jobs=jobs)],
                                    check=True, env=env, capture_output=True, text=True,
                                    cwd=neutral_folder()).stdout) for _ in range(repeat))


def whole_build(centre: Path, out: Path, jobs: int) -> float:
    """Seconds of ``docgen build CENTRE -o OUT --jobs N -q`` as a new process."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(centre), "-o", str(out),
                    "--jobs", str(jobs), "-q"], check=True, env=env,
                   stdout=subprocess.DEVNULL, cwd=neutral_folder())
    return time.perf_counter() - start


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=50)
    parser.add_argument("--centre", type=Path, help="use (or generate once into) this folder")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="fresh-process figures: the best of N runs")
    parser.add_argument("--checkout", type=Path, metavar="FOLDER",
                        help="profile the docgen of another checkout (an earlier version)")
    args = parser.parse_args()
    if args.checkout is not None:
        global CHECKOUT
        CHECKOUT = args.checkout.resolve()
        sys.path.insert(0, str(CHECKOUT))
        for name in [m for m in sys.modules if m == "docgen" or m.startswith("docgen.")]:
            del sys.modules[name]

    with tempfile.TemporaryDirectory(prefix="docgen-profile-") as tmp:
        work = Path(tmp)
        centre = args.centre or work / "centre"
        if not centre.is_dir() or not any(centre.glob("*.xlsx")):
            from bench_build import synthetic_centre

            centre.mkdir(parents=True, exist_ok=True)
            synthetic_centre(centre, args.workbooks)
        books = len(list(centre.glob("*.xlsx")))
        from bench_build import compile_bytecode

        import docgen

        compile_bytecode(CHECKOUT)  # as an installed docgen has it (see bench_build)
        print(f"centre: {books} workbooks in {centre}; docgen of {Path(docgen.__file__).parent}; "
              f"{load()}")

        print(f"\nA new process, before any work (best of {args.repeat}):")
        bare = fresh_process("pass", args.repeat)
        cli = fresh_process("import docgen.cli", args.repeat)
        batch = fresh_process(PRELOAD, args.repeat)
        print(f"  interpreter start                  {bare:6.3f} s")
        print(f"  + import docgen.cli                {cli - bare:6.3f} s")
        print(f"  + a batch's preloading (once)      {batch - cli:6.3f} s (what the workers "
              f"inherit: modules, templates, declension)")
        print(f"  pool start, --jobs 2               {pool_start(2, args.repeat):6.3f} s "
              f"(fork two workers, first task back)")

        import importlib

        for name in BATCH_MODULES:
            importlib.import_module(name)
        warm, warm_cpu, _ = run_batch(centre, work / "warm")  # templates, caches on disk
        plain, plain_cpu, documents = run_batch(centre, work / "plain")
        stages = Stages()
        install(stages)
        try:
            _, timed, _ = run_batch(centre, work / "timed")
        finally:
            stages.restore()
        counted = sum(stages.seconds.values())
        print(f"\nThe batch in one process (--jobs 1, modules loaded, {documents} documents): "
              f"{plain:.2f} s ({plain_cpu:.2f} s CPU) untimed; first run {warm:.2f} s "
              f"({warm_cpu:.2f} s CPU); {load()}")
        print(f"  CPU seconds by stage, with the timers ({timed:.2f} s CPU in all):")
        print(f"  {'stage':36} {'seconds':>8} {'share':>6} {'ms/doc':>7} {'calls':>7}")
        rows = sorted(stages.seconds.items(), key=lambda item: -item[1])
        rows.append(("other (batch loop, results, paths)", timed - counted))
        for stage, seconds in rows:
            print(f"  {stage:36} {seconds:8.3f} {seconds / timed:6.1%} "
                  f"{1000 * seconds / documents:7.2f} {stages.calls.get(stage, 0):7}")
        print(f"  {'(timer overhead, timed − untimed)':36} {timed - plain_cpu:8.3f}")

        print(f"\nThe whole `docgen build` as a new process (best of {args.repeat}):")
        for jobs in (1, 2):
            tries = [whole_build(centre, work / f"cli-{jobs}-{n}", jobs)
                     for n in range(args.repeat)]
            print(f"  --jobs {jobs}: {min(tries):.2f} s = {documents / min(tries):.0f} "
                  f"documents/s ({', '.join(f'{t:.2f}' for t in tries)} s); {load()}")


if __name__ == "__main__":
    main()
