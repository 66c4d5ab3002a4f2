"""The load script's bookkeeping: every request's outcome and latency, by endpoint and by
the kind of answer, and the summary it prints.

A request is *answered* when a whole HTTP response came back; *lost* when it was sent and
none came; an *error* when the status is not one the API gives for that request (or no
response came); *busy* when it is a 503 with ``Retry-After`` (the server refusing excess
load, as it should). Latencies are taken over the requests served (not 503).

>>> stats = LoadStats()
>>> stats.started(); stats.started()
>>> stats.record("check", "right", 200, 0.25, verdict="PROVED")
>>> stats.record("check", "right", 503, 0.001, retry_after=True)
>>> stats.summary()["check (right/wrong)"]["p95_s"], stats.lost, stats.busy
(0.25, 0, 1)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: The statuses the API gives for each endpoint (besides 503): anything else is an error.
EXPECTED = {"preview": {200, 422, 413}, "check": {200, 413}}

#: The verdicts each kind of answer should get: a hostile answer must never be accepted
#: (refused as too large, CANNOT CHECK, or REFUTED where it is read and wrong).
FITTING = {"right": {"PROVED", "NUMERICALLY EQUAL"}, "wrong": {"REFUTED"},
           "hostile": {"CANNOT CHECK", "REFUTED", "HTTP 413"}}


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; NaN for none.

    >>> percentile([0.1, 0.2, 0.3, 0.4], 50), percentile([0.1, 0.2, 0.3, 0.4], 95)
    (0.2, 0.4)
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class LoadStats:
    """What happened to every request of a run."""

    sent: int = 0
    answered: int = 0
    busy: int = 0
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    verdicts: Counter = field(default_factory=Counter)

    def started(self) -> None:
        """One request sent."""
        self.sent += 1

    def record(self, endpoint: str, kind: str, status: int | None, seconds: float,
               verdict: str | None = None, retry_after: bool = False,
               problem: str = "") -> None:
        """The outcome of one request: ``status`` None when no response came."""
        group = _group(endpoint, kind)
        self.counts[group, "requests"] += 1
        if status is None:
            self._error(f"{endpoint}: {problem or 'no response'}")
            return
        self.answered += 1
        if status == 503 and retry_after:
            self.busy += 1
            self.counts[group, "busy"] += 1
            return
        if status not in EXPECTED[endpoint] or (endpoint == "check" and status == 200
                                                and not verdict):
            self._error(f"{endpoint}: unexpected status {status} {problem}".strip())
            self.counts[group, "errors"] += 1
        self.latencies.setdefault(group, []).append(seconds)
        self.latencies.setdefault("all served", []).append(seconds)
        if endpoint == "check":
            shown = verdict or f"HTTP {status}"
            self.verdicts[kind, shown] += 1

    def _error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(text)

    @property
    def lost(self) -> int:
        """Requests sent that got no response."""
        return self.sent - self.answered

    def misjudged(self) -> dict[str, int]:
        """Checks whose verdict does not fit their kind (:data:`FITTING`), by kind."""
        out: Counter = Counter()
        for (kind, verdict), n in self.verdicts.items():
            if verdict not in FITTING[kind]:
                out[kind] += n
        return dict(out)

    def summary(self, seconds: float = 0.0) -> dict[str, Any]:
        """Per group: requests, 503s, errors, p50/p95/p99/max (seconds) and rate."""
        out: dict[str, Any] = {}
        for group in ("preview", "check (right/wrong)", "check (hostile)", "all served"):
            values = self.latencies.get(group, [])
            requests = self.counts[group, "requests"] if group != "all served" else self.sent
            out[group] = {
                "requests": requests,
                "busy_503": self.counts[group, "busy"] if group != "all served" else self.busy,
                "errors": self.counts[group, "errors"] if group != "all served" else self.errors,
                "served": len(values),
                "p50_s": percentile(values, 50), "p95_s": percentile(values, 95),
                "p99_s": percentile(values, 99), "max_s": max(values, default=math.nan),
                "per_s": len(values) / seconds if seconds > 0 else math.nan,
            }
        return out


def _group(endpoint: str, kind: str) -> str:
    if endpoint == "preview":
        return "preview"
    return "check (hostile)" if kind == "hostile" else "check (right/wrong)"


def table(summary: dict[str, Any]) -> str:
    """The summary as an aligned text table (milliseconds)."""
    head = (f"{'endpoint':<22}{'requests':>9}{'503':>7}{'errors':>8}{'p50 ms':>9}"
            f"{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'served/s':>10}")
    lines = [head]
    for group, row in summary.items():
        def ms(key: str, row: dict = row) -> str:
            value = row[key]
            return "—" if math.isnan(value) else f"{1000 * value:.0f}"
        lines.append(f"{group:<22}{row['requests']:>9}{row['busy_503']:>7}{row['errors']:>8}"
                     f"{ms('p50_s'):>9}{ms('p95_s'):>9}{ms('p99_s'):>9}{ms('max_s'):>9}"
                     f"{row['per_s']:>10.1f}")
    return "\n".join(lines)


__all__ = ["EXPECTED", "FITTING", "LoadStats", "percentile", "table"]
