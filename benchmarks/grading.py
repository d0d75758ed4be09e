"""How fast the grader goes, beside nbgrader in the same run, and whether a correct app always gets full marks.

    python benchmarks/grading.py [-n 20] [--repeat 1] [--big 100] [--rounds 1] [--no-hostile] [--compare OTHER_CHECKOUT]

At -j 1 and at -j 2: autogrades N small Flask notebooks with nbgrader (installed once into a venv of its own under
.cache/, see nbgrader_course.py), then grades N copies of the finished app; then a hostile batch of 20 (endless
loops at import and in views, memory bombs, forks, floods, exits), and BIG finished apps ROUNDS times at -j 2 (each
must score full marks), all with ``--isolation auto`` (the jail when bubblewrap works). Prints the seconds per
submission beside nbgrader's (measured just before) and their ratio, the same in CPU time where it can be measured
(cpu_time.py: on a shared machine the wall time depends on the others), and the peak memory of a process started
for a submission. With ``--compare``, each run is made with another checkout of the workshop (an older commit, say)
too, right after this one's, with its own ``venv/`` if it has one (the big class once). On a shared machine whose
speed drifts within minutes (a third, on the 2-core machines this was measured on), ``--repeat R`` measures each
``-j`` R times, nbgrader then each checkout every time, and prints the median ratio of the R with its range.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from cpu_time import run  # noqa: E402
from helpers.grading_submissions import at_import  # noqa: E402
from helpers.grading_submissions import FINISHED  # noqa: E402
from helpers.grading_submissions import forker  # noqa: E402
from helpers.grading_submissions import in_view  # noqa: E402
from helpers.grading_submissions import make_many  # noqa: E402
from helpers.grading_submissions import write_app  # noqa: E402
from nbgrader_course import autograde  # noqa: E402
from nbgrader_course import install  # noqa: E402
from nbgrader_course import make_course  # noqa: E402
from nbgrader_course import VERSION  # noqa: E402

HOSTILE = {
    "loop-at-import": lambda spy: at_import("while True:\n    pass"),
    "loop-in-view": lambda spy: in_view("while True:\n    pass"),
    "memory-bomb-at-import": lambda spy: at_import("hog = []\nwhile True:\n    hog.append(b' ' * 10 ** 7)"),
    "memory-bomb-in-view": lambda spy: in_view("hog = []\nwhile True:\n    hog.append(b' ' * 10 ** 7)"),
    "forker": forker,
    "output-flood": lambda spy: at_import("import os\nfor _ in range(100):\n    os.write(1, b'x' * 1024 * 1024)"),
    "os-exit-in-view": lambda spy: in_view("import os\nos._exit(3)"),
    "sys-exit-at-import": lambda spy: at_import("import sys\nsys.exit(3)"),
    "sleep-in-view": lambda spy: in_view("import time\ntime.sleep(3600)"),
    "thread-flood": lambda spy: at_import("import threading, time\nfor _ in range(200):\n   "
                                          " threading.Thread(target=time.sleep, args=(60,), daemon=True).start()"),
}


def grade(checkout, folder, out, jobs):
    """Grade ``folder`` with the workshop in ``checkout``: (seconds, records, peak MB of a child process, CPU seconds
    or None)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    own = checkout / "venv" / "bin" / "python"
    command = [str(own) if own.exists() else sys.executable, "-c", (
        "import resource, runpy, sys; sys.argv[0] = 'grade'\n"
        "try:\n    runpy.run_module('workshop.grading', run_name='__main__')\n"
        "finally:\n    print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
    ), str(folder), "--out", str(out), "-j", str(jobs)]
    started = time.perf_counter()
    done, cpu = run(command, cwd=checkout, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = next((int(line.split()[1]) // 1024 for line in done.stderr.splitlines() if line.startswith("PEAK")), 0)
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return seconds, records, peak, cpu


def full_marks(records):
    return sum(r["status"] == "ok" and all(c["passed"] for c in r["results"]) for r in records)


def per_submission(seconds, cpu, count):
    """"S s = s s each (C s of CPU each)" of a run of ``count`` submissions."""
    each = f"{seconds:.1f} s = {seconds / count:.2f} s each"
    return each + (f" ({cpu / count:.2f} s of CPU each)" if cpu is not None else "")


def ratio(nbgrader, mine):
    """How many times nbgrader's rate ``mine`` is, (seconds, CPU seconds or None) each."""
    said = f"{nbgrader[0] / mine[0]:.2f}x nbgrader's rate"
    return said + (f", {nbgrader[1] / mine[1]:.2f}x in CPU time" if None not in (nbgrader[1], mine[1]) else "")


def median_ratios(jobs, ratios):
    """"-j N, median of R measurements: this 3.61x nbgrader's rate (3.49 to 3.72), ..." of {label: [ratio, ...]}."""
    said = [f"{label} {statistics.median(values):.2f}x nbgrader's rate ({min(values):.2f} to {max(values):.2f})"
            for label, values in ratios.items()]
    return f"  -j {jobs}, median of {len(next(iter(ratios.values())))} measurements: {'; '.join(said)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="finished apps graded at -j 1 and -j 2 (default 20)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measurements of nbgrader and the N apps at each -j, their median ratio (default 1)")
    parser.add_argument("--big", type=int, default=100, help="finished apps graded at -j 2 (default 100; 0: none)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of grading the BIG class (default 1)")
    parser.add_argument("--compare", type=Path, help="another checkout of the workshop to measure beside this one")
    parser.add_argument("--no-hostile", action="store_true", help="leave out the hostile batch")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    checkouts = {"this": ROOT, **({"compared": args.compare.resolve()} if args.compare else {})}
    install()
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as tmp:
        tmp = Path(tmp)
        finished, big = make_many(tmp / "finished", args.n, FINISHED), make_many(tmp / "big", args.big, FINISHED)
        hostile, spy = tmp / "hostile", tmp / "spy"
        spy.mkdir()
        for copy in range(2):
            for name, make in HOSTILE.items():
                write_app(hostile / f"{name}-{copy}", make(spy))
        for label, checkout in checkouts.items():
            print(f"{label}: {checkout}")
        for jobs in (1, 2):  # each checkout's run just after nbgrader's, as alike in time as can be
            ratios = {label: [] for label in checkouts}
            for turn in range(args.repeat):
                seconds, cpu, graded = autograde(make_course(tmp / f"course-j{jobs}-{turn}", args.n))
                nbgrader = (seconds / args.n, cpu / args.n if cpu is not None else None)
                print(f"\nnbgrader {VERSION}, autograde of {args.n} small Flask notebooks: "
                      f"{per_submission(seconds, cpu, args.n)}; {graded} full marks", flush=True)
                for label, checkout in checkouts.items():
                    seconds, records, peak, cpu = grade(checkout, finished, tmp / f"{label}-j{jobs}-{turn}", jobs)
                    mine = (seconds / args.n, cpu / args.n if cpu is not None else None)
                    ratios[label].append(nbgrader[0] / mine[0])
                    print(f"  {label}, {args.n} finished apps, -j {jobs}: {per_submission(seconds, cpu, args.n)};"
                          f" {ratio(nbgrader, mine)}; {full_marks(records)} full marks;"
                          f" peak memory of a process: {peak} MB", flush=True)
            if args.repeat > 1:
                print(median_ratios(jobs, ratios), flush=True)
        print()
        for label, checkout in checkouts.items() if not args.no_hostile else ():
            seconds, records, _, _ = grade(checkout, hostile, tmp / f"{label}-hostile", 2)
            slowest = max(records, key=lambda r: r["seconds"])
            print(f"{label}, hostile batch of {len(records)}, -j 2: {seconds:.1f} s (slowest: {slowest['learner']},"
                  f" {slowest['seconds']:.1f} s)", flush=True)
        for round_number in range(1, args.rounds + 1 if args.big else 1):
            for label, checkout in checkouts.items() if round_number == 1 else [("this", ROOT)]:
                seconds, records, _, cpu = grade(checkout, big, tmp / f"{label}-big-{round_number}", 2)
                print(f"{label}, {args.big} finished apps, -j 2, round {round_number}:"
                      f" {per_submission(seconds, cpu, args.big)}, {len(records) - full_marks(records)} below full"
                      " marks", flush=True)

if __name__ == "__main__":
    main()
