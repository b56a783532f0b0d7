"""Arms: a name, a shopper policy, and the parameters of the session each shopper talks to.

:func:`make_session` is the one place that builds a :class:`~mmrec.Session` from an arm, so moving the
session parameters to the core's saveable config later changes only :class:`SessionParams` and it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..engine import Engine
from ..errors import MMRecError
from ..ranking import FusionWeights
from ..session import Session
from .policies import Policy

DEFAULT_POLICY = "text+photo+feedback"


@dataclass(frozen=True)
class SessionParams:
    """Everything that configures the recommender a shopper talks to."""

    weights: FusionWeights = field(default_factory=FusionWeights)
    diversity: float = 0.0
    decay: float = 0.85
    top_k: int = 10

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Arm:
    """One condition of an experiment: how shoppers act and what they talk to."""

    name: str
    policy: str = DEFAULT_POLICY
    params: SessionParams = field(default_factory=SessionParams)
    constraints: bool = True
    """Whether shoppers state negations and price bounds (False simulates a loop without filters)."""
    about: str = ""

    def parsed_policy(self) -> Policy:
        return Policy.parse(self.policy)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "policy": self.policy,
            "params": self.params.to_dict(),
            "constraints": self.constraints,
            "about": self.about,
        }


def make_session(engine: Engine, arm: Arm) -> Session:
    """A fresh session configured as ``arm`` says."""
    p = arm.params
    session = Session(engine, top_k=p.top_k, weights=p.weights, diversity=p.diversity)
    session.profile.decay = p.decay  # today's Session takes no decay argument; Reset keeps the profile's
    return session


_DEFAULT = Arm("fused", about="text, then a photo, then list feedback; default weights")
TEXT_ONLY_WEIGHTS = replace(FusionWeights(), image=0.0, clip_text=0.0)
ARMS: dict[str, Arm] = {
    arm.name: arm
    for arm in (
        _DEFAULT,
        Arm("text", policy="text", about="text at every turn"),
        Arm("voice", policy="voice", about="the text shopper's sentences spoken, through Whisper"),
        Arm("photo", policy="photo", about="a photo of a similar item at every turn"),
        Arm("feedback", policy="feedback", about="like / dislike on the shown list at every turn"),
        replace(
            _DEFAULT,
            name="fused-textweights",
            params=SessionParams(weights=TEXT_ONLY_WEIGHTS),
            about="fused policy, image weight 0",
        ),
        replace(
            _DEFAULT,
            name="fused-nofilters",
            constraints=False,
            about="fused policy, shopper states no negations or prices",
        ),
        replace(
            _DEFAULT, name="fused-nodecay", params=SessionParams(decay=1.0), about="fused policy, no recency decay"
        ),
        replace(_DEFAULT, name="fused-diverse", params=SessionParams(diversity=0.3), about="fused policy, MMR 0.3"),
    )
}
DEFAULT_ARMS = (
    "fused",
    "text",
    "voice",
    "photo",
    "feedback",
    "fused-textweights",
    "fused-nofilters",
    "fused-nodecay",
    "fused-diverse",
)


def available_arms() -> list[str]:
    return list(ARMS)


def get_arm(name: str) -> Arm:
    """The registered arm ``name``; MMRecError listing the valid names otherwise."""
    try:
        return ARMS[name]
    except KeyError:
        raise MMRecError(f"unknown arm {name!r}; available: {', '.join(ARMS)}") from None
