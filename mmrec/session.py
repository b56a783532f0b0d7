"""The session API: one user's interactions in, a re-ranked, explained list out, turn by turn.

Every caller (the CLI, the Gradio UI, study scripts, simulated users) goes through
:meth:`Session.submit`. Each call yields a :class:`~mmrec.turn.Turn` with a replayable record; a
failed interaction yields a turn with an ``error`` and leaves the profile exactly as it was.
Listeners registered on the session see every turn after its state is committed; a listener that
fails is logged and named on the turn, and the session goes on.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .chips import Chip, chips
from .engine import Engine
from .errors import AudioInputError, BadEventError, InputError, MMRecError, ModelUnavailableError, TextInputError
from .events import (
    CONTROL_TYPES,
    Dislike,
    Event,
    Like,
    Photo,
    Remove,
    Reset,
    Review,
    Undo,
    Voice,
    event_to_dict,
    parse_event,
    parse_line,
)
from .interpretation import Interpretation
from .media import MediaFolder, MediaSink, media_bytes, media_ref
from .profile import Profile, Step
from .profile_summary import ProfileSummary
from .ranking import RankedItem, rank
from .recommender_config import RecommenderConfig, default_config
from .scorers import build_scorers
from .turn import Turn
from .understanding import Filters, understand
from .understanding.filters import lighter_or_darker

log = logging.getLogger(__name__)

ITEM_MODALITIES = ("text", "image")
"""Spaces in which a liked or disliked item's own vectors become signals."""
MAX_MEDIA_BYTES = 64_000_000
"""Uploads larger than this are referenced by size only (the input gates refuse them anyway)."""
UNDO_DEPTH = 100
"""Actions an undo can go back through."""

Listener = Callable[["Session", Turn], None]


