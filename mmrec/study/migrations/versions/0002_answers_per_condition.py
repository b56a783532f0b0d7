"""Questionnaire answers per condition: a within-subject participant answers the questionnaire once per condition.

The table is rebuilt with ``condition`` in its primary key (answers so far get condition "").

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("participant_id", "item_id", "construct", "value", "answer")


def _create(name: str, key: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column(
            "participant_id", sa.String(32), sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
        ),
        *([sa.Column("condition", sa.String(200), nullable=False, server_default="")] if "condition" in key else []),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("construct", sa.String(100)),
        sa.Column("value", sa.Integer),
        sa.Column("answer", sa.Text),
        sa.PrimaryKeyConstraint(*key),
    )


def _rebuild(key: tuple[str, ...]) -> None:
    _create("questionnaire_answers_new", key)
    columns = ", ".join(COLUMNS)
    op.execute(f"INSERT INTO questionnaire_answers_new ({columns}) SELECT {columns} FROM questionnaire_answers")
    op.drop_table("questionnaire_answers")
    op.rename_table("questionnaire_answers_new", "questionnaire_answers")


def upgrade() -> None:
    _rebuild(("participant_id", "condition", "item_id"))


def downgrade() -> None:
    _rebuild(("participant_id", "item_id"))
