"""Speed: indexes of the team's lists (issue 8 §2).

- task_assignee (member_id, task_id) replaces (member_id): a member's tasks ("my tasks", its count) read
  from the index alone, without a lookup of each assignment row.

Revision ID: 0015_speed_team_lists
Revises: 0014_speed_search
"""

from alembic import op

revision = "0015_speed_team_lists"
down_revision = "0014_speed_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_assignee_member_task", "task_assignee", ["member_id", "task_id"], unique=False)
    op.drop_index("ix_task_assignee_member_id", table_name="task_assignee")


def downgrade() -> None:
    op.create_index("ix_task_assignee_member_id", "task_assignee", ["member_id"], unique=False)
    op.drop_index("ix_task_assignee_member_task", table_name="task_assignee")
