"""How long the notebooks and the self-checks take.

    python benchmarks/notebooks.py [--runs 5]

Prints, for each notebook run against the solution in a fresh kernel (one at a time), the
kernel's start-up time and the time to run its cells; then, for each step, the wall time of
``workshop.selfcheck.run(step, app_parent)`` against the solution and against the starter
(min and median of ``--runs`` runs), as a notebook's kernel runs it (with the warm worker it
keeps for the session); then ``python3 -m workshop check N`` in a terminal.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import zmq
from nbclient import NotebookClient
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import ROOT  # noqa: E402
from workshop import SOLUTION_DIR  # noqa: E402
from workshop import STEPS  # noqa: E402
from workshop.selfcheck import run  # noqa: E402
from workshop.selfcheck import warm_worker  # noqa: E402

NOTEBOOK_DIR = ROOT / "notebooks"
TARGETS = {5: 0.5}  # seconds, for a self-check in the kernel: the learner's tests run in step 5
TARGET = 0.15  # for the other steps


async def time_notebook(path, app_parent):
    """(kernel start, cells, shut-down) seconds of one run of the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
        config=Config({"KernelManager": {"transport_encryption": "auto"}}) if zmq.has("curve") else Config(),
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(app_parent), str(ROOT)]),
           "WORKSHOP_APP_PARENT": str(app_parent)}
    started = time.perf_counter()
    async with client.async_setup_kernel(env=env):
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            await client.async_execute_cell(cell, index)
        done = time.perf_counter()
    return ready - started, done - ready, time.perf_counter() - done


def time_selfcheck(step, app_parent, runs):
    """(min, median, passed, total) of ``runs`` self-checks of ``step``."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        results = run(step, app_parent, warm_worker())
        seconds.append(time.perf_counter() - started)
    return min(seconds), statistics.median(seconds), sum(r["passed"] for r in results), len(results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="self-check runs per step (default 5)")
    args = parser.parse_args(argv)

    print(f"Notebooks against the solution, one at a time ({os.cpu_count()} cores):")
    print(f"  {'notebook':<28} {'kernel start':>12} {'cells':>8} {'total':>8}")
    total = 0.0
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        start, cells, stop = asyncio.run(time_notebook(path, SOLUTION_DIR))
        total += start + cells + stop
        print(f"  {path.name:<28} {start:>11.2f}s {cells:>7.2f}s {start + cells + stop:>7.2f}s", flush=True)
    print(f"  {'all, one after the other':<28} {'':>12} {'':>8} {total:>7.2f}s")

    print(f"\nSelf-check wall time in the kernel, {args.runs} runs each (target: under {TARGET:.2f} s, step 5"
          f" {TARGETS[5]:.2f} s):")
    print(f"  {'step':<5} {'solution min / median':>22} {'starter min / median':>22}")
    for step in STEPS:
        solution = time_selfcheck(step, SOLUTION_DIR, args.runs)
        starter = time_selfcheck(step, ROOT, args.runs)
        slow = " ⚠ over target" if max(solution[1], starter[1]) >= TARGETS.get(step, TARGET) else ""
        print(
            f"  {step:<5} {solution[0]:>8.2f}s / {solution[1]:.2f}s ({solution[2]}/{solution[3]} pass)"
            f" {starter[0]:>6.2f}s / {starter[1]:.2f}s ({starter[2]}/{starter[3]} pass){slow}",
            flush=True,
        )
    print(f"\n`python3 -m workshop check N` in a terminal, against the solution ({args.runs} runs each):")
    for step in STEPS:
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "workshop", "check", str(step), str(SOLUTION_DIR)], cwd=ROOT,
                           capture_output=True)
            seconds.append(time.perf_counter() - started)
        print(f"  step {step}: min {min(seconds):.2f}s / median {statistics.median(seconds):.2f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
