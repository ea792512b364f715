"""Speed: indexes of the team's boards (issue 8 §2).

- task (opd_id, status, updated_at): the done and verified columns of a board, latest first, read a
  few rows from the index instead of sorting every finished task of the OPD;
- membership (placement_opd_id, status, member_id): members serving in an OPD — the boards overview's
  counts and the board's member search — from the index alone, without reading every past term.

Revision ID: 0012_speed_team_boards
Revises: 0011_speed_recruitment
"""

from alembic import op

revision = "0012_speed_team_boards"
down_revision = "0011_speed_recruitment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_opd_status_updated", "task", ["opd_id", "status", "updated_at"], unique=False)
    op.create_index(
        "ix_membership_placement_status", "membership", ["placement_opd_id", "status", "member_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_membership_placement_status", table_name="membership")
    op.drop_index("ix_task_opd_status_updated", table_name="task")
