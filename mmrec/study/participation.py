"""A participant's way through a study, as the web page drives it: consent, background, tasks, questionnaires.

The page calls this module, never the store: :class:`StudyRun` enrolls, resumes and withdraws
participants; a :class:`Participation` takes each step in order and refuses one out of order with a
:class:`~mmrec.errors.StudyError`. Each task is a recommender :class:`~mmrec.session.Session` under the
condition's config with the study log attached as a listener, so every turn is committed before
``submit`` returns; the first list is logged as ``list_shown`` turn 0, which also marks the task's start.
A participant resumed in another process gets their sessions rebuilt by replaying their logged turns.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import StudyError
from ..media import MediaFolder
from ..replay import replayable_event
from ..session import Session
from ..turn import Turn
from .spec import AttentionCheck, Condition, LikertItem, Study, parse_study, read_spec
from .store import StudyStore, open_store, shown_payload

STEPS = ("background", "task", "questionnaire", "done")
LIVE_PARTICIPANTS = 1000
"""Participations kept in memory for a reload; older ones are rebuilt from the log when they come back."""


@dataclass(frozen=True)
class Progress:
    """How far the current task is against the study's minimums."""

    interactions: int
    seconds: float
    min_interactions: int
    min_seconds: float

    @property
    def ready(self) -> bool:
        return self.interactions >= self.min_interactions and self.seconds >= self.min_seconds

    def missing(self) -> str:
        """What is still needed before the task can be finished, as a sentence ("" when ready)."""
        parts = []
        if self.interactions < self.min_interactions:
            n = self.min_interactions - self.interactions
            parts.append(f"{n} more interaction{'s' if n > 1 else ''} with the recommender")
        if self.seconds < self.min_seconds:
            parts.append(f"{int(self.min_seconds - self.seconds) + 1} more seconds on the task")
        return f"Before finishing, please spend {' and '.join(parts)}." if parts else ""


class StudyRun:
    """A study being served: its file, its log, and the shared recommender engine."""

    def __init__(self, study: Study, spec: Any, store: StudyStore, engine: Engine) -> None:
        for condition in study.conditions:
            if "voice" in condition.inputs and engine.transcriber is None:
                raise StudyError(f"condition {condition.name!r} offers voice input, but no speech model is loaded")
            if "photo" in condition.inputs and "image" not in engine.modalities:
                raise StudyError(f"condition {condition.name!r} offers photo input, but no image encoder is loaded")
        self.study = study
        self.store = store
        self.engine = engine
        self.id = store.register(study, spec)
        self.configs = {c.name: c.recommender() for c in study.conditions}
        self._live: OrderedDict[str, Participation] = OrderedDict()

    @classmethod
    def open(cls, path: str | Path, engine: Engine, store: StudyStore | None = None) -> StudyRun:
        """The study in file ``path`` on ``store`` (default: :func:`open_store` with the file's ``keep_media``)."""
        spec = read_spec(path)
        study = parse_study(spec, base=Path(path).parent)
        return cls(study, spec, store or open_store(keep_media=study.keep_media), engine)

    @property
    def browser_secret(self) -> str:
        """The key the page encrypts a participant's resume token with in their browser (stable across restarts)."""
        return hashlib.sha256(b"mmrec-study-browser:" + self.store.salt()).hexdigest()

    def enroll(self, params: Mapping[str, str]) -> Participation:
        """A participant who has just consented, assigned their condition(s); ``params`` are the link's URL parameters.

        The recruitment-platform id (the study's ``platform_param``) is stored only as a salted hash.
        """
        param = self.study.platform_param
        platform_id = (params.get(param) or "").strip()[:200] if param else ""
        enrollment = self.store.enroll(self.id, self.study, params=dict(params), platform_id=platform_id or None)
        p = Participation(self, enrollment.participant, enrollment.conditions, enrollment.resume_token)
        self._keep(p)
        return p

    def resume(self, token: str) -> Participation:
        """The participant whose resume token this is (their own, never another's); StudyError if none."""
        resumed = self.store.resume(token)
        live = self._live.get(resumed.participant)
        if live is not None:
            self._live.move_to_end(resumed.participant)
            return live
        p = Participation(self, resumed.participant, resumed.conditions, token, self.store.history(resumed.participant))
        self._keep(p)
        return p

    def withdraw(self, code: str) -> bool:
        """Delete every row and kept file of the participant with this code; False when no one has it."""
        code = code.strip()
        if not code:
            return False
        self._live.pop(code, None)
        return self.store.withdraw(code)

    def _keep(self, p: Participation) -> None:
        self._live[p.id] = p
        while len(self._live) > LIVE_PARTICIPANTS:
            self._live.popitem(last=False)


