"""The durable study log: one transaction per event, committed before the call returns.

SQLite by default (``<data dir>/study.sqlite``, WAL, ``synchronous=FULL``), PostgreSQL by URL
(``MMREC_STUDY_DB=postgresql+psycopg://...``). The schema is brought to the code's version with
Alembic at open; a database that is newer, foreign or corrupt is refused and left untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from ..cache_files import probe_writable
from ..errors import StudyError
from . import assignment
from .schema import VERSION_TABLE, events, media, participants, questionnaire_answers, studies
from .spec import Study

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_FILE = "study.sqlite"
SYNCHRONOUS = ("FULL", "NORMAL")
MIN_FREE_MB = 100
"""Free space the data folder needs at start-up: a study must not stop at its first participant."""


def data_dir() -> Path:
    """``MMREC_DATA_DIR``, else ``./data`` (on a Hugging Face Space set it to ``/data/mmrec``: persistent storage)."""
    return Path(os.environ.get("MMREC_DATA_DIR", "data"))


def utc_now() -> str:
    """UTC time as ISO 8601 with milliseconds, e.g. ``2026-01-31T12:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Enrollment:
    """A new participant: the pseudonymous id (also the withdrawal code), their conditions, the resume token."""

    participant: str
    conditions: tuple[str, ...]
    resume_token: str


@dataclass(frozen=True)
class Resumed:
    participant: str
    conditions: tuple[str, ...]
    status: str
    records: list[dict[str, Any]]


def open_store(
    url: str | None = None, *, directory: Path | None = None, synchronous: str = "FULL", keep_media: bool = False
) -> StudyStore:
    """Open (and migrate to the code's schema) the study database at ``url``, ``MMREC_STUDY_DB`` or the data dir."""
    directory = Path(directory) if directory is not None else data_dir()
    url = url or os.environ.get("MMREC_STUDY_DB")
    check_data_dir(directory)
    if url is None:
        url = f"sqlite:///{directory / SQLITE_FILE}"
    return StudyStore(_engine(url, synchronous), directory, keep_media=keep_media)


def check_data_dir(directory: Path) -> None:
    """StudyError unless ``directory`` can be created, written and has :data:`MIN_FREE_MB` free."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe_writable(directory)
        free_mb = shutil.disk_usage(directory).free / 2**20
    except OSError as e:
        raise StudyError(
            f"the study data folder {directory} cannot be written ({e.strerror or e}); "
            "set MMREC_DATA_DIR to a writable folder"
        ) from e
    if free_mb < MIN_FREE_MB:
        raise StudyError(
            f"the study data folder {directory} has {free_mb:.0f} MB free; at least {MIN_FREE_MB} MB needed"
        )


def _engine(url: str, synchronous: str) -> sa.Engine:
    if synchronous not in SYNCHRONOUS:
        raise StudyError(f"synchronous={synchronous!r}; valid: {', '.join(SYNCHRONOUS)}")
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def migrate(engine: sa.Engine) -> None:
    """``alembic upgrade head``, after refusing a database that is not ours, newer than the code, or corrupt."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.begin() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            heads = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_heads()
            if tables and VERSION_TABLE not in tables:
                raise StudyError(
                    f"{where} is not an mmrec study database (it has tables {sorted(tables)[:5]}); not touching it"
                )
            for head in heads:
                try:
                    scripts.get_revision(head)
                except CommandError as e:
                    raise StudyError(
                        f"{where} has study schema {head!r}, newer than this mmrec knows "
                        f"(up to {scripts.get_current_head()!r}); upgrade mmrec"
                    ) from e
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except sa.exc.DatabaseError as e:
        raise StudyError(f"cannot use study database {where}: {e.orig}; it was left as it is") from e


