"""A token bucket per learner, or per computer: a flood from one never slows the others."""

import math
import threading
import time


class RateLimit:
    """Allow ``burst`` events at once per key, then ``per_second`` on average."""

    def __init__(self, burst, per_second):
        self.burst = burst
        self.per_second = per_second
        self._buckets = {}  # key: (tokens left, when counted)
        self._lock = threading.Lock()

    def allow(self, key):
        """Take a token from ``key``'s bucket; False when it is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, counted = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - counted) * self.per_second)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - allowed, now)
            return allowed

    def wait(self):
        """Seconds until a token is back in an empty bucket."""
        return math.ceil(1 / self.per_second)

    def forget(self, key):
        with self._lock:
            self._buckets.pop(key, None)
