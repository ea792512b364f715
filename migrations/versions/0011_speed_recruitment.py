"""Speed: indexes of the recruitment area and the admin's user list found by `make bench` (issue 8 §2).

- application (round_id, status, submitted_at, id) replaces (round_id, status): a round's queue filtered
  by status a page at a time in filing order, without walking the other statuses; the per-status counts
  read the same index.
- user lower(full_name): the admin's user search finds the names that start with what is typed from the
  index (with the username's and the NIP's unique indexes) instead of reading every user.

Revision ID: 0011_speed_recruitment
Revises: 0010_speed_performance
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_speed_recruitment"
down_revision = "0010_speed_performance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_application_round_status_queue", "application", ["round_id", "status", "submitted_at", "id"], unique=False
    )
    op.drop_index("ix_application_round_status", table_name="application")
    op.create_index("ix_user_full_name_lower", "user", [sa.text("lower(full_name)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_user_full_name_lower", table_name="user")
    op.create_index("ix_application_round_status", "application", ["round_id", "status"], unique=False)
    op.drop_index("ix_application_round_status_queue", table_name="application")
