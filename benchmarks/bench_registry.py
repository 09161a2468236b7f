"""What «Реестр документов.xlsx» costs at the end of a batch: the new writer against openpyxl.

Run from the checkout over a year folder a build wrote:

    docgen build /tmp/c50 -o /tmp/o50 -q
    python benchmarks/bench_registry.py "/tmp/o50/2025-2026 учебный год"
    python benchmarks/bench_registry.py "/tmp/o50/2025-2026 учебный год" --times 5  # 5× rows

Reports CPU seconds (best of ``--repeat``, the runs of both writers interleaved,
openpyxl already imported: a batch imports it anyway for «Сводная таблица») of
``entries`` (reading the manifests, a stat per file), of ``registry_bytes`` and
of openpyxl's write-only writer as docgen used it before (kept in
``tests/registry_reference.py``), and checks that both give the same bytes.
``--times N`` repeats the year's rows N times (a bigger centre's registry).
``--fresh N`` also runs each writer first thing in N new processes (alternating),
openpyxl's import included, as a batch of one group or ``docgen serve`` meets it.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def cpu(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The least CPU seconds of ``repeat`` runs of ``work``, and its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        best = min(best, time.process_time() - start)
    return best, result


FRESH = """
import sys, time
sys.path[:0] = {path!r}
from pathlib import Path
import docgen.output  # loaded by every build before its registry
year, times, which = Path({year!r}), {times}, {which!r}
start = time.process_time()
from docgen.registry import entries
rows = entries(year) * times
if which == "openpyxl":
    import tempfile
    from registry_reference import reference_bytes
    with tempfile.TemporaryDirectory() as scratch:
        reference_bytes(year, rows, Path(scratch))
else:
    from docgen.registry import registry_bytes
    registry_bytes(year, rows)
print(time.process_time() - start)
"""


def fresh(year: Path, times: int, which: str) -> float:
    """CPU seconds of reading the year and writing its registry first thing in a new process."""
    code = FRESH.format(path=[str(ROOT), str(ROOT / "tests")], year=str(year), times=times,
                        which=which)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=600)
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("year", type=Path, help="a year folder a build wrote")
    parser.add_argument("--times", type=int, default=1, help="repeat the rows N times")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the least counts")
    parser.add_argument("--fresh", type=int, default=0, metavar="N",
                        help="also N new processes of each writer, alternating")
    args = parser.parse_args()

    import openpyxl  # noqa: F401 — imported before timing, as in a batch
    from registry_reference import reference_bytes

    from docgen.registry import entries, registry_bytes

    read, rows = cpu(lambda: entries(args.year), args.repeat)
    rows = list(rows) * args.times  # type: ignore[call-overload]
    new_best = old_best = float("inf")
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.repeat):  # interleaved: the machine's state weighs on both alike
            new, new_data = cpu(lambda: registry_bytes(args.year, rows), 1)
            old, old_data = cpu(lambda: reference_bytes(args.year, rows, Path(scratch)), 1)
            new_best, old_best = min(new_best, new), min(old_best, old)
    same = "same bytes" if new_data == old_data else "DIFFERENT BYTES"
    print(f"{len(rows)} rows ({args.times}× the year's): entries {read:.3f} s CPU (the year's "
          f"{len(rows) // args.times} rows); registry_bytes {new_best:.3f} s, "
          f"openpyxl {old_best:.3f} s: {old_best / new_best:.1f}× less CPU; {same} "
          f"({len(new_data)} bytes); best of {args.repeat}")
    if args.fresh:
        runs: dict[str, list[float]] = {"docgen": [], "openpyxl": []}
        for _ in range(args.fresh):
            for which, seconds in runs.items():
                seconds.append(fresh(args.year, args.times, which))
        new_fresh, old_fresh = min(runs["docgen"]), min(runs["openpyxl"])
        print(f"first thing in a new process (entries + registry, imports included), best of "
              f"{args.fresh}: docgen {new_fresh:.3f} s CPU, openpyxl {old_fresh:.3f} s: "
              f"{old_fresh / new_fresh:.1f}× less CPU")


if __name__ == "__main__":
    main()
