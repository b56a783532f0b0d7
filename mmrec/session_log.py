"""Logged sessions read back for learning: what each user was shown, and what they then liked or disliked.

Two kinds of JSON lines are read, mixed freely:

- turn records (:mod:`mmrec.turn`, schema ``mmrec.turn/1``): a study export or ``session --log``. The
  list shown after turn *t* is labelled by turn *t + 1*: the item it liked (or reviewed favourably) is
  wanted (+1), the item it disliked (or reviewed unfavourably) unwanted (-1), the rest unlabelled (0).
- simulated shopper turns (the evaluation's ``turns.jsonl``): each item of the turn's ``pool`` (the
  best items, deeper than the shown list; else the shown list) carries its graded relevance to the
  shopper's hidden target (2 target, 1 close, 0 other), a better label than clicks.

Both give :class:`ShownList` rows (the per-scorer features of every shown item and its label) for
:mod:`mmrec.learned_fusion`, and :class:`Interaction` rows (user, item, +1/-1) for collaborative
signals and feature export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import LogError
from .replay import read_records
from .turn import SCHEMA

FEEDBACK_ACTIONS = ("like", "dislike", "review", "voice")
"""Interpretations that can name an item the user judged."""


@dataclass(frozen=True)
class ShownList:
    """One list a user saw: item ids, their per-scorer raw features, and a label per item."""

    session: str
    turn: int
    ids: tuple[str, ...]
    features: tuple[dict[str, float], ...]
    labels: np.ndarray
    """Higher = more wanted; only the order within a list matters."""


@dataclass(frozen=True)
class Interaction:
    """A user's judgement of an item: +1 liked, -1 disliked, at ``turn``."""

    user: str
    item: str
    value: int
    turn: int


def read_log(paths: Path | Iterable[Path]) -> list[dict[str, Any]]:
    """Every record of one or several JSON-lines logs, in file order."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise LogError(f"no such log file: {', '.join(missing)}")
    return [record for path in paths for record in read_records(path)]


def is_simulated(record: dict[str, Any]) -> bool:
    """Whether ``record`` is a simulated shopper's turn (evaluation ``turns.jsonl``), not a turn record."""
    return "target" in record and "arm" in record


def shown_lists(records: Iterable[dict[str, Any]]) -> list[ShownList]:
    """Every labelled list in ``records``; LogError when a record lacks the features to learn from."""
    out: list[ShownList] = []
    turn_records: dict[str, list[dict[str, Any]]] = {}
    for number, record in enumerate(records, 1):
        if is_simulated(record):
            shown = _pool_rows(record["pool"]) if record.get("pool") else record["shown"]
            _require_features(shown, number)
            labels = [float(s["grade"]) if "grade" in s else 2.0 * (s["id"] == record["target"]) for s in shown]
            out.append(_shown_list(_simulated_user(record), int(record["turn"]), shown, labels))
        elif record.get("schema") == SCHEMA:
            turn_records.setdefault(f"{_user(record)}/{record.get('session', '')}", []).append(record)
        else:
            raise LogError(
                f"log record {number} is neither a turn record (schema {SCHEMA!r}) nor a simulated shopper turn "
                f"(keys arm, target); its keys: {', '.join(sorted(record))}"
            )
    for user, turns in turn_records.items():
        turns.sort(key=lambda r: int(r["turn"]))
        for shown_after, following in zip(turns, turns[1:]):
            shown = shown_after.get("shown") or []
            if shown_after.get("error") or not shown:
                continue
            _require_features(shown, int(shown_after["turn"]))
            judged = _judgement(following)
            labels = [float(judged[1]) if judged and judged[0] == s["id"] else 0.0 for s in shown]
            if any(labels):
                out.append(_shown_list(user, int(shown_after["turn"]), shown, labels))
    return out


def interactions(records: Iterable[dict[str, Any]]) -> list[Interaction]:
    """Every like and dislike (and item review) in ``records``, per user, in turn order."""
    out: list[Interaction] = []
    for record in records:
        if is_simulated(record):
            user, turn = _simulated_user(record), int(record["turn"])
            out += [Interaction(user, i, 1, turn) for i in record.get("liked", [])]
            out += [Interaction(user, i, -1, turn) for i in record.get("disliked", [])]
        elif record.get("schema") == SCHEMA and not record.get("error"):
            judged = _judgement(record)
            if judged:
                out.append(Interaction(_user(record), judged[0], judged[1], int(record["turn"])))
    return sorted(out, key=lambda i: (i.user, i.turn))


def liked_together(records: Iterable[dict[str, Any]]) -> list[frozenset[str]]:
    """Per user, the set of items they liked (users who liked fewer than two items are left out)."""
    liked: dict[str, set[str]] = {}
    for i in interactions(records):
        if i.value > 0:
            liked.setdefault(i.user, set()).add(i.item)
    return [frozenset(items) for items in liked.values() if len(items) > 1]


def _judgement(record: dict[str, Any]) -> tuple[str, int] | None:
    """(item, +1/-1) when the record's interaction judged an item, else None."""
    understood = record.get("interpretation") or {}
    item, weight = understood.get("item"), understood.get("weight")
    if understood.get("action") not in FEEDBACK_ACTIONS or not item or not weight:
        return None
    return item, 1 if weight > 0 else -1


def _shown_list(user: str, turn: int, shown: list[dict[str, Any]], labels: list[float]) -> ShownList:
    return ShownList(
        user,
        turn,
        tuple(s["id"] for s in shown),
        tuple({k: float(v) for k, v in s["features"].items()} for s in shown),
        np.asarray(labels, dtype=float),
    )


def _pool_rows(pool: dict[str, Any]) -> list[dict[str, Any]]:
    """The evaluation's columnar ``pool`` as one dict per item, like ``shown``."""
    features = pool["features"]
    return [
        {"id": i, "grade": g, "features": {name: values[p] for name, values in features.items()}}
        for p, (i, g) in enumerate(zip(pool["ids"], pool["grades"]))
    ]


def _require_features(shown: list[dict[str, Any]], where: int) -> None:
    if shown and "features" not in shown[0]:
        raise LogError(
            f"log record {where}: shown items carry no per-scorer 'features' (a log from before they were "
            "recorded); re-run the sessions or the evaluation to log them"
        )


def _user(record: dict[str, Any]) -> str:
    return str(record.get("participant") or record.get("session", ""))


def _simulated_user(record: dict[str, Any]) -> str:
    return f"{record['arm']}/{record['seed']}/{record['shopper']}"
