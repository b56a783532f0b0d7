"""Score sources by name: ``register_scorer`` to add one, ``available_scorers`` to list, ``build_scorers``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from ..item_store import ItemStore
from .base import Scorer

ScorerFactory = Callable[[ItemStore, Any], Scorer | None]
"""Builds a scorer over a store under a :class:`~mmrec.recommender_config.RecommenderConfig` (typed
``Any`` here so the registry need not import the config, which validates names against it), or
returns None when the store lacks what it needs (e.g. photos)."""

_SCORERS: dict[str, ScorerFactory] = {}


def register_scorer(name: str) -> Callable[[ScorerFactory], ScorerFactory]:
    """Decorator: make ``factory`` the scorer called ``name`` (the key of its fusion weight)."""

    def add(factory: ScorerFactory) -> ScorerFactory:
        if name in _SCORERS and _SCORERS[name] is not factory:
            raise ConfigError(f"a scorer named {name!r} is already registered")
        _SCORERS[name] = factory
        return factory

    return add


def available_scorers() -> list[str]:
    """Names of every registered scorer, in fusion order."""
    return list(_SCORERS)


def build_scorer(name: str, store: ItemStore, config: Any) -> Scorer | None:
    """The scorer ``name`` over ``store``; ConfigError listing the valid names if unknown."""
    if name not in _SCORERS:
        raise ConfigError(f"unknown scorer {name!r}; valid scorers: {', '.join(_SCORERS)}")
    return _SCORERS[name](store, config)


def build_scorers(store: ItemStore, config: Any) -> list[Scorer]:
    """Every registered scorer the store can feed, in fusion order."""
    return [s for s in (build_scorer(name, store, config) for name in _SCORERS) if s is not None]
