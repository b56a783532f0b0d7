"""Arms: a name, a shopper policy, and the recommender config each shopper talks to.

An arm's recommender is the shipped :class:`~mmrec.RecommenderConfig` with the arm's overrides, or a
saved config (:func:`config_arm`: ``evaluate --configs A.json B.json``); :func:`make_session` is the one
place that builds a :class:`~mmrec.Session` from an arm.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import ConfigError, MMRecError
from ..recommender_config import RecommenderConfig, default_config, load_config
from ..session import Session
from .policies import Policy

DEFAULT_POLICY = "text+photo+feedback"


@dataclass(frozen=True)
class Arm:
    """One condition of an experiment: how shoppers act and what they talk to."""

    name: str
    policy: str = DEFAULT_POLICY
    overrides: Mapping[str, Any] = field(default_factory=dict)
    """Changes to the default recommender config (``weights`` merged by scorer name)."""
    constraints: bool = True
    """Whether shoppers state negations and price bounds (False simulates a loop without filters)."""
    about: str = ""
    baseline: str = ""
    """The arm this one is an ablation of; the report compares the two when both run."""

    def config(self) -> RecommenderConfig:
        return default_config().with_overrides(name=self.name, **self.overrides)

    @property
    def uses_history(self) -> bool:
        """Whether the arm fuses the collaborative scorer (which learns from prior sessions)."""
        return self.config().weight("collaborative") != 0

    def parsed_policy(self) -> Policy:
        return Policy.parse(self.policy)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "policy": self.policy,
            "config": self.config().to_dict(),
            "constraints": self.constraints,
            "about": self.about,
            "baseline": self.baseline,
        }


def config_arm(path: Path, policy: str = DEFAULT_POLICY) -> Arm:
    """An arm talking to the saved config at ``path`` (ConfigError when it is invalid), named by the file's
    ``name`` key, else by the file stem."""
    config = load_config(path)
    named = "name" in json.loads(path.read_text(encoding="utf-8"))
    name = config.name if named else path.stem
    Policy.parse(policy)
    overrides = {k: v for k, v in config.to_dict(with_id=False).items() if k != "name"}
    return Arm(name, policy=policy, overrides=overrides, about=f"config {path.name}")


def config_arms(paths: list[Path], policy: str = DEFAULT_POLICY) -> list[Arm]:
    """One arm per config file; arms whose names collide are named by their file stems instead."""
    arms = [config_arm(p, policy) for p in paths]
    names = [a.name for a in arms]
    if len(set(names)) < len(names):
        arms = [replace(a, name=p.stem) for a, p in zip(arms, paths)]
        if len({a.name for a in arms}) < len(arms):
            raise ConfigError(f"config files {[str(p) for p in paths]} must have distinct names or file stems")
    return arms


def make_session(engine: Engine, arm: Arm) -> Session:
    """A fresh session configured as ``arm`` says."""
    return Session(engine, config=arm.config())


_DEFAULT = Arm("fused", about="text, then a photo, then list feedback; default weights")
TEXT_ONLY_WEIGHTS = {"image": 0.0, "clip_text": 0.0}
COLLABORATIVE = {"collaborative": 0.5}
"""The collaborative scorer's weight in its arms: like ``attributes``, a score in [-1, 1] about judged items."""
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
            overrides={"weights": TEXT_ONLY_WEIGHTS},
            about="fused policy, image weight 0",
        ),
        replace(
            _DEFAULT,
            name="fused-nofilters",
            constraints=False,
            about="fused policy, shopper states no negations or prices",
        ),
        replace(_DEFAULT, name="fused-nodecay", overrides={"decay": 1.0}, about="fused policy, no recency decay"),
        replace(_DEFAULT, name="fused-diverse", overrides={"diversity": 0.3}, about="fused policy, MMR 0.3"),
        replace(
            _DEFAULT,
            name="fused-collab",
            overrides={"weights": COLLABORATIVE},
            about="fused policy + collaborative scorer (catalog links, co-likes of prior sessions)",
        ),
        Arm(
            "feedback-collab",
            policy="feedback",
            overrides={"weights": COLLABORATIVE},
            about="list feedback + collaborative scorer (catalog links, co-likes of prior sessions)",
            baseline="feedback",
        ),
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
    "fused-collab",
    "feedback-collab",
)


def available_arms() -> list[str]:
    return list(ARMS)


def get_arm(name: str) -> Arm:
    """The registered arm ``name``; MMRecError listing the valid names otherwise."""
    try:
        return ARMS[name]
    except KeyError:
        raise MMRecError(f"unknown arm {name!r}; available: {', '.join(ARMS)}") from None
