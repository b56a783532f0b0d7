"""Re-run recorded sessions (JSON lines of turn records) under their own or another config, and say
how each list differs.

``python -m mmrec replay LOG.jsonl [--config FILE] [--media DIR]``; the record format is described in
:mod:`mmrec.turn`. Photos and voice clips are found by sha256 in the media folder the session kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import Engine
from .errors import BadEventError
from .media import MediaFolder
from .recommender_config import RecommenderConfig, config_from_dict
from .session import Session
from .turn import Turn

SAME_SCORE = 1e-5
"""Scores closer than this count as the same (float32 sums in another order)."""


@dataclass
class TurnDiff:
    """How one replayed list compares with the recorded one."""

    session: str
    turn: int
    same: bool
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    moved: dict[str, tuple[int, int]] = field(default_factory=dict)
    """id -> (recorded position, replayed position), from 1."""
    max_score_change: float = 0.0
    note: str = ""

    def describe(self) -> str:
        head = f"session {self.session} turn {self.turn}: "
        if self.same:
            return head + "same list" + (f" ({self.note})" if self.note else "")
        parts = []
        if self.entered:
            parts.append(f"entered {', '.join(self.entered)}")
        if self.left:
            parts.append(f"left {', '.join(self.left)}")
        if self.moved:
            parts.append("moved " + ", ".join(f"{i} {a}→{b}" for i, (a, b) in self.moved.items()))
        if not parts:
            parts.append(f"same order, scores changed by up to {self.max_score_change:.4f}")
        return head + "; ".join(parts) + (f" ({self.note})" if self.note else "")


def read_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """The turn records of a JSON-lines log (blank lines skipped); BadEventError naming a bad line."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise BadEventError(f"{path} line {number} is not JSON: {e.msg}") from e


def replay(
    records: Iterable[dict[str, Any]],
    engine: Engine,
    *,
    config: RecommenderConfig | None = None,
    media: MediaFolder | None = None,
) -> list[TurnDiff]:
    """Re-run every recorded session in ``records`` (grouped by session id, in turn order) under
    ``config`` (default: each session's recorded config) and compare each list with the recorded one."""
    sessions: dict[str, list[Turn]] = {}
    for record in records:
        turn = Turn.from_record(record)
        sessions.setdefault(turn.session, []).append(turn)
    diffs: list[TurnDiff] = []
    for session_id, turns in sessions.items():
        turns.sort(key=lambda t: t.turn)
        session = Session(engine, config=config or config_from_dict(turns[0].config), session_id=session_id)
        for recorded in turns:
            event, note = replayable_event(recorded.event, media)
            session.submit_json(event)
            diff = _compare(session_id, recorded, session.history[-1], note)
            models = encoder_differences(recorded.encoders, engine.encoder_versions())
            if models and not diff.same:
                diff.note = "; ".join(filter(None, [diff.note, models]))
            diffs.append(diff)
    return diffs


def encoder_differences(recorded: dict[str, str], live: dict[str, str]) -> str:
    """How the models replaying a turn differ from those that recorded it ("" when they are the same)."""
    if not recorded:
        return ""
    parts = []
    for space in sorted(set(recorded) | set(live)):
        before, now = recorded.get(space), live.get(space)
        if before != now:
            parts.append(f"{space}: recorded with {before or 'none'}, replayed with {now or 'none'}")
    return "other models than recorded (" + "; ".join(parts) + ")" if parts else ""


def replayable_event(event: dict[str, Any], media: MediaFolder | None) -> tuple[dict[str, Any], str]:
    """The event with media references swapped for files in ``media``; a note when one is missing."""
    out = dict(event)
    for name in ("audio", "image"):
        ref = out.get(name)
        if not isinstance(ref, dict):
            continue
        path = media.path(ref["sha256"]) if media is not None and ref.get("sha256") else None
        if path is None:
            return {**out, name: f"<{name} {ref.get('sha256')} not kept>"}, f"{name} not kept; cannot replay it"
        out[name] = str(path)
    return out, ""


def _compare(session_id: str, recorded: Turn, replayed: Turn, note: str) -> TurnDiff:
    if (recorded.error is None) != (replayed.error is None):
        what = replayed.error or "it ranked"
        return TurnDiff(session_id, recorded.turn, False, note=note or f"recorded error {recorded.error!r}, now {what}")
    if recorded.error is not None:
        return TurnDiff(session_id, recorded.turn, True, note=note or "not applied, as recorded")
    before = [r.id for r in recorded.ranked]
    after = [r.id for r in replayed.ranked]
    scores_before = {r.id: r.score for r in recorded.ranked}
    change = max((abs(r.score - scores_before[r.id]) for r in replayed.ranked if r.id in scores_before), default=0.0)
    moved = {
        i: (before.index(i) + 1, after.index(i) + 1) for i in after if i in before and before.index(i) != after.index(i)
    }
    return TurnDiff(
        session_id,
        recorded.turn,
        same=before == after and change < SAME_SCORE,
        entered=[i for i in after if i not in before],
        left=[i for i in before if i not in after],
        moved=moved,
        max_score_change=change,
        note=note,
    )