class Session:
    """One user's profile and history over a shared :class:`Engine`, ranked under one config.

    ``top_k``, ``diversity`` and ``weights`` (scorer name -> weight) override the config's values.
    With ``media_dir``, uploads are kept there by sha256 so the session's turns can be replayed; a
    ``media`` sink (e.g. a study's media store) takes their bytes instead.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        config: RecommenderConfig | None = None,
        top_k: int | None = None,
        diversity: float | None = None,
        weights: Mapping[str, float] | None = None,
        session_id: str | None = None,
        listeners: tuple[Listener, ...] = (),
        media_dir: str | Path | None = None,
        media: MediaSink | None = None,
    ) -> None:
        overrides: dict[str, Any] = {}
        if top_k is not None:
            overrides["top_k"] = top_k
        if diversity is not None:
            overrides["diversity"] = diversity
        if weights is not None:
            overrides["weights"] = dict(weights)
        config = config or default_config()
        self.config = config.with_overrides(**overrides) if overrides else config
        self.engine = engine
        self.id = session_id or uuid.uuid4().hex[:12]
        self.listeners = list(listeners)
        self.media = media if media is not None else MediaFolder(media_dir) if media_dir is not None else None
        self.scorers = build_scorers(engine.store, self.config)
        self._catalog = engine.store.catalog_ref
        self._encoders = engine.encoder_versions()
        self.profile = Profile(decay=self.config.decay)
        self._config_record = self.config.to_dict()
        """The config as every turn record of this session holds it (one dict, shared: records are never changed)."""
        self._chip_records: dict[Chip, dict[str, str]] = {}
        """The chips after the last turn, as its record holds them (see :meth:`_chips_now`)."""
        self.history: list[Turn] = []
        """Every turn, oldest first; only the latest keeps its list (:meth:`Turn.without_list`), as :attr:`shown`."""
        self.turn = 0
        self.shown = self.ranked()
        self._undo: list[tuple[Profile, str]] = []
        """(profile, what the action was) before each applied action, the last on top; an undo re-ranks the
        profile it restores, which gives the list shown before the action (ranking is deterministic)."""

    @property
    def top_k(self) -> int:
        return self.config.top_k

    @property
    def undoable(self) -> bool:
        """Whether an undo would restore an earlier state (else it is an error)."""
        return bool(self._undo)

    def ranked(self) -> list[RankedItem]:
        """The current list for the current profile; before any feedback, spread over categories."""
        return rank(self.engine.store, ProfileSummary.of(self.profile), self.config, scorers=self.scorers)

    def submit_json(self, line: str | bytes | dict[str, Any]) -> dict[str, Any]:
        """Handle one contract line (JSON text, UTF-8 bytes or an object) and return the contract's answer."""
        try:
            obj = line if isinstance(line, dict) else parse_line(line)
        except BadEventError as e:
            raw = line[:200].decode("utf-8", "replace") if isinstance(line, bytes) else line[:200]
            return self._finish(self._new_turn({"raw": raw}, error=str(e))).to_dict()
        try:
            event = parse_event(obj)
        except BadEventError as e:
            return self._finish(self._new_turn(obj if isinstance(obj, dict) else {}, error=str(e))).to_dict()
        return self.submit(event).to_dict()

    def submit(self, event: Event) -> Turn:
        """Apply ``event`` to the profile and re-rank; on failure report the error and change nothing."""
        started = time.perf_counter()
        before = self.profile.copy()
        turn = self._new_turn(self._event_record(event))
        self.profile.turn = turn.turn
        try:
            if event.type not in self.config.inputs and event.type not in CONTROL_TYPES:
                raise BadEventError(
                    f"{event.type} input is switched off in config {self.config.name!r}; "
                    f"accepted: {', '.join(self.config.inputs)}"
                )
            if isinstance(event, Undo):
                turn.understood, turn.ranked = self._undo_last()
            else:
                turn.understood = self._apply(event)
                rank_started = time.perf_counter()
                turn.ranked = self.ranked()
                turn.rank_seconds = time.perf_counter() - rank_started
                self._undo = [*self._undo[1 - UNDO_DEPTH :], (before, self._action_text(turn))]
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

    def _action_text(self, turn: Turn) -> str:
        """What an undo of ``turn``'s applied action takes back, e.g. 'turn 3: Review “a warm jacket”'."""
        u = turn.understood
        what = {"reset": "Start over", "remove": f"Remove {u.get('name')}"}.get(u.get("action", ""))
        step = next((s.label for s in self.profile.steps if s.turn == turn.turn), turn.event.get("type"))
        return f"turn {turn.turn}: {what or step}"

    def _undo_last(self) -> tuple[Interpretation, list[RankedItem]]:
        """Restore the profile and list from before the last applied action."""
        if not self._undo:
            raise BadEventError("nothing to undo: no action has changed your profile yet")
        self.profile, what = self._undo.pop()
        return Interpretation("undo", name=what), self.ranked()

    def _new_turn(self, event: dict[str, Any], error: str | None = None) -> Turn:
        return Turn(
            self.turn + 1,
            event,
            error=error,
            session=self.id,
            at=datetime.now(UTC).isoformat(),
            config_id=self.config.id,
            config=self._config_record,
            catalog=self._catalog,
            encoders=self._encoders,
        )

    def _finish(self, turn: Turn) -> Turn:
        """Commit the turn to the session's state, then tell the listeners (whose failures are contained)."""
        self.turn = turn.turn
        turn.chips = self._chips_now()
        if turn.error is None:
            turn.changes = _changes(self.shown, turn.ranked)
            self.shown = turn.ranked
        if self.history:
            self.history[-1] = self.history[-1].without_list()
        self.history.append(turn)
        for listener in self.listeners:
            try:
                listener(self, turn)
            except Exception as e:  # a study log or metric must never break the user's session
                name = getattr(listener, "__qualname__", type(listener).__name__)
                log.exception("listener %s failed on turn %d", name, turn.turn)
                turn.listener_errors.append(f"{name}: {type(e).__name__}: {e}")
        return turn

    def _chips_now(self) -> list[dict[str, str]]:
        """The profile's chips as a turn record keeps them. A chip unchanged since the last turn is the same
        dict as in that turn's record, so a session does not hold each of its chips once per turn."""
        current = chips(self.profile)
        known = self._chip_records
        self._chip_records = {c: known.get(c) or c.to_dict() for c in current}
        return [self._chip_records[c] for c in current]

    def _event_record(self, event: Event) -> dict[str, Any]:
        """The event as a turn record keeps it: media by content hash, kept in the media folder if any."""
        out = event_to_dict(event)
        for kind, name in (("audio", "audio"), ("image", "image")):
            if hasattr(event, name):
                out[name] = self._media_ref(getattr(event, name), kind)
        return out

    def _media_ref(self, value: Any, kind: str) -> dict[str, Any]:
        if isinstance(value, (str, os.PathLike)):
            try:
                size = os.stat(value).st_size
            except OSError:
                return {"sha256": None, "kind": kind, "bytes": 0}
            if size > MAX_MEDIA_BYTES:
                return {"sha256": None, "kind": kind, "bytes": size}
        try:
            data = media_bytes(value, kind)
        except InputError:
            return {"sha256": None, "kind": kind, "bytes": 0}
        if self.media is not None:
            self.media.put(data, kind)
        return media_ref(data, kind)

    def _apply(self, event: Event) -> Interpretation:
        match event:
            case Reset():
                self.profile = Profile(decay=self.config.decay, turn=self.turn + 1)
                return Interpretation("reset")
            case Remove(chip=chip):
                return self._remove(chip)
            case Like(item=item_id) | Dislike(item=item_id):
                rules = self.config.feedback
                return self._item_feedback(item_id, rules.like if event.type == "like" else rules.dislike, event.type)
            case Review(text=text, item=item_id):
                return self._review(text, item_id)
            case Voice(audio=audio, item=item_id):
                return self._voice(audio, item_id)
            case Photo(image=image, polarity=polarity):
                return self._photo(image, polarity)
        raise BadEventError(f"unsupported interaction {event!r}")

    def _remove(self, chip: str) -> Interpretation:
        """Take one chip away: lift a filter or term, or rebuild the profile without an interaction."""
        found = next((c for c in chips(self.profile) if c.id == chip), None)
        if found is None:
            active = ", ".join(c.id for c in chips(self.profile)) or "none"
            raise BadEventError(f"no chip {chip!r} in your profile; active chips: {active}")
        if found.kind == "interaction":
            self.profile = self.profile.without(int(chip.removeprefix("turn:")))
        else:
            self.profile.apply(Step(self.profile.turn, "lift", lift=chip))
        return Interpretation("remove", name=found.label, chip=chip)

    def _item_feedback(self, item_id: str, weight: float, how: str) -> Interpretation:
        row = self.engine.catalog.position(item_id)
        item = self.engine.catalog[row]
        verb = {"like": "you liked", "dislike": "you disliked"}.get(how, f"your {how}")
        liked = weight > 0
        step = Step(self.profile.turn, how, f"{'Liked' if liked else 'Disliked'} {item.name}")
        step.liked, step.disliked = (item_id, None) if liked else (None, item_id)
        self._add_item_signals(step, row, weight, f"{item.name}, which {verb}")
        self.profile.apply(step)
        return Interpretation(how, item=item_id, name=item.name, weight=weight)

    def _add_item_signals(self, step: Step, row: int, weight: float, source: str) -> None:
        for modality in ITEM_MODALITIES:
            if modality in self.engine.modalities:
                vector = self.engine.item_vector(modality, row)
                if vector is not None:
                    step.add(modality, vector, weight, source, item=self.engine.catalog[row].id)

    def _review(self, text: str, item_id: str | None, kind: str = "review") -> Interpretation:
        rules = self.config.feedback
        row = self.engine.catalog.position(item_id) if item_id else None
        u = understand(text, self.engine.vocabulary, sentiment=self.engine.sentiment_of)
        quote = _quote(u.text)  # the whole review, so that its avoided half ("not black") is quoted too
        about = f" of {self.engine.catalog[row].name}" if row is not None else ""
        step = Step(self.profile.turn, kind, f"{'Voice' if kind == 'voice' else 'Review'} {quote}{about}")
        if row is not None:
            # A review of an item pulls toward or away from that item, as strongly as its polarity.
            weight = u.polarity
            item = self.engine.catalog[row]
            self._add_item_signals(step, row, weight, f"{item.name}, which your review {quote} was about")
            text_weight = rules.item_review_text_share * weight
        else:
            # A free-standing text describes what the user wants unless it is clearly negative.
            negative = u.label == "negative" and u.intent != "more"
            text_weight = -max(rules.negative_text_floor, abs(u.polarity)) if negative else 1.0
            weight = text_weight
        step.add("text", self.engine.encode("text", u.query_text), text_weight, f"your review {quote}")
        if "clip_text" in self.engine.modalities:
            step.add("clip_text", self.engine.encode("clip_text", u.query_text), text_weight, f"your words {quote}")
        categories = set(self.engine.vocabulary.categories)
        for is_category in (False, True):
            step.add_terms(
                tuple(t for t in u.wants if (t in categories) == is_category),
                tuple(t for t in u.avoids if (t in categories) == is_category),
                weight=rules.category_term_weight if is_category else rules.attribute_term_weight,
            )
        price = self._resolve_relative_price(u.filters, row, names_category=bool(set(u.wants) & categories))
        step.filters = self._resolve_relative_colour(price, row)
        self.profile.apply(step)
        return Interpretation(
            "review",
            item=item_id or None,
            weight=round(weight, 3),
            text=u.text,
            sentiment=round(u.sentiment, 3),
            label=u.label,
            rating=u.rating,
            intent=u.intent,
            wants=tuple(u.wants),
            avoids=tuple(u.avoids),
            query_text=u.query_text,
            polarity=round(u.polarity, 3),
            filters=self.profile.filters.to_dict(),
        )

    def _voice(self, audio: Any, item_id: str | None) -> Interpretation:
        if item_id:
            self.engine.catalog.position(item_id)
        if self.engine.transcriber is None:
            reason = self.engine.status().get("speech")
            raise ModelUnavailableError(f"voice input is unavailable: {reason.reason if reason else 'no speech model'}")
        transcript = self.engine.transcriber.transcribe(audio)
        if transcript.no_speech or not transcript.text.strip():
            raise AudioInputError("no speech heard in the recording; try again, closer to the microphone")
        understood = self._review(transcript.text, item_id, "voice")  # a spoken review reads as the same words typed
        return replace(understood, transcript=transcript.text, speech=transcript.to_dict())

    def _photo(self, image: Any, polarity: str) -> Interpretation:
        if "image" not in self.engine.modalities:
            reason = self.engine.status().get("image")
            raise ModelUnavailableError(
                f"photo input is unavailable: {reason.reason if reason else 'no image encoder'}"
            )
        encoder = self.engine.modalities["image"].encoder.name
        vector = self.engine.encode("image", image)  # the encoder decodes, checks and resizes the photo once
        match = self.engine.best_similarity("image", vector)
        number = 1 + sum(1 for t in self.history if t.event.get("type") == "photo" and t.error is None)
        photo = f"your photo {number}"
        if not match > self.config.photo_floor(encoder):
            note = f"No close match for {photo} in this catalog, so it was not added to your preferences"
            return Interpretation(
                "photo", polarity=polarity, weight=0.0, encoder=encoder, photo=photo, match=round(match, 3), note=note
            )
        strength = self.config.feedback.photo
        weight = strength if polarity == "more" else -strength
        source = photo if weight > 0 else f"{photo}, which you marked not your style"
        step = Step(
            self.profile.turn, "photo", f"Photo {number}: " + ("more like this" if weight > 0 else "not my style")
        )
        step.add("image", vector, weight, source)
        self.profile.apply(step)
        return Interpretation(
            "photo", polarity=polarity, weight=weight, encoder=encoder, photo=photo, match=round(match, 3)
        )

    def _resolve_relative_price(self, filters: Filters, row: int | None, *, names_category: bool) -> Filters:
        """Turn 'cheaper' / 'more premium' into a price bound relative to the item or the list shown.

        The bound keeps to the reference's categories (the item's, or the list's once the profile
        says anything), unless the same words name a category: "cheaper" means a cheaper one of these.
        """
        if not (filters.cheaper or filters.pricier):
            return filters
        if row is not None and self.engine.catalog[row].price:
            items = [self.engine.catalog[row]]
        else:
            items = [self.engine.catalog.get(r.id) for r in self.shown]
        known = [float(i.price) for i in items if i.price]
        if not known:
            return replace(filters, cheaper=False, pricier=False)
        reference = float(np.median(known))
        if not (names_category or filters.include_categories) and (len(items) == 1 or not self.profile.is_empty()):
            filters = replace(filters, include_categories=frozenset(i.leaf_category for i in items if i.leaf_category))
        if filters.cheaper:
            return replace(filters, cheaper=False, max_price=round(reference * self.config.feedback.cheaper, 2))
        return replace(filters, pricier=False, min_price=round(reference * self.config.feedback.pricier, 2))

    def _resolve_relative_colour(self, filters: Filters, row: int | None) -> Filters:
        """Turn 'a lighter / darker colour' into the catalog colours lighter or darker than the item talked about
        (the one in focus, else the top of the list); TextInputError when there is none."""
        if not (filters.lighter or filters.darker):
            return filters
        reference_row = (
            row if row is not None else self.engine.catalog.position(self.shown[0].id) if self.shown else None
        )
        reference = self.engine.catalog[reference_row].color if reference_row is not None else ""
        shade = "lighter" if filters.lighter else "darker"
        colours = lighter_or_darker(reference or "", self.engine.vocabulary.colors, lighter=filters.lighter)
        if not reference:
            raise TextInputError("there is no item in view to compare colours with; name the colour you want")
        if not colours:
            raise TextInputError(f"no colour in this catalog is {shade} than {reference}; try naming a colour")
        return replace(filters, lighter=False, darker=False, include_colors=filters.include_colors | colours)


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
