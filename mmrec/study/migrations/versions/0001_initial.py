"""The first study schema: studies, participants, events, media, questionnaire answers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studies",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("next_slot", sa.Integer, nullable=False, server_default="0"),
        sa.Column("withdrawn", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "participants",
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
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "participant_id", sa.String(32), sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("condition", sa.String(200)),
        sa.Column("config_id", sa.String(64)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("turn", sa.Integer),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_participant", "events", ["participant_id", "id"])
    op.create_table(
        "media",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column(
            "participant_id",
            sa.String(32),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("path", sa.Text),
    )
    op.create_table(
        "questionnaire_answers",
        sa.Column(
            "participant_id",
            sa.String(32),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("item_id", sa.String(100), primary_key=True),
        sa.Column("construct", sa.String(100)),
        sa.Column("value", sa.Integer),
        sa.Column("answer", sa.Text),
    )


def downgrade() -> None:
    for table in ("questionnaire_answers", "media", "events", "participants", "studies"):
        op.drop_table(table)