class Participation:
    """One participant's progress: which step they are on and, during a task, their recommender session."""

    def __init__(
        self,
        run: StudyRun,
        participant: str,
        conditions: tuple[str, ...],
        token: str,
        history: list[dict[str, Any]] | None = None,
    ) -> None:
        self.run = run
        self.study = run.study
        self.id = participant
        self.conditions = tuple(conditions)
        self.token = token
        self.session: Session | None = None
        self.lock = threading.RLock()
        """Held by each of this participant's page events, so no two touch their session or steps at once."""
        self.completion_url: str | None = None
        self._background_done = not self.study.background
        self._started: dict[str, str] = {}
        self._finished: set[str] = set()
        self._answered: set[str] = set()
        self._records: dict[str, list[dict[str, Any]]] = {}
        for event in history or []:
            self._replay_step(event)
        if self.step == "done":
            self.completion_url = self.study.completion.url()
        elif self.condition.name in self._started:
            self.session = self._rebuild_session()

    # where the participant is

    @property
    def index(self) -> int:
        """0-based position of the current condition in the participant's order (len(conditions) when done)."""
        return next((i for i, c in enumerate(self.conditions) if c not in self._answered), len(self.conditions))

    @property
    def step(self) -> str:
        """One of :data:`STEPS`."""
        if not self._background_done:
            return "background"
        if self.index == len(self.conditions):
            return "done"
        return "questionnaire" if self.conditions[self.index] in self._finished else "task"

    @property
    def condition(self) -> Condition:
        """The condition of the current (or last) task."""
        return self.study.condition(self.conditions[min(self.index, len(self.conditions) - 1)])

    def progress(self) -> Progress:
        """Interactions made and seconds spent on the current task."""
        name = self.condition.name
        started = self._started.get(name)
        seconds = (datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds() if started else 0.0
        made = sum(1 for r in self._records.get(name, []) if not r.get("error"))
        return Progress(made, seconds, self.study.task.min_interactions, self.study.task.min_seconds)

    # steps

    def log_page(self, kind: str, info: Mapping[str, Any]) -> None:
        """Log a ``page_load`` or ``reload`` of the participant's page."""
        if kind not in ("page_load", "reload"):
            raise StudyError(f"unknown page event {kind!r}; valid: page_load, reload")
        self.run.store.log_event(self.id, kind, {"step": self.step, **info}, condition=self.condition.name)

    def answer_background(self, answers: Mapping[str, Any]) -> None:
        """Check and log the background answers (question id -> answer); StudyError naming what is wrong."""
        self._expect("background")
        rows = []
        for q in self.study.background:
            value = answers.get(q.id)
            value = value.strip() if isinstance(value, str) else value
            if value in (None, ""):
                if q.required:
                    raise StudyError(f"Please answer “{q.text}”.")
                continue
            if q.type == "number":
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise StudyError(f"“{q.text}” needs a number.") from None
            elif q.type == "choice" and value not in q.choices:
                raise StudyError(f"“{q.text}”: choose one of {', '.join(q.choices)}.")
            rows.append({"id": q.id, "type": q.type, "value": value if q.type == "number" else str(value)[:2000]})
        self.run.store.log_event(self.id, "background", {"answers": rows})
        self._background_done = True

    def start_task(self) -> Session:
        """The current task's recommender session, started (and its first list logged) on the first call."""
        self._expect("task")
        if self.session is None:
            self.session = self._new_session()
            condition, config = self.condition.name, self.session.config
            shown = shown_payload([r.to_record() for r in self.session.shown])
            self.run.store.log_event(self.id, "list_shown", shown, condition=condition, config_id=config.id, turn=0)
            self._started[condition] = datetime.now(UTC).isoformat()
            self._records[condition] = []
        return self.session

    def finish_task(self) -> None:
        """End the current task; StudyError saying what is missing when the study's minimums are not met."""
        self._expect("task")
        progress = self.progress()
        if self.session is None or not progress.ready:
            raise StudyError(progress.missing() or "Start the task first.")
        payload = {"interactions": progress.interactions, "seconds": round(progress.seconds, 1)}
        self.run.store.log_event(
            self.id, "task_finish", payload, condition=self.condition.name, config_id=self.session.config.id
        )
        self._finished.add(self.condition.name)
        self.session = None

    def questionnaire(self) -> list[LikertItem | AttentionCheck]:
        """The statements to rate after each task (see :meth:`questionnaire_of`)."""
        return self.questionnaire_of(self.study)

    @staticmethod
    def questionnaire_of(study: Study) -> list[LikertItem | AttentionCheck]:
        """The statements to rate, attention checks spread evenly among the questionnaire items."""
        items: list[LikertItem | AttentionCheck] = list(study.questionnaire)
        checks = study.attention_checks
        for n, check in enumerate(checks, 1):
            items.insert(round(n * len(study.questionnaire) / (len(checks) + 1)) + n - 1, check)
        return items

    def answer_questionnaire(self, answers: Mapping[str, str | None]) -> None:
        """Log the ratings (item id -> scale label) of the current condition; the last one completes the study."""
        self._expect("questionnaire")
        missing = [it for it in self.questionnaire() if not answers.get(it.id)]
        if missing:
            raise StudyError(f"Please rate every statement ({len(missing)} left, starting with “{missing[0].text}”).")
        condition = self.condition.name
        self.run.store.log_answers(
            self.study, self.id, condition, {it.id: answers[it.id] for it in self.questionnaire()}
        )
        self._answered.add(condition)
        if self.step == "done":
            self.completion_url = self.run.store.complete(self.study, self.id, condition)

    def withdraw(self) -> None:
        """Delete this participant's rows and kept media."""
        self.run.withdraw(self.id)

    # internals

    def _expect(self, step: str) -> None:
        if self.step != step:
            raise StudyError(f"this step is not open now (you are at: {self.step})")

    def _new_session(self) -> Session:
        session = Session(
            self.run.engine,
            config=self.run.configs[self.condition.name],
            session_id=f"{self.id}.{self.index + 1}",
            media=ParticipantMedia(self.run.store, self.id),
        )
        session.listeners.append(self._log_turn)
        return session

    def _log_turn(self, session: Session, turn: Turn) -> None:
        record = turn.to_record()
        self.run.store.log_turn(self.id, self.condition.name, record)
        self._records.setdefault(self.condition.name, []).append(record)

    def _replay_step(self, event: dict[str, Any]) -> None:
        kind, condition = event["kind"], event["condition"]
        if kind == "background":
            self._background_done = True
        elif kind == "list_shown" and event["turn"] == 0:
            self._started[condition] = event["at"].replace("Z", "+00:00")
            self._records[condition] = []
        elif kind in ("interaction", "error"):
            self._records.setdefault(condition, []).append(event["payload"]["record"])
        elif kind == "task_finish":
            self._finished.add(condition)
        elif kind == "questionnaire":
            self._answered.add(condition)

    def _rebuild_session(self) -> Session:
        """The current task's session as it was: its logged turns replayed (media only where the study kept it)."""
        records = self._records.get(self.condition.name, [])
        kept = MediaFolder(self.run.store.directory / "media")
        session = Session(
            self.run.engine, config=self.run.configs[self.condition.name], session_id=f"{self.id}.{self.index + 1}"
        )
        for record in records:
            if record.get("error"):
                continue
            event, note = replayable_event(record["event"], kept)
            if not note:
                session.submit_json(event)
        session.turn = max((int(r["turn"]) for r in records), default=0)
        session.media = ParticipantMedia(self.run.store, self.id)
        session.listeners.append(self._log_turn)
        return session


@dataclass(frozen=True)
class ParticipantMedia:
    """A session's media sink: each upload recorded by sha256 for the participant (bytes kept if the study says)."""

    store: StudyStore
    participant: str

    def put(self, data: bytes, kind: str) -> dict[str, Any]:
        return self.store.store_media(self.participant, kind, data)
