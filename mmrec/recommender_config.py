"""One saveable recommender configuration: fusion weights, feedback rules, decay, diversity, sizes.

A study condition or an evaluation arm is a named :class:`RecommenderConfig`. The defaults ship in
``recommender_defaults.json`` beside this module; :func:`load_config` reads a JSON file that overrides
any of them. :attr:`RecommenderConfig.id` is a hash of the content (not the name), so two turns
ranked under the same settings carry the same id.

Why each number is what it is:

- ``weights``: per scorer name (see :func:`mmrec.scorers.available_scorers`); text reviews are the
  richest signal, photos next, CLIP text-to-photo a little less, words a user names half, and the
  customer rating prior only breaks ties.
- ``feedback.like`` / ``dislike``: a dislike is weaker than a like: it should sink the item and its
  twins, not its whole category.
- ``feedback.photo``: an uploaded photo weighs like a like (sign from its polarity).
- ``feedback.category_term_weight``: a named product type ("jacket") says more than an attribute word
  (``attribute_term_weight``).
- ``feedback.item_review_text_share``: a review of an item moves the item's own vectors fully and the
  review text half as much.
- ``feedback.negative_text_floor``: a clearly negative free-standing text pushes away at least this.
- ``feedback.cheaper`` / ``pricier``: "cheaper" caps the price at 80% of the reference, "more premium"
  floors it at 125%.
- ``decay``: each turn multiplies older evidence by this (0.85: about half after four turns).
- ``diversity``: MMR trade-off in [0, 1); 0 keeps the pure relevance order.
- ``top_k``: items per list.
- ``candidates_per_space``: rows each space nominates above the exact-scan size.
- ``mmr_pool_factor`` / ``mmr_pool_min``: MMR re-ranks the best ``max(factor * k, min)`` items.
- ``near_duplicate_quantile``: a disliked item sinks only items more similar to it than this share
  of the catalog.
- ``photo_match_floor``: per image encoder (by name prefix, the longest wins), the cosine to the
  closest catalog photo at or under which an uploaded photo is "no close match" and leaves the
  profile alone. ``visual-features-v4``: 0.3 (``python -m mmrec.bench photo_robustness``, Luma):
  under it fall only 1.3-2.4% of each perturbation's snapshots, those in which the encoder finds no
  object on a backdrop (the video thumbnails, the tightest crops), which score 0 like noise, solid
  colours and scenes; shapes or a scene printed on a white page score 0.74-0.82 and pass (that
  encoder sees outlines and colours, not what they are). CLIP is not calibrated (no weights
  offline), so it has no floor.
- ``inputs``: interaction types the session accepts (a study arm may switch voice or photos off).
- ``explanations``: build a one-line reason per listed item.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ConfigError

DEFAULTS_FILE = "recommender_defaults.json"
INPUT_TYPES = ("review", "like", "dislike", "voice", "photo", "reset")


@dataclass(frozen=True)
class FeedbackRules:
    """How strongly each kind of feedback moves the profile."""

    like: float
    dislike: float
    photo: float
    category_term_weight: float
    attribute_term_weight: float
    item_review_text_share: float
    negative_text_floor: float
    cheaper: float
    pricier: float


@dataclass(frozen=True)
class RecommenderConfig:
    """Every tunable number of the recommender, frozen; build one with :func:`load_config`."""

    name: str
    weights: Mapping[str, float]
    feedback: FeedbackRules
    decay: float
    diversity: float
    top_k: int
    candidates_per_space: int
    mmr_pool_factor: int
    mmr_pool_min: int
    near_duplicate_quantile: float
    photo_match_floor: Mapping[str, float]
    inputs: tuple[str, ...]
    explanations: bool
    id: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        from .scorers import available_scorers

        valid = available_scorers()
        unknown = sorted(set(self.weights) - set(valid))
        if unknown:
            raise ConfigError(f"unknown scorer weight(s) {unknown}; valid scorer names: {', '.join(valid)}")
        bad_inputs = sorted(set(self.inputs) - set(INPUT_TYPES))
        if bad_inputs:
            raise ConfigError(f"unknown input type(s) {bad_inputs}; valid: {', '.join(INPUT_TYPES)}")
        if not 0 <= self.diversity < 1:
            raise ConfigError(f"diversity must be in [0, 1), got {self.diversity}")
        if not 0 < self.decay <= 1:
            raise ConfigError(f"decay must be in (0, 1], got {self.decay}")
        if self.top_k < 1:
            raise ConfigError(f"top_k must be at least 1, got {self.top_k}")
        object.__setattr__(self, "weights", MappingProxyType({k: float(v) for k, v in self.weights.items()}))
        floors = {k: float(v) for k, v in self.photo_match_floor.items()}
        if any(not -1 <= v <= 1 for v in floors.values()):
            raise ConfigError(f"photo_match_floor values are cosines in [-1, 1], got {floors}")
        object.__setattr__(self, "photo_match_floor", MappingProxyType(floors))
        object.__setattr__(self, "inputs", tuple(self.inputs))
        object.__setattr__(self, "id", _content_id(self.to_dict(with_id=False)))

    def weight(self, scorer: str) -> float:
        """The fusion weight of ``scorer`` (0 when the config leaves it out)."""
        return self.weights.get(scorer, 0.0)

    def photo_floor(self, encoder: str) -> float:
        """The ``photo_match_floor`` of the image encoder named ``encoder`` (0 when none is set)."""
        prefixes = [p for p in self.photo_match_floor if encoder.startswith(p)]
        return self.photo_match_floor[max(prefixes, key=len)] if prefixes else 0.0

    def to_dict(self, *, with_id: bool = True) -> dict[str, Any]:
        """The JSON form :func:`config_from_dict` reads back."""
        out: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("id", "feedback", "weights", "photo_match_floor")
        }
        out["weights"] = dict(self.weights)
        out["photo_match_floor"] = dict(self.photo_match_floor)
        out["feedback"] = asdict(self.feedback)
        out["inputs"] = list(self.inputs)
        if with_id:
            out["id"] = self.id
        return dict(sorted(out.items()))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | Path) -> None:
        """Write the config as JSON (what :func:`load_config` reads)."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    def with_overrides(self, **changes: Any) -> RecommenderConfig:
        """A copy with top-level fields replaced (``weights``/``feedback`` merged key by key)."""
        return config_from_dict(_merge(self.to_dict(with_id=False), changes))


