"""Run arms over seeded shoppers through the real session API, and log every turn.

Each (seed, shopper index) fixes a target and the shopper's random streams, so every arm meets the same
shoppers (paired comparisons). One JSON line per shopper turn records what was shown before and after,
the events sent, what the shopper liked and disliked, and per shown item its graded relevance to the
target and every scorer's raw score (``features``) and weighted contribution, and the same for the
POOL best items (``pool``): the training data for learned fusion (:mod:`mmrec.learned_fusion`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import Engine
from ..events import Dislike, Event, Like, Photo, Review, Voice
from ..profile_summary import ProfileSummary
from ..ranking import rank
from ..recommender_config import RecommenderConfig
from ..session import Session, Turn
from . import metrics
from .arms import Arm, make_session
from .relevance import CatalogView
from .shoppers import Shopper, ShopperOptions
from .voice import Speaker

POOL = 40
"""Items per turn whose features the log keeps beyond the shown list (``pool``), for learned fusion."""


@dataclass
class Episode:
    """One shopper's session in one arm: per-turn metrics (index 0 = the list before any action) and log."""

    arm: str
    seed: int
    shopper: int
    target: str
    ranks: list[int | None] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)
    diversity: list[float] = field(default_factory=list)
    shown: list[list[str]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    full_ranks: list[int | None] = field(default_factory=list)
    """The target's place in the whole ranking per turn; filled only when the episode runs ``deep``."""
    errors: int = 0

    @property
    def key(self) -> tuple[int, int]:
        return self.seed, self.shopper


def pick_targets(view: CatalogView, seed: int, n: int, *, need_image: bool) -> list[int]:
    """``n`` target rows for ``seed``, without repeats until the eligible items run out."""
    eligible = np.array([r for r, item in enumerate(view.engine.catalog) if item.image or not need_image])
    order = np.random.default_rng([seed, 0]).permutation(eligible)
    return [int(order[i % len(order)]) for i in range(n)]


def shopper_rng(seed: int, index: int, stream: int) -> np.random.Generator:
    """The random stream ``stream`` of shopper ``index`` under ``seed`` (1: behaviour, 2: voice)."""
    return np.random.default_rng([seed, index + 1, stream])


def run_episode(
    view: CatalogView,
    arm: Arm,
    *,
    seed: int,
    index: int,
    target: int,
    turns: int,
    speaker: Speaker | None = None,
    options: ShopperOptions | None = None,
    deep: bool = False,
) -> Episode:
    """Let shopper ``index`` look for ``target`` in ``arm`` for ``turns`` turns."""
    policy = arm.parsed_policy()
    base = options or ShopperOptions()
    opts = replace(base, constraints=base.constraints and arm.constraints)
    shopper = Shopper(view, target, shopper_rng(seed, index, 1), opts)
    voice_rng = shopper_rng(seed, index, 2)
    session = make_session(view.engine, arm)
    pool_config = session.config.with_overrides(explanations=False)
    episode = Episode(arm.name, seed, index, shopper.item.id)
    _measure(episode, view, target, session, deep)
    for t in range(1, turns + 1):
        modality = policy.at(t)
        before = [r.id for r in session.shown]
        record: dict[str, Any] = {"turn": t, "modality": modality, "events": [], "liked": [], "disliked": []}
        for event, note in _actions(shopper, modality, before, speaker, voice_rng):
            result = session.submit(event)
            record["events"].append({**_describe(event), **note, **_understood(result)})
            if result.error:
                episode.errors += 1
            elif isinstance(event, Like):
                record["liked"].append(event.item)
            elif isinstance(event, Dislike):
                record["disliked"].append(event.item)
        _measure(episode, view, target, session, deep)
        grades = view.grades(target)
        record.update(
            arm=arm.name,
            seed=seed,
            shopper=index,
            target=shopper.item.id,
            shown_before=before,
            shown=[
                {
                    "id": r.id,
                    "score": round(r.score, 5),
                    "grade": int(grades[view.row(r.id)]),
                    "features": r.features,
                    "contributions": r.contributions,
                }
                for r in session.shown
            ],
            target_rank=episode.ranks[-1],
            pool=_pool(session, pool_config, grades),
        )
        episode.log.append(record)
    return episode


def _pool(session: Session, config: RecommenderConfig, grades: np.ndarray) -> dict[str, Any]:
    """The POOL best items under the session's profile, columnar: ids, grades and every scorer's raw feature.

    Deeper than the shown list, so a fit also sees the relevant items the ranking kept out of the top k."""
    ranked = rank(session.engine.store, ProfileSummary.of(session.profile), config, k=POOL, scorers=session.scorers)
    catalog = session.engine.catalog
    return {
        "ids": [r.id for r in ranked],
        "grades": [int(grades[catalog.position(r.id)]) for r in ranked],
        "features": {name: [round(r.features[name], 5) for r in ranked] for name in ranked[0].features}
        if ranked
        else {},
    }


def _actions(
    shopper: Shopper, modality: str, shown: list[str], speaker: Speaker | None, voice_rng: np.random.Generator
) -> Iterable[tuple[Event, dict[str, Any]]]:
    if modality == "text":
        yield Review(shopper.utterance(shown)), {}
    elif modality == "voice":
        if speaker is None:
            raise ValueError("a voice policy needs a Speaker")
        text = shopper.utterance(shown)
        path, how = speaker.speak(text, voice_rng)
        yield Voice(str(path)), {"said": text, **how}
    elif modality == "photo":
        image, how = shopper.photo()
        yield Photo(image, "more"), how
    else:
        like, dislike = shopper.feedback(shown)
        if like:
            yield Like(like), {}
        if dislike:
            yield Dislike(dislike), {}


def _describe(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event.type}
    for name in ("text", "item"):
        if getattr(event, name, None) is not None:
            out[name] = getattr(event, name)
    return out


def _understood(turn: Turn) -> dict[str, Any]:
    if turn.error:
        return {"error": turn.error}
    keys = ("transcript", "wants", "avoids", "filters", "query_text", "polarity")
    return {"understood": {k: turn.understood[k] for k in keys if k in turn.understood}} if turn.understood else {}


def _measure(
    episode: Episode,
    view: CatalogView,
    target: int,
    session: Session,
    deep: bool,
) -> None:
    ids = [r.id for r in session.shown]
    rows = np.array([view.row(i) for i in ids], dtype=int)
    grades = view.grades(target)
    episode.ranks.append(ids.index(episode.target) + 1 if episode.target in ids else None)
    episode.ndcg.append(metrics.ndcg_at(list(grades[rows]), grades, k=session.top_k))
    episode.diversity.append(metrics.intra_list_diversity(view.text_vectors[rows]))
    episode.shown.append(ids)
    if deep:
        episode.full_ranks.append(full_rank(session, episode.target))


def full_rank(session: Session, item_id: str) -> int | None:
    """Where ``item_id`` stands in the session's whole ranking (None when a filter or dislike removes it)."""
    config = session.config.with_overrides(explanations=False)
    ranked = rank(
        session.engine.store,
        ProfileSummary.of(session.profile),
        config,
        k=len(session.engine.catalog),
        scorers=session.scorers,
    )
    ids = [r.id for r in ranked]
    return ids.index(item_id) + 1 if item_id in ids else None


def run(
    engine: Engine,
    arms: list[Arm],
    *,
    seeds: Iterable[int],
    shoppers: int,
    turns: int,
    voice_shoppers: int,
    clips: Path | None = None,
    options: ShopperOptions | None = None,
    log_path: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Episode]:
    """Every arm over the same seeded shoppers; voice arms over the first ``voice_shoppers`` of each seed."""
    view = CatalogView(engine)
    need_image = any(a.parsed_policy().uses("photo") for a in arms)
    needs_voice = any(a.parsed_policy().uses("voice") for a in arms)
    speaker = Speaker(clips) if needs_voice and clips is not None else None
    episodes: list[Episode] = []
    log = log_path.open("w", encoding="utf-8") if log_path else None
    try:
        for seed in seeds:
            targets = pick_targets(view, seed, shoppers, need_image=need_image)
            for arm in arms:
                count = voice_shoppers if arm.parsed_policy().uses("voice") else shoppers
                for index, target in enumerate(targets[:count]):
                    episode = run_episode(
                        view, arm, seed=seed, index=index, target=target, turns=turns, speaker=speaker, options=options
                    )
                    episodes.append(episode)
                    if log:
                        log.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in episode.log)
                if progress:
                    progress(f"seed {seed} arm {arm.name}: {count} shoppers")
    finally:
        if log:
            log.close()
    return episodes
