"""A turn: what one interaction did, and its JSON-lines record for study logs and replay.

The record (``Turn.to_record()``, read back by ``Turn.from_record``) is one JSON object:

================= ==================================================================================
key               meaning
================= ==================================================================================
schema            ``"mmrec.turn/1"``; bumped when a key changes meaning
session           session id
turn              turn number in the session, from 1
at                UTC time the interaction arrived, ISO 8601 (``2026-12-02T14:20:00.123456+00:00``)
event             the typed event: ``type`` plus ``text`` / ``item`` / ``polarity``; media as
                  ``{"sha256": ..., "kind": "image" | "audio", "bytes": n}``, never a path
interpretation    what was understood (:class:`~mmrec.interpretation.Interpretation`), or null
config_id         :attr:`RecommenderConfig.id` the list was ranked under
config            that config in full (so a replay can reproduce it)
catalog           ``{"name": ..., "hash": ...}`` of the catalog ranked
encoders          space -> model name (``text``, ``image``, ``clip_text``, ``speech``)
shown             the list after the turn; per position ``id``, ``score``, ``features`` (raw score
                  of every scorer), ``contributions`` (weighted), ``reason``, and ``labels`` where a
                  scorer named what it found in the item (``{"attributes": "Jackets, Blue"}``)
changes           ids that ``entered``, ``left``, ``rose``, ``fell`` against the previous list
chips             the profile after the turn as removable chips: ``id``, ``kind`` (``filter``,
                  ``term``, ``interaction``), ``label`` (see :mod:`mmrec.chips`)
latency_ms        ``{"total": ..., "rank": ...}``
error             the message when the interaction was not applied (profile unchanged), else null
listener_errors   listeners that failed on this turn (``"name: Error: message"``)
================= ==================================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .interpretation import Interpretation
from .ranking import RankedItem

SCHEMA = "mmrec.turn/1"


@dataclass
class Turn:
    """What one interaction did: what was understood, the new list, and how the list moved."""

    turn: int
    event: dict[str, Any]
    understood: Interpretation | Mapping[str, Any] = field(default_factory=dict)
    """What was understood; an empty mapping when the interaction was not (an error turn)."""
    ranked: list[RankedItem] = field(default_factory=list)
    error: str | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    session: str = ""
    at: str = ""
    config_id: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    catalog: dict[str, str] = field(default_factory=dict)
    encoders: dict[str, str] = field(default_factory=dict)
    rank_seconds: float = 0.0
    listener_errors: list[str] = field(default_factory=list)
    chips: list[dict[str, str]] = field(default_factory=list)
    """The profile after the turn as removable chips (:class:`mmrec.chips.Chip` dicts)."""

    def without_list(self) -> Turn:
        """This turn without the list it showed: what a session keeps of a turn once another has followed
        (the history shows how each list changed; the whole record reached the listeners as it happened)."""
        return replace(self, ranked=[]) if self.ranked else self

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of the session contract (``python -m mmrec session``)."""
        if self.error is not None:
            return {"turn": self.turn, "error": self.error}
        return {
            "turn": self.turn,
            "understood": dict(self.understood),
            "ranked": [r.to_dict() for r in self.ranked],
            "changes": self.changes,
            "chips": self.chips,
        }

    def to_record(self) -> dict[str, Any]:
        """The replayable record (module docstring); JSON-serialisable, read back by :meth:`from_record`."""
        return {
            "schema": SCHEMA,
            "session": self.session,
            "turn": self.turn,
            "at": self.at,
            "event": self.event,
            "interpretation": self.understood.to_dict() if isinstance(self.understood, Interpretation) else None,
            "config_id": self.config_id,
            "config": self.config,
            "catalog": self.catalog,
            "encoders": self.encoders,
            "shown": [r.to_record() for r in self.ranked],
            "changes": self.changes,
            "chips": self.chips,
            "latency_ms": {"total": self.seconds * 1000, "rank": self.rank_seconds * 1000},
            "error": self.error,
            "listener_errors": list(self.listener_errors),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Turn:
        """The turn a :meth:`to_record` object describes."""
        if record.get("schema") != SCHEMA:
            from .errors import BadEventError

            raise BadEventError(f"not a turn record of schema {SCHEMA!r}: schema {record.get('schema')!r}")
        latency = record.get("latency_ms") or {}
        interpretation = record.get("interpretation")
        return cls(
            turn=int(record["turn"]),
            event=dict(record["event"]),
            understood=Interpretation.from_dict(interpretation) if interpretation else {},
            ranked=[RankedItem.from_record(r) for r in record.get("shown", [])],
            error=record.get("error"),
            changes=dict(record.get("changes") or {}),
            seconds=float(latency.get("total", 0.0)) / 1000,
            session=record.get("session", ""),
            at=record.get("at", ""),
            config_id=record.get("config_id", ""),
            config=dict(record.get("config") or {}),
            catalog=dict(record.get("catalog") or {}),
            encoders=dict(record.get("encoders") or {}),
            rank_seconds=float(latency.get("rank", 0.0)) / 1000,
            listener_errors=list(record.get("listener_errors") or []),
            chips=list(record.get("chips") or []),
        )
