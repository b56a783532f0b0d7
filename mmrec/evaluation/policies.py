"""A policy says which modality a shopper uses at each turn, as a small spec string.

``"text"`` uses text at every turn; ``"text+photo+feedback"`` uses text at turn 1, a photo at turn 2 and
list feedback from turn 3 on: the last step repeats.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import MMRecError

MODALITIES = ("text", "voice", "photo", "feedback")


@dataclass(frozen=True)
class Policy:
    """The modalities of turns 1, 2, ...; the last one repeats."""

    steps: tuple[str, ...]

    @classmethod
    def parse(cls, spec: str) -> Policy:
        """The policy of ``spec`` (modalities joined by '+'); MMRecError naming any unknown modality."""
        steps = tuple(s.strip() for s in spec.split("+") if s.strip())
        unknown = [s for s in steps if s not in MODALITIES]
        if not steps or unknown:
            raise MMRecError(f"policy {spec!r}: unknown modality {unknown or spec!r}; valid: {', '.join(MODALITIES)}")
        return cls(steps)

    def at(self, turn: int) -> str:
        """The modality of ``turn`` (1-based)."""
        return self.steps[min(turn, len(self.steps)) - 1]

    def uses(self, modality: str) -> bool:
        return modality in self.steps

    def __str__(self) -> str:
        return "+".join(self.steps)
