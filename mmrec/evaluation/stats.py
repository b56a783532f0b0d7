"""Bootstrap confidence intervals over shoppers, and the paired bootstrap of a difference between two arms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

N_BOOT = 2000
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean with its bootstrap confidence interval."""

    mean: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        return {"mean": round(self.mean, 4), "low": round(self.low, 4), "high": round(self.high, 4), "n": self.n}

    def __str__(self) -> str:
        return f"{self.mean:.3f} [{self.low:.3f}, {self.high:.3f}]"


def _indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    return float(low), float(high)


def bootstrap_ci(values: np.ndarray, *, n_boot: int = N_BOOT, seed: int = 0, level: float = LEVEL) -> Estimate:
    """Mean of ``values`` (one per shopper) with a percentile-bootstrap interval."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    means = values[_indices(len(values), n_boot, seed)].mean(axis=1)
    return Estimate(float(values.mean()), *_interval(means, level), len(values))


def bootstrap_stat(
    n: int, stat: Callable[[np.ndarray], float], *, n_boot: int = 500, seed: int = 0, level: float = LEVEL
) -> Estimate:
    """``stat`` of all ``n`` shoppers (given their indices) with an interval from resampled shoppers."""
    samples = np.array([stat(idx) for idx in _indices(n, n_boot, seed)])
    return Estimate(stat(np.arange(n)), *_interval(samples, level), n)


@dataclass(frozen=True)
class Comparison:
    """Arm A minus arm B on the same shoppers."""

    a: str
    b: str
    metric: str
    diff: Estimate

    @property
    def clear(self) -> bool:
        return self.diff.low > 0 or self.diff.high < 0

    def verdict(self) -> str:
        """A plain-words reading: who wins, by how much, or that the data cannot tell."""
        d = self.diff
        ci = f"(95% CI {d.low:+.3f}..{d.high:+.3f}, n={d.n})"
        if d.low > 0:
            return f"{self.a} beats {self.b} by {d.mean:+.3f} {ci}"
        if d.high < 0:  # told from the winner's side: B - A and its interval
            return f"{self.b} beats {self.a} by {-d.mean:+.3f} (95% CI {-d.high:+.3f}..{-d.low:+.3f}, n={d.n})"
        return f"no clear difference between {self.a} and {self.b}: {d.mean:+.3f} {ci}"

    def to_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "metric": self.metric, "diff": self.diff.to_dict(), "verdict": self.verdict()}


def paired_bootstrap(
    a: np.ndarray, b: np.ndarray, *, names: tuple[str, str] = ("A", "B"), metric: str = "", seed: int = 0
) -> Comparison:
    """The mean of ``a - b`` over paired shoppers, with a bootstrap interval that resamples the pairs."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired values must align: {a.shape} vs {b.shape}")
    return Comparison(names[0], names[1], metric, bootstrap_ci(a - b, seed=seed))
