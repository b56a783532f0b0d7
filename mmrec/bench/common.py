"""Shared helpers for benchmarks: repeated timing, percentiles, peak RSS, a printed table and a JSON file."""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def time_calls(fn: Callable[[], Any], *, runs: int, warmup: int = 1) -> np.ndarray:
    """Seconds taken by each of ``runs`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = np.empty(runs)
    for i in range(runs):
        t0 = time.perf_counter()
        fn()
        out[i] = time.perf_counter() - t0
    return out


def summarize_ms(seconds: Sequence[float] | np.ndarray) -> dict[str, float]:
    """p50 / p95 / min / max in milliseconds, and the number of samples."""
    ms = np.asarray(seconds, dtype=float) * 1000.0
    return {
        "n": int(ms.size),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "min_ms": round(float(ms.min()), 3),
        "max_ms": round(float(ms.max()), 3),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def machine() -> dict[str, Any]:
    import os

    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}


def report(name: str, rows: list[dict[str, Any]], out: Path | None, extra: dict[str, Any] | None = None) -> None:
    """Print ``rows`` as an aligned table and write them (with machine facts) to ``out`` as JSON."""
    if rows:
        cols = list(dict.fromkeys(k for row in rows for k in row))
        widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in cols}
        print(f"\n{name}")
        print("  ".join(c.ljust(widths[c]) for c in cols))
        for r in rows:
            print("  ".join(_fmt(r.get(c)).ljust(widths[c]) for c in cols))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"benchmark": name, "machine": machine(), "rows": rows, **(extra or {})}
        out.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {out}")


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)
