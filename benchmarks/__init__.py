"""`make bench`: figures, not pass/fail. Every figure sits next to a baseline measured in the
same run, and the table shows their ratio.

A benchmark module exposes `async def run(quick: bool) -> list[dict]`; each dict is a figure,
best built with `figure(...)` below. `python -m benchmarks` runs every module in its own
process (so one module's memory or a hang cannot skew another's), prints the table and
writes it to docs/benchmarks.md.

Figure keys (only `name` and `value` are required):
  group          table section, e.g. "Core latency"
  name           what was measured, e.g. "vote p99"
  value, unit    the figure, e.g. 3.2, "ms"
  baseline       the same quantity for the baseline, same unit, measured in the same run
  baseline_name  what the baseline is, e.g. "raw aiosqlite INSERT + COMMIT"
  target         the goal, as text: "< 10 ms", ">= 2x baseline", "< 3 s deadline"
  met            whether the target was met (None: no target)
  note           anything a reader needs to trust the figure
The ratio shown is value / baseline.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

Figure = dict[str, Any]


def figure(group: str, name: str, value: float, unit: str, *, baseline: float | None = None,
           baseline_name: str = "", target: str = "", met: bool | None = None, note: str = "") -> Figure:
    """One row of the benchmark table."""
    return {"group": group, "name": name, "value": value, "unit": unit, "baseline": baseline,
            "baseline_name": baseline_name, "target": target, "met": met, "note": note}


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def timings_ms(action: Callable[[], Awaitable[Any]], n: int, *, warmup: int = 5) -> list[float]:
    """Run `action` n times one after another; each run's wall time in milliseconds."""
    for _ in range(warmup):
        await action()
    out: list[float] = []
    for _ in range(n):
        t0 = time.perf_counter()
        await action()
        out.append((time.perf_counter() - t0) * 1000)
    return out


__all__ = ["Figure", "figure", "percentile", "timings_ms"]
