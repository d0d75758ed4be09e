"""The progress line on stderr: done/total, how many did not grade cleanly, the time left."""

import time


class Progress:
    def __init__(self, total, reused, stream):
        self.total, self.done, self.graded = total, len(reused), 0
        self.failed = sum(r["status"] != "ok" for r in reused)
        self.stream = stream
        self.live = stream.isatty()
        self.started = time.monotonic()

    def update(self, record):
        self.done += 1
        self.graded += 1
        self.failed += record["status"] != "ok"
        line = f"graded {self.done}/{self.total} · {self.failed} not ok · {self.time_left()}"
        if self.live:
            self.stream.write(f"\r{line}\033[K")
        else:
            learner = record["learner"] if record["learner"].isprintable() else ascii(record["learner"])
            self.stream.write(f"{line} · {learner}: {record['status']}\n")
        self.stream.flush()

    def time_left(self):
        remaining = self.total - self.done
        if not remaining:
            return "done"
        seconds = (time.monotonic() - self.started) / self.graded * remaining
        return f"about {seconds:.0f} s left"

    def finish(self):
        if self.live and self.graded:
            self.stream.write("\n")
            self.stream.flush()
