"""Speed: applications per status per selection round, stored (issue 8 §2).

round_status_count holds how many applications of each round are at each status (drafts are not
counted); the rounds list and the dashboard cards read it instead of grouping every application. The
flush listener in pontive/recruitment/counts.py keeps it in step; this migration backfills it.

Revision ID: 0013_round_status_counts
Revises: 0012_speed_team_boards
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_round_status_counts"
down_revision = "0012_speed_team_boards"
branch_labels = None
depends_on = None

STATUSES = (
    "draft",
    "submitted",
    "admin_failed",
    "admin_passed",
    "interview",
    "interview_failed",
    "practical",
    "practical_failed",
    "passed",
    "selected",
    "not_selected",
    "appointed",
    "withdrawn",
)


def upgrade() -> None:
    op.create_table(
        "round_status_count",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum(*STATUSES, name="applicationstatus", native_enum=False, length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.CheckConstraint("n >= 0", name=op.f("ck_round_status_count_n_not_negative")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["selection_round.id"],
            name=op.f("fk_round_status_count_round_id_selection_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "status", name=op.f("pk_round_status_count")),
    )
    # the backfill: the same grouping the listener keeps up to date (services.recount)
    op.execute(
        "INSERT INTO round_status_count (round_id, status, n) "
        "SELECT round_id, status, COUNT(*) FROM application WHERE status <> 'draft' GROUP BY round_id, status"
    )


def downgrade() -> None:
    op.drop_table("round_status_count")
