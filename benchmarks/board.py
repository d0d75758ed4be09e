"""How fast the class board answers a class: latency per request on loopback.

    python benchmarks/board.py [--learners 100] [--seconds 60] [--every 3]

Starts ``python -m workshop board`` on a free port with an empty data folder, joins N
learners (from several loopback addresses, 25 each, as a room joins from many computers: Linux
routes all of 127.0.0.0/8 to this computer), then each learner reports a self-check of 5 to 8 checks every
EVERY seconds or so (with jitter, as real self-checks come), the way ``workshop.board.client`` does (a new
connection per report), while an instructor's page asks for the board's state every 3 s.
Prints the median and the 99th percentile of each kind of request, and any error.
"""

import argparse
import contextlib
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.board.client import BoardError  # noqa: E402
from workshop.board.client import call  # noqa: E402


@contextlib.contextmanager
def running_board(data):
    """The board command on a free port: (join address, instructor's address)."""
    command = [sys.executable, "-m", "workshop", "board", "--port", "0", "--data", str(data)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as board:
        try:
            join_line, instructor_line = board.stdout.readline(), board.stdout.readline()
            yield join_line.split()[-1], instructor_line.split()[-1]
        finally:
            board.terminate()


def timed(latencies, errors, send, *args):
    started = time.perf_counter()
    try:
        answer = send(*args)
    except (BoardError, OSError) as error:
        errors.append(str(error))
        return None
    latencies.append(time.perf_counter() - started)
    return answer


def join(address, name, computer):
    """Join the board at ``address`` as ``name`` from the loopback address ``computer``."""
    where = urllib.parse.urlsplit(address)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=3, source_address=(computer, 0))
    try:
        connection.request("POST", where.path, json.dumps({"name": name}), {"Content-Type": "application/json"})
        answer = connection.getresponse()
        if answer.status != 201:
            raise BoardError(f"the board answered {answer.status} to a join")
        return json.load(answer)
    finally:
        connection.close()


def learner(board, token, until, every, latencies, errors):
    """Report a self-check every ``every`` seconds (± 50 %) until ``until``."""
    step = random.randint(1, 6)
    names = [f"check_{i}" for i in range(random.randint(5, 8))]
    time.sleep(random.uniform(0, every))
    while time.monotonic() < until:
        checks = [{"name": name, "title": f"Check {name} of step {step}", "passed": random.random() < 0.7}
                  for name in names]
        timed(latencies, errors, call, "POST", f"{board}/api/checks", {"step": step, "checks": checks}, token)
        time.sleep(random.uniform(0.5 * every, 1.5 * every))


def instructor(address, until, latencies, errors):
    """Open the instructor's address (which sets a cookie), then ask for the state every 3 s."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), urllib.request.ProxyHandler({}))
    page = browser.open(address, timeout=3).geturl()
    while time.monotonic() < until:
        timed(latencies, errors, lambda: json.load(browser.open(page + "state.json", timeout=3)))
        time.sleep(3)


def summary(kind, latencies):
    if len(latencies) < 2:
        return f"{kind}: {len(latencies)} requests"
    p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98]
    return (f"{kind}: {len(latencies)} requests, median {statistics.median(latencies) * 1000:.1f} ms,"
            f" p99 {p99 * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--every", type=float, default=3, help="seconds between a learner's reports, on average")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, running_board(data) as (join_address, instructor_address):
        board = join_address.split("/join/")[0]
        joins, reports, states, errors = [], [], [], []
        tokens = [timed(joins, errors, join, join_address, f"Learner {i}", f"127.0.0.{2 + i // 25}")["token"]
                  for i in range(args.learners)]
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=learner, args=(board, token, until, args.every, reports, errors))
                   for token in tokens]
        threads.append(threading.Thread(target=instructor, args=(instructor_address, until, states, errors)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"{args.learners} learners, one self-check each every {args.every:g} s or so, for {args.seconds:g} s, on"
          " loopback")
    print(summary("join", joins))
    print(summary("report", reports))
    print(summary("instructor's state", states))
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
