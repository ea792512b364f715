"""Speed: the discipline flags of each membership, counted once a month (issue 8 §2).

discipline_summary holds, per membership, how many absence and inactivity breaches the rules of
002 §15(3)–(4) find and how many have no letter yet, for one month. The rows are written when they
are first needed and deleted when an input of the rules changes, so the table starts empty: no
backfill is needed (the first dashboard of the month counts, every later one reads).

membership (status): the memberships serving now — a tenth of all terms at scale — found from the
index (the ketua's flag counts: 20 → 4 ms at scale 10) instead of reading every past term.

Revision ID: 0008_speed_team
Revises: 0007_bench_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_speed_team"
down_revision = "0007_bench_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discipline_summary",
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("warnings_open", sa.Integer(), nullable=False),
        sa.Column("dismissals", sa.Integer(), nullable=False),
        sa.Column("dismissals_open", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["membership.id"],
            name=op.f("fk_discipline_summary_membership_id_membership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_discipline_summary")),
    )
    op.create_index(op.f("ix_membership_status"), "membership", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_membership_status"), table_name="membership")
    op.drop_table("discipline_summary")
