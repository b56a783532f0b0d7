"""The study tables as SQLAlchemy Core objects, one schema for SQLite and PostgreSQL.

The schema's history lives in ``migrations/versions``; a change here needs a new migration there.
"""

from __future__ import annotations

import sqlalchemy as sa

VERSION_TABLE = "mmrec_study_version"
"""Alembic's version table, under a name that marks the database as an mmrec study log."""

metadata = sa.MetaData()

studies = sa.Table(
    "studies",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("next_slot", sa.Integer, nullable=False, server_default="0"),
    sa.Column("withdrawn", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String(32), nullable=False),
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("study_id", sa.String(32), sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("platform_hash", sa.String(64), index=True),
    sa.Column("conditions", sa.JSON, nullable=False),
    sa.Column("slot", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("resume_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("participant_id", sa.String(32), sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    sa.Column("condition", sa.String(200)),
    sa.Column("config_id", sa.String(64)),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("turn", sa.Integer),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("latency_ms", sa.Float),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Index("ix_events_participant", "participant_id", "id"),
)

media = sa.Table(
    "media",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("participant_id", sa.String(32), sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("bytes", sa.Integer, nullable=False),
    sa.Column("path", sa.Text),
)

questionnaire_answers = sa.Table(
    "questionnaire_answers",
    metadata,
    sa.Column("participant_id", sa.String(32), sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("condition", sa.String(200), primary_key=True, server_default=""),
    sa.Column("item_id", sa.String(100), primary_key=True),
    sa.Column("construct", sa.String(100)),
    sa.Column("value", sa.Integer),
    sa.Column("answer", sa.Text),
)

EVENT_KINDS = (
    "consent", "background", "page_load", "reload", "task_start", "interaction", "list_shown", "task_finish",
    "questionnaire", "attention_check", "completion", "withdrawal", "error",
)  # fmt: skip
STATUSES = ("consented", "active", "completed", "withdrawn")
