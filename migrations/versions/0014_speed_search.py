"""Speed: the admin's user list by role and the searches of users and the catalogue (issue 8 §2).

- role_grant (role, user_id): the user list filtered by role reads the role's user ids from the index
  alone.

Revision ID: 0014_speed_search
Revises: 0013_round_status_counts
"""

from alembic import op

revision = "0014_speed_search"
down_revision = "0013_round_status_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_role_grant_role_user", "role_grant", ["role", "user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_role_grant_role_user", table_name="role_grant")
