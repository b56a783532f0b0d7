"""The session API: one user's interactions in, a re-ranked, explained list out, turn by turn.

Every caller (the CLI, the Gradio UI, study scripts, simulated users) goes through
:meth:`Session.submit`. Each call yields a :class:`Turn`; listeners registered on the session see
every turn (the hook for study logs and evaluation). A failed interaction yields a turn with an
``error`` and leaves the profile exactly as it was.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .engine import Engine
from .errors import AudioInputError, BadEventError, MMRecError, ModelUnavailableError
from .events import Dislike, Event, Like, Photo, Reset, Review, Voice, event_to_dict, parse_event, parse_line
from .profile import Profile
from .ranking import FusionWeights, RankedItem, rank
from .understanding import Filters, understand

log = logging.getLogger(__name__)

ITEM_MODALITIES = ("text", "image")
"""Spaces in which a liked or disliked item's own vectors become signals."""
LIKE, DISLIKE = 1.0, -0.7
"""A dislike is weaker than a like: it should sink the item and its twins, not its whole category."""
CATEGORY_TERM_WEIGHT = 2.0
"""A named product type ("jacket") says more about what the user wants than an attribute word."""
CHEAPER = 0.8
PRICIER = 1.25


@dataclass
class Turn:
    """What one interaction did: what was understood, the new list, and how the list moved."""

    turn: int
    event: dict[str, Any]
    understood: dict[str, Any] = field(default_factory=dict)
    ranked: list[RankedItem] = field(default_factory=list)
    error: str | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of the session contract."""
        if self.error is not None:
            return {"turn": self.turn, "error": self.error}
        return {
            "turn": self.turn,
            "understood": self.understood,
            "ranked": [r.to_dict() for r in self.ranked],
            "changes": self.changes,
        }


Listener = Callable[["Session", Turn], None]


class Session:
    """One user's profile and history over a shared :class:`Engine`."""

    def __init__(
        self,
        engine: Engine,
        *,
        top_k: int = 10,
        weights: FusionWeights = FusionWeights(),
        diversity: float = 0.0,
        session_id: str | None = None,
        listeners: tuple[Listener, ...] = (),
    ) -> None:
        self.engine = engine
        self.top_k = top_k
        self.weights = weights
        self.diversity = diversity
        self.id = session_id or uuid.uuid4().hex[:12]
        self.listeners = list(listeners)
        self.profile = Profile()
        self.history: list[Turn] = []
        self.turn = 0
        self.shown = self.ranked()

    def ranked(self) -> list[RankedItem]:
        """The current list for the current profile; before any feedback, spread over categories."""
        return rank(
            self.engine,
            self.profile,
            k=self.top_k,
            weights=self.weights,
            diversity=self.diversity,
            spread=self.profile.is_empty(),
        )

    def submit_json(self, line: str | bytes | dict[str, Any]) -> dict[str, Any]:
        """Handle one contract line (JSON text, UTF-8 bytes or an object) and return the contract's answer."""
        try:
            obj = line if isinstance(line, dict) else parse_line(line)
        except BadEventError as e:
            raw = line[:200].decode("utf-8", "replace") if isinstance(line, bytes) else line[:200]
            return self._finish(Turn(self.turn + 1, {"raw": raw}, error=str(e))).to_dict()
        try:
            event = parse_event(obj)
        except BadEventError as e:
            return self._finish(Turn(self.turn + 1, obj if isinstance(obj, dict) else {}, error=str(e))).to_dict()
        return self.submit(event).to_dict()

    def submit(self, event: Event) -> Turn:
        """Apply ``event`` to the profile and re-rank; on failure report the error and change nothing."""
        started = time.perf_counter()
        self.turn += 1
        before = deepcopy(self.profile)
        self.profile.turn = self.turn
        turn = Turn(self.turn, event_to_dict(event))
        try:
            turn.understood = self._apply(event)
            turn.ranked = self.ranked()
        except MMRecError as e:
            self.profile = before
            turn.error = str(e)
        except Exception as e:  # a bug must not end the session or lose the user's state
            log.exception("interaction failed")
            self.profile = before
            turn.error = (
                f"something went wrong handling this {event.type} ({type(e).__name__}); your session is unchanged"
            )
        turn.seconds = time.perf_counter() - started
        return self._finish(turn)

    def _finish(self, turn: Turn) -> Turn:
        self.turn = turn.turn
        if turn.error is None:
            turn.changes = _changes(self.shown, turn.ranked)
            self.shown = turn.ranked
        self.history.append(turn)
        for listener in self.listeners:
            listener(self, turn)
        return turn

    def _apply(self, event: Event) -> dict[str, Any]:
        match event:
            case Reset():
                self.profile = Profile(decay=self.profile.decay, turn=self.turn)
                return {"action": "reset"}
            case Like(item=item_id) | Dislike(item=item_id):
                return self._item_feedback(item_id, LIKE if event.type == "like" else DISLIKE, event.type)
            case Review(text=text, item=item_id):
                return self._review(text, item_id)
            case Voice(audio=audio, item=item_id):
                return self._voice(audio, item_id)
            case Photo(image=image, polarity=polarity):
                return self._photo(image, polarity)
        raise BadEventError(f"unsupported interaction {event!r}")

    def _item_feedback(self, item_id: str, weight: float, how: str) -> dict[str, Any]:
        row = self.engine.catalog.position(item_id)
        item = self.engine.catalog[row]
        verb = {"like": "you liked", "dislike": "you disliked"}.get(how, f"your {how}")
        self._add_item_signals(row, weight, f"{item.name}, which {verb}")
        if weight > 0:
            self.profile.liked.add(item_id)
            self.profile.disliked.discard(item_id)
        else:
            self.profile.disliked.add(item_id)
            self.profile.liked.discard(item_id)
        return {"action": how, "item": item_id, "name": item.name, "weight": weight}

    def _add_item_signals(self, row: int, weight: float, source: str) -> None:
        for modality in ITEM_MODALITIES:
            if modality in self.engine.modalities:
                vector = self.engine.item_vector(modality, row)
                if vector is not None:
                    self.profile.add(modality, vector, weight, source, item=self.engine.catalog[row].id)

    def _review(self, text: str, item_id: str | None) -> dict[str, Any]:
        row = self.engine.catalog.position(item_id) if item_id else None
        u = understand(text, self.engine.vocabulary, sentiment=self.engine.sentiment_of)
        quote = _quote(u.query_text)
        if row is not None:
            # A review of an item pulls toward or away from that item, as strongly as its polarity.
            weight = u.polarity
            item = self.engine.catalog[row]
            self._add_item_signals(row, weight, f"{item.name}, which your review {quote} was about")
            text_weight = 0.5 * weight
        else:
            # A free-standing text describes what the user wants unless it is clearly negative.
            negative = u.label == "negative" and u.intent != "more"
            text_weight = -max(0.5, abs(u.polarity)) if negative else 1.0
            weight = text_weight
        self.profile.add("text", self.engine.encode("text", u.query_text), text_weight, f"your review {quote}")
        if "clip_text" in self.engine.modalities:
            self.profile.add(
                "clip_text", self.engine.encode("clip_text", u.query_text), text_weight, f"your words {quote}"
            )
        categories = set(self.engine.vocabulary.categories)
        for is_category in (False, True):
            self.profile.add_terms(
                tuple(t for t in u.wants if (t in categories) == is_category),
                tuple(t for t in u.avoids if (t in categories) == is_category),
                weight=CATEGORY_TERM_WEIGHT if is_category else 1.0,
            )
        filters = self._resolve_relative_price(u.filters, row)
        self.profile.filters = self.profile.filters.merged(filters)
        understood = u.to_dict()
        understood.update({"weight": round(weight, 3), "filters": self.profile.filters.to_dict()})
        if item_id:
            understood["item"] = item_id
        return understood

    def _voice(self, audio: Any, item_id: str | None) -> dict[str, Any]:
        if item_id:
            self.engine.catalog.position(item_id)
        if self.engine.transcriber is None:
            reason = self.engine.status().get("speech")
            raise ModelUnavailableError(f"voice input is unavailable: {reason.reason if reason else 'no speech model'}")
        transcript = self.engine.transcriber.transcribe(audio)
        if transcript.no_speech or not transcript.text.strip():
            raise AudioInputError("no speech heard in the recording; try again, closer to the microphone")
        understood = self._review(transcript.text, item_id)
        understood["transcript"] = transcript.text
        understood["speech"] = transcript.to_dict()
        return understood

    def _photo(self, image: Any, polarity: str) -> dict[str, Any]:
        if "image" not in self.engine.modalities:
            reason = self.engine.status().get("image")
            raise ModelUnavailableError(
                f"photo input is unavailable: {reason.reason if reason else 'no image encoder'}"
            )
        vector = self.engine.encode("image", image)  # the encoder decodes, checks and resizes the photo once
        weight = 1.0 if polarity == "more" else -1.0
        source = "your photo" if weight > 0 else "the photo you marked not your style"
        self.profile.add("image", vector, weight, source)
        return {"action": "photo", "polarity": polarity, "encoder": self.engine.modalities["image"].encoder.name}

    def _resolve_relative_price(self, filters: Filters, row: int | None) -> Filters:
        """Turn 'cheaper' / 'more premium' into a price bound relative to the item or the list shown."""
        if not (filters.cheaper or filters.pricier):
            return filters
        if row is not None and self.engine.catalog[row].price:
            reference = float(self.engine.catalog[row].price)
        else:
            prices = [self.engine.catalog.get(r.id).price for r in self.shown]
            known = [p for p in prices if p]
            if not known:
                return replace(filters, cheaper=False, pricier=False)
            reference = float(np.median(known))
        if filters.cheaper:
            return replace(filters, cheaper=False, max_price=round(reference * CHEAPER, 2))
        return replace(filters, pricier=False, min_price=round(reference * PRICIER, 2))


def _quote(text: str, limit: int = 60) -> str:
    short = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f"“{short}”"


def _changes(before: list[RankedItem], after: list[RankedItem]) -> dict[str, list[str]]:
    """Which items entered, left, rose or fell between two lists."""
    old = {r.id: i for i, r in enumerate(before)}
    new = {r.id: i for i, r in enumerate(after)}
    return {
        "entered": [i for i in new if i not in old],
        "left": [i for i in old if i not in new],
        "rose": [i for i in new if i in old and new[i] < old[i]],
        "fell": [i for i in new if i in old and new[i] > old[i]],
    }
