"""The server's counters and latency histograms, written in the Prometheus text exposition
format (version 0.0.4) for ``GET /metrics``.

Written here rather than with ``prometheus_client``: a few metric families, one process,
and no global registry shared with the tests. Every update takes a lock (the pools'
supervisor threads count too). The histograms: ``serve_request_seconds`` (request to
response, by endpoint), ``serve_task_seconds`` (in a worker) and ``serve_queue_seconds``
(waiting for a worker), by pool.

>>> m = Metrics()
>>> m.request("/api/check", 200, 0.03)
>>> m.verdict("PROVED")
>>> text = m.exposition({"check_queue": 0})
>>> 'serve_requests_total{endpoint="/api/check",status="200"} 1' in text
True
>>> 'serve_request_seconds_bucket{endpoint="/api/check",le="0.05"} 1' in text
True
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping

#: Upper bounds of the latency histogram's buckets, in seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

#: Endpoints that get their own label; any other path counts as ``other``.
ENDPOINTS = ("/", "/api/preview", "/api/check", "/healthz", "/metrics", "/static")


def endpoint_label(path: str) -> str:
    """The ``endpoint`` label of a request path (a bounded set of values).

    >>> endpoint_label("/static/page.js"), endpoint_label("/api/check"), endpoint_label("/x")
    ('/static', '/api/check', 'other')
    """
    if path.startswith("/static/"):
        return "/static"
    return path if path in ENDPOINTS else "other"


def _labels(**labels: str) -> str:
    inside = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
    return "{" + inside + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


#: The histograms: name → (help text, label).
HISTOGRAMS = {
    "serve_request_seconds": ("Time from request to response.", "endpoint"),
    "serve_task_seconds": ("Time a task ran in a worker process.", "pool"),
    "serve_queue_seconds": ("Time a task waited for a worker process.", "pool"),
}


class Metrics:
    """Requests by endpoint and status, their latency, verdicts, time-outs, refusals and
    cache hits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str]] = Counter()
        self.verdicts: Counter[str] = Counter()
        self.timeouts: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.cache_hits: Counter[str] = Counter()
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sums: Counter[tuple[str, str]] = Counter()

    def _observe(self, name: str, label: str, seconds: float) -> None:
        counts = self._buckets.setdefault((name, label), [0] * (len(BUCKETS) + 1))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                counts[i] += 1
        counts[-1] += 1
        self._sums[name, label] += seconds

    def request(self, endpoint: str, status: int, seconds: float) -> None:
        """One request answered with ``status`` after ``seconds``."""
        with self._lock:
            self.requests[endpoint, str(status)] += 1
            self._observe("serve_request_seconds", endpoint, seconds)

    def task(self, pool: str, waited: float, ran: float) -> None:
        """One task of ``pool``: ``waited`` seconds in the queue, ``ran`` in a worker."""
        with self._lock:
            self._observe("serve_queue_seconds", pool, waited)
            self._observe("serve_task_seconds", pool, ran)

    def verdict(self, verdict: str) -> None:
        """One check answered with ``verdict``."""
        with self._lock:
            self.verdicts[verdict] += 1

    def timeout(self, pool: str) -> None:
        """One task of ``pool`` stopped at its hard limit."""
        with self._lock:
            self.timeouts[pool] += 1

    def refusal(self, reason: str) -> None:
        """One request refused before any work (queue full, too large, malformed)."""
        with self._lock:
            self.refusals[reason] += 1

    def cache_hit(self, kind: str) -> None:
        """One answer of ``kind`` (check, preview) served from the cache."""
        with self._lock:
            self.cache_hits[kind] += 1

    def exposition(self, gauges: Mapping[str, float]) -> str:
        """Everything in the Prometheus text format; ``gauges`` (name → value) are read at
        scrape time (queue lengths, workers)."""
        with self._lock:
            lines = ["# HELP serve_requests_total HTTP requests answered, by endpoint and "
                     "status.", "# TYPE serve_requests_total counter"]
            lines += [f"serve_requests_total{_labels(endpoint=e, status=s)} {n}"
                      for (e, s), n in sorted(self.requests.items())]
            for name, what, label, counter in (
                ("serve_verdicts_total", "Checks answered, by verdict.", "verdict",
                 self.verdicts),
                ("serve_timeouts_total", "Tasks stopped at their hard time limit, by pool.",
                 "pool", self.timeouts),
                ("serve_refusals_total", "Requests refused before any work, by reason.",
                 "reason", self.refusals),
                ("serve_cache_hits_total", "Answers served from the cache, by kind.", "kind",
                 self.cache_hits),
            ):
                lines += [f"# HELP {name} {what}", f"# TYPE {name} counter"]
                lines += [f"{name}{_labels(**{label: k})} {n}"
                          for k, n in sorted(counter.items())]
            for name, (what, label) in HISTOGRAMS.items():
                lines += [f"# HELP {name} {what}", f"# TYPE {name} histogram"]
                for (family, value), counts in sorted(self._buckets.items()):
                    if family != name:
                        continue
                    for bound, n in zip((*map(str, BUCKETS), "+Inf"), counts, strict=True):
                        lines.append(f"{name}_bucket{_labels(**{label: value, 'le': bound})} {n}")
                    lines.append(f"{name}_sum{_labels(**{label: value})} "
                                 f"{self._sums[name, value]:.6f}")
                    lines.append(f"{name}_count{_labels(**{label: value})} {counts[-1]}")
        for name, value in sorted(gauges.items()):
            lines += [f"# TYPE serve_{name} gauge", f"serve_{name} {value:g}"]
        return "\n".join(lines) + "\n"


__all__ = ["BUCKETS", "ENDPOINTS", "HISTOGRAMS", "Metrics", "endpoint_label"]