def default_config() -> RecommenderConfig:
    """The shipped defaults (``recommender_defaults.json``)."""
    return config_from_dict({})


def load_config(path: str | Path | None = None, **overrides: Any) -> RecommenderConfig:
    """The defaults, overridden by the JSON object in ``path`` (if given), then by ``overrides``."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read config {path}: {e}") from e
        except json.JSONDecodeError as e:
            raise ConfigError(f"config {path} is not valid JSON: {e.msg} at line {e.lineno}") from e
        if not isinstance(data, dict):
            raise ConfigError(f"config {path} must hold a JSON object, not {type(data).__name__}")
    return config_from_dict(_merge(data, overrides))


def config_from_dict(data: Mapping[str, Any]) -> RecommenderConfig:
    """A config from the defaults overridden by ``data`` (an ``id`` key is checked, not trusted)."""
    merged = _merge(_defaults(), {k: v for k, v in data.items() if k != "id"})
    known = {f.name for f in fields(RecommenderConfig)} - {"id"}
    unknown = sorted(set(merged) - known)
    if unknown:
        raise ConfigError(f"unknown config key(s) {unknown}; valid keys: {', '.join(sorted(known))}")
    feedback_keys = {f.name for f in fields(FeedbackRules)}
    bad = sorted(set(merged["feedback"]) - feedback_keys)
    if bad:
        raise ConfigError(f"unknown feedback rule(s) {bad}; valid: {', '.join(sorted(feedback_keys))}")
    try:
        config = RecommenderConfig(**{**merged, "feedback": FeedbackRules(**merged["feedback"])})
    except TypeError as e:
        raise ConfigError(f"invalid config: {e}") from e
    if "id" in data and data["id"] != config.id:
        raise ConfigError(f"config id {data['id']!r} does not match its content (id {config.id!r})")
    return config


def _defaults() -> dict[str, Any]:
    return json.loads(_defaults_text())


@cache
def _defaults_text() -> str:
    """The shipped defaults file, read once per process (every session's config starts from it)."""
    return resources.files(__package__).joinpath(DEFAULTS_FILE).read_text(encoding="utf-8")


def _merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if key in ("weights", "feedback") and isinstance(value, Mapping):
            out[key] = {**out.get(key, {}), **value}
        else:
            out[key] = value
    return out


def _content_id(data: Mapping[str, Any]) -> str:
    content = {k: v for k, v in data.items() if k != "name"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]
