"""Run the checks in a separate, limited process and give one verdict per check.

Used by the self-check and the grader. Each check's result is kept the moment the
process reports it (see channel.py). When the process ends early (an endless loop, a
crash, an output flood, memory), the check it was running says how it ended and where
the app was stuck, and the checks after it say that they did not run: partial credit
survives.
"""

import re
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import sandbox
from . import channel
from .core import CHECKS, HARD_STOP_SECONDS, is_inside, short_path

START_SECONDS = 10  # Python, Flask and the app starting, on a busy machine
OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")
STACK_LINE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass
class Run:
    """One run of the checks: a result per check asked for, and how the run went."""

    results: list
    status: str = "ok"  # ok, error, timeout or memory
    message: str = ""
    anomalies: list = field(default_factory=list)


def worst_case_seconds(steps):
    """How long the checks of ``steps`` may take at most, each one stopped at its own limit."""
    return START_SECONDS + sum(c.seconds + HARD_STOP_SECONDS for c in CHECKS if c.step in steps)


def run(command, app_parent, steps, cwd, env, limits, stop=None, scratch=None):
    """Run ``command`` (a Python that runs ``workshop.checks``, its arguments to come) in the sandbox.

    The results file lives in a temporary folder in ``scratch`` (the system's by default).
    """
    key = channel.new_key()
    with tempfile.TemporaryDirectory(prefix="workshop-results-", dir=scratch) as folder:
        path = Path(folder, "results.jsonl")
        arguments = [str(app_parent), "--steps", *map(str, steps), "--results", str(path)]
        outcome = sandbox.run([*command, *arguments], cwd, env, limits, stop, stdin_text=key + "\n")
        transcript = channel.read(path, key, {c.name for c in CHECKS})
    return verdicts(transcript, outcome, limits, app_parent, steps)


def verdicts(transcript, outcome, limits, app_parent, steps):
    """The Run made of what the process reported and how it ended."""
    selected = [c for c in CHECKS if c.step in steps]
    if transcript.app_error:
        message, status = transcript.app_error, "error"
        if outcome.output_exceeded:
            message = f"The app printed more than {limits.output_mb} MB of output while it was imported, so it was stopped. Remove the printing loop."
        elif any(sign in message for sign in OUT_OF_MEMORY):
            message, status = f"The app ran out of memory (the limit is {limits.memory_mb} MB). {message}", "memory"
        return Run([result(c, False, message) for c in selected], status, message, transcript.anomalies)
    ended = None if transcript.done else stopped(outcome, limits, app_parent)
    results, running = [], None
    for chk in selected:
        reported = transcript.results.get(chk.name)
        if reported is not None:
            results.append(result(chk, reported.get("passed") is True, str(reported.get("message", ""))[:1000],
                                  reported.get("where"), reported.get("seconds")))
        elif ended and running is None and chk.name == transcript.running:
            running = chk
            results.append(result(chk, False, f"This check was stopped: {ended[1]}"))
        elif ended:
            stuck = f" “{running.title}”" if running else ""
            results.append(result(chk, False, f"This check did not run: the checks were stopped at{stuck or ' the start'}."))
        else:
            results.append(result(chk, False, "This check did not run."))
    if ended is None:
        return Run(results, anomalies=transcript.anomalies)
    status, why = ended
    where = f" during “{running.title}”" if running else ""
    return Run(results, status, f"The checks were stopped{where}: {why}", transcript.anomalies)


def result(chk, passed, message, where=None, seconds=None):
    return {
        "step": chk.step, "name": chk.name, "title": chk.title, "where": str(where or chk.where),
        "passed": passed, "message": message, "seconds": seconds if isinstance(seconds, (int, float)) else None,
    }


def stopped(outcome, limits, app_parent):
    """(status, why) for a process that ended before reporting everything."""
    stuck = stuck_at(outcome.stderr, app_parent)
    if outcome.timed_out or outcome.returncode == -getattr(signal, "SIGXCPU", 0):
        return "timeout", f"it did not finish within {limits.seconds:g} s, so something loops forever or waits{stuck}."
    if "Timeout (" in outcome.stderr:
        return "timeout", f"an endless loop kept running even after the check's time was up{stuck}."
    if outcome.output_exceeded:
        return "error", f"the app printed more than {limits.output_mb} MB of output{stuck}, so it was stopped. Remove the printing loop."
    if any(sign in outcome.stderr for sign in OUT_OF_MEMORY) or outcome.returncode == -getattr(signal, "SIGKILL", 9):
        return "memory", f"the app ran out of memory (the limit is {limits.memory_mb} MB){stuck}: look for a list or a string that keeps growing."
    last = [line.strip() for line in outcome.stderr.splitlines() if line.strip()][-1:]
    said = f' The last line it wrote: "{last[0][:200]}"' if last else ""
    if outcome.returncode < 0:
        return "error", f"the checks process crashed ({signal.Signals(-outcome.returncode).name}).{said}"
    return "error", (
        f"the checks process ended with exit code {outcome.returncode} before it was done: does the app call"
        f" sys.exit() or os._exit(), or close its output?{said}"
    )


def stuck_at(stderr, app_parent):
    """" (part1_basic_app/x.py, line N)": the newest learner's frame in a stack dump, or ""."""
    for match in STACK_LINE.finditer(stderr[stderr.rfind("Timeout ("):] if "Timeout (" in stderr else ""):
        if is_inside(match["file"], app_parent):
            return f" ({short_path(match['file'], app_parent)}, line {match['line']})"
    return ""
