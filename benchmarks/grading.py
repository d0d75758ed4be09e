"""How fast the grader goes, where the time goes, and whether a correct app always gets full marks.

    python benchmarks/grading.py [-n 100] [--rounds 3]

Makes N synthetic submissions (the app after steps 1 to 6 in turn), grades them with
``python -m workshop.grading`` at -j 1 and at -j = the number of CPUs, and prints the
rate beside the cost of executing one notebook with nbclient, and of starting Python
and Flask, for comparison. Then grades N copies of the finished app ROUNDS times at
-j CPUs and prints how many did not score full marks: that must be 0.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from nbclient import NotebookClient  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

from grading_submissions import FINISHED, make_many  # noqa: E402

FLASK_NOTEBOOK = [
    "from flask import Flask\napp = Flask(__name__)",
    "@app.get('/')\ndef index():\n    return 'Hello, Flask!'",
    "print(app.test_client().get('/').get_data(as_text=True))",
]


def grade(folder, out, jobs):
    """Grade ``folder`` with ``jobs`` at once; (seconds, the records of the journal)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workshop.grading", str(folder), "--out", str(out), "-j", str(jobs)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return seconds, records


def command_seconds(*args, repeat=5):
    """The median wall time of running a command."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def notebook_seconds(folder):
    """Executing a 3-cell Flask notebook with nbclient (kernel start included)."""
    notebook = new_notebook(cells=[new_code_cell(source) for source in FLASK_NOTEBOOK])
    started = time.perf_counter()
    NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - started


def breakdown(records):
    """Mean seconds per submission: the whole sandboxed run, the checks themselves, step 5, the waitress check."""
    def mean_of(pick):
        return statistics.mean(sum(r["seconds"] or 0 for r in record["results"] if pick(r)) for record in records)
    return {
        "whole run per submission": statistics.mean(r["seconds"] for r in records),
        "all checks (inside the process)": mean_of(lambda r: True),
        "  step 5 (runs pytest in a subprocess)": mean_of(lambda r: r["step"] == 5),
        "  serves_under_waitress": mean_of(lambda r: r["name"] == "serves_under_waitress"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100, help="number of submissions (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of grading N finished apps (default 3)")
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as tmp:
        folder = make_many(Path(tmp, "submissions"), args.n)
        rates = {}
        for jobs in sorted({1, cpus}):
            seconds, records = grade(folder, Path(tmp, f"out-j{jobs}"), jobs)
            rates[jobs] = (seconds, records)
            print(f"-j {jobs}: {args.n} submissions in {seconds:.1f} s = {args.n / seconds:.2f} submissions/s", flush=True)
        print(f"\nper submission, at -j {cpus} (mean seconds of wall time):")
        for label, value in breakdown(rates[cpus][1]).items():
            print(f"  {label:<42} {value:.2f}")
        print("\nfor comparison (median wall time):")
        comparisons = {
            "python -I -c pass": lambda: command_seconds(sys.executable, "-I", "-c", "pass"),
            "python -c 'import flask'": lambda: command_seconds(sys.executable, "-c", "import flask"),
            "python -c 'import workshop.judge'": lambda: command_seconds(sys.executable, "-c", "import workshop.judge"),
            "one 3-cell Flask notebook with nbclient": lambda: notebook_seconds(Path(tmp)),
        }
        for label, measure in comparisons.items():
            print(f"  {label:<42} {measure():.2f}")
        print(f"\n{args.n} copies of the finished app, graded {args.rounds} times at -j {cpus}:")
        finished = make_many(Path(tmp, "finished"), args.n, step=FINISHED)
        for round_number in range(1, args.rounds + 1):
            seconds, records = grade(finished, Path(tmp, f"out-finished-{round_number}"), cpus)
            short = [r for r in records if sum(c["passed"] for c in r["results"]) < len(r["results"]) or r["status"] != "ok"]
            print(f"  round {round_number}: {seconds:.1f} s, {len(short)} did not score full marks", flush=True)
            for record in short:
                failed = [c["name"] + ": " + c["message"][:120] for c in record["results"] if not c["passed"]]
                print(f"    {record['learner']} ({record['status']}): {'; '.join(failed[:3]) or record['message'][:200]}")

if __name__ == "__main__":
    main()