class StudyStore:
    """Every write is one transaction that is committed before the method returns."""

    def __init__(self, engine: sa.Engine, directory: Path, *, keep_media: bool = False) -> None:
        migrate(engine)
        self.engine = engine
        self.directory = directory
        self.keep_media = keep_media
        self._salt: bytes | None = None

    def close(self) -> None:
        self.engine.dispose()

    # participants

    def register(self, study: Study, spec: dict[str, Any]) -> str:
        """Record the study (keyed by a hash of its file's content) once; return its id."""
        study_id = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]
        with self.engine.begin() as conn:
            if conn.execute(sa.select(studies.c.id).where(studies.c.id == study_id)).first() is None:
                conn.execute(studies.insert().values(id=study_id, title=study.title, spec=spec, created_at=utc_now()))
        return study_id

    def enroll(
        self, study_id: str, study: Study, *, params: dict[str, str] | None = None, platform_id: str | None = None
    ) -> Enrollment:
        """Create a consented participant and assign their condition(s) (balanced slot or URL parameter)."""
        token = secrets.token_urlsafe(24)
        participant = "P" + secrets.token_hex(8)
        now = utc_now()
        with self.engine.begin() as conn:
            slot = None
            if study.assignment.method == "url":
                conditions = assignment.from_url(study, params or {})
            else:
                slot = (
                    conn.execute(
                        studies.update()
                        .where(studies.c.id == study_id)
                        .values(next_slot=studies.c.next_slot + 1)
                        .returning(studies.c.next_slot)
                    ).scalar_one()
                    - 1
                )
                conditions = assignment.balanced(study, slot)
            conn.execute(
                participants.insert().values(
                    id=participant,
                    study_id=study_id,
                    platform_hash=self.platform_hash(platform_id) if platform_id else None,
                    conditions=list(conditions),
                    slot=slot,
                    status="consented",
                    resume_hash=_hash(token),
                    created_at=now,
                    updated_at=now,
                )
            )
            self._insert_event(conn, participant, "consent", {"conditions": list(conditions)}, condition=conditions[0])
        return Enrollment(participant, conditions, token)

    def set_status(self, participant: str, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                participants.update()
                .where(participants.c.id == participant)
                .values(status=status, updated_at=utc_now())
            )

    def complete(self, study: Study, participant: str, condition: str | None = None) -> str | None:
        """Mark ``participant`` completed and log the completion, together; return the completion URL (if any)."""
        with self.engine.begin() as conn:
            conn.execute(
                participants.update()
                .where(participants.c.id == participant)
                .values(status="completed", updated_at=utc_now())
            )
            self._insert_event(conn, participant, "completion", {"code": study.completion.code}, condition=condition)
        return study.completion.url()

    def platform_hash(self, platform_id: str) -> str:
        """A salted SHA-256 of a recruitment-platform id (the id itself is never stored)."""
        return hashlib.sha256(self.salt() + platform_id.encode()).hexdigest()

    def salt(self) -> bytes:
        """``MMREC_STUDY_SALT``, else a random salt made once and kept in ``<data dir>/study.salt`` (mode 0600)."""
        if self._salt is None:
            if os.environ.get("MMREC_STUDY_SALT"):
                self._salt = os.environ["MMREC_STUDY_SALT"].encode()
            else:
                path = self.directory / "study.salt"
                self.directory.mkdir(parents=True, exist_ok=True)
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "w") as f:
                        f.write(secrets.token_hex(32))
                except FileExistsError:
                    pass
                self._salt = path.read_text().strip().encode()
        return self._salt

    # events

    def log_event(
        self,
        participant: str,
        kind: str,
        payload: dict[str, Any],
        *,
        condition: str | None = None,
        config_id: str | None = None,
        turn: int | None = None,
        latency_ms: float | None = None,
    ) -> int:
        """Write one event in its own committed transaction; return its id."""
        with self.engine.begin() as conn:
            return self._insert_event(conn, participant, kind, payload, condition, config_id, turn, latency_ms)

    def log_turn(self, participant: str, condition: str, record: dict[str, Any]) -> tuple[int, int]:
        """Write a turn record whole (``interaction``) and the list it showed (``list_shown``) in one transaction."""
        shown = shown_payload(record.get("shown") or [])
        common = {"condition": condition, "config_id": record.get("config_id"), "turn": record.get("turn")}
        latency = record.get("latency_ms")
        latency_ms = latency.get("total") if isinstance(latency, dict) else latency  # mmrec.turn/1: {total, rank}
        with self.engine.begin() as conn:
            kind = "error" if record.get("error") else "interaction"
            first = self._insert_event(conn, participant, kind, {"record": record}, latency_ms=latency_ms, **common)
            second = self._insert_event(conn, participant, "list_shown", shown, **common) if shown["shown"] else first
            conn.execute(
                participants.update()
                .where(participants.c.id == participant, participants.c.status == "consented")
                .values(status="active", updated_at=utc_now())
            )
        return first, second

    def log_answers(self, study: Study, participant: str, condition: str | None, answers: dict[str, str]) -> None:
        """Questionnaire answers (scale labels) as rows plus one event, and the attention-check outcome, together."""
        checks = {c.id for c in study.attention_checks}
        rows = []
        for item_id, label in answers.items():
            if item_id in checks:
                continue
            item = study.item(item_id)
            rows.append(
                {"participant_id": participant, "condition": condition or "", "item_id": item_id, "construct": item.construct,
                 "value": study.scale_value(label, item.points), "answer": label}
            )  # fmt: skip
        with self.engine.begin() as conn:
            if rows:
                conn.execute(questionnaire_answers.insert(), rows)
            self._insert_event(conn, participant, "questionnaire", {"answers": answers}, condition=condition)
            if checks:
                passed = study.attention_passed(answers)
                self._insert_event(conn, participant, "attention_check", {"passed": passed}, condition=condition)

    def store_media(self, participant: str, kind: str, data: bytes) -> dict[str, Any]:
        """Record an upload by sha256; keep the bytes in ``<data dir>/media/`` only if the study keeps media."""
        sha = hashlib.sha256(data).hexdigest()
        path = None
        if self.keep_media:
            target = self.directory / "media" / sha[:2] / sha
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                tmp = target.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            path = str(target)
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(media.c.sha256).where(media.c.sha256 == sha, media.c.participant_id == participant)
            ).first()
            if exists is None:
                conn.execute(
                    media.insert().values(sha256=sha, participant_id=participant, kind=kind, bytes=len(data), path=path)
                )
        return {"sha256": sha, "kind": kind, "bytes": len(data)}

    def _insert_event(
        self,
        conn: sa.Connection,
        participant: str,
        kind: str,
        payload: dict[str, Any],
        condition: str | None = None,
        config_id: str | None = None,
        turn: int | None = None,
        latency_ms: float | None = None,
    ) -> int:
        result = conn.execute(
            events.insert().values(
                participant_id=participant,
                condition=condition,
                config_id=config_id,
                kind=kind,
                turn=turn,
                at=utc_now(),
                latency_ms=latency_ms,
                payload=payload,
            )  # fmt: skip
        )
        return int(result.inserted_primary_key[0])

    # reading

    def history(self, participant: str) -> list[dict[str, Any]]:
        """Every event of ``participant`` in order (kind, condition, config_id, turn, at, payload)."""
        columns = (events.c.kind, events.c.condition, events.c.config_id, events.c.turn, events.c.at, events.c.payload)
        with self.engine.connect() as conn:
            query = sa.select(*columns).where(events.c.participant_id == participant).order_by(events.c.id)
            return [dict(r._mapping) for r in conn.execute(query)]

    def resume(self, token: str) -> Resumed:
        """The participant whose resume token this is, with their turn records in order to rebuild the profile."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(participants).where(participants.c.resume_hash == _hash(token))).first()
            if row is None or row.status == "withdrawn":
                raise StudyError("this resume link is not valid (unknown or withdrawn participant)")
            records = [
                r.payload["record"]
                for r in conn.execute(
                    sa.select(events.c.payload)
                    .where(events.c.participant_id == row.id, events.c.kind == "interaction")
                    .order_by(events.c.id)
                )
            ]
        return Resumed(row.id, tuple(row.conditions), row.status, records)

    def withdraw(self, participant: str) -> bool:
        """Delete every row and stored file of ``participant``; count the withdrawal on the study. False if unknown."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(participants.c.study_id).where(participants.c.id == participant)).first()
            if row is None:
                return False
            paths = [
                p for (p,) in conn.execute(sa.select(media.c.path).where(media.c.participant_id == participant)) if p
            ]
            for table in (events, media, questionnaire_answers):
                conn.execute(table.delete().where(table.c.participant_id == participant))
            conn.execute(participants.delete().where(participants.c.id == participant))
            conn.execute(studies.update().where(studies.c.id == row.study_id).values(withdrawn=studies.c.withdrawn + 1))
            still_used = {
                p for (p,) in conn.execute(sa.select(media.c.path).where(media.c.path.in_(paths)))
            } if paths else set()  # fmt: skip
        for p in set(paths) - still_used:
            Path(p).unlink(missing_ok=True)
        return True

    def iter_rows(
        self, table: sa.Table, *, order_by: tuple[sa.ColumnElement, ...] = (), batch: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Stream a table's rows as dicts (server-side cursor on PostgreSQL, ``batch`` rows at a time)."""
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(sa.select(table).order_by(*order_by))
            for row in result:
                yield dict(row._mapping)

    def participants_of(self, study_id: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(participants.c.id, participants.c.conditions, participants.c.status, participants.c.slot)
        if study_id:
            query = query.where(participants.c.study_id == study_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(participants.c.created_at))]


def shown_payload(shown: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``list_shown`` event's payload: per position the item id, score, per-scorer features and contributions."""
    keys = ("id", "score", "features", "contributions")
    return {"shown": [{"position": i, **{k: r.get(k) for k in keys}} for i, r in enumerate(shown)]}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
