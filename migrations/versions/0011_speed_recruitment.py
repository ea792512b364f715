"""Speed: indexes of the recruitment area found by `make bench` (issue 8 §2).

Revision ID: 0011_speed_recruitment
Revises: 0010_speed_performance
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0011_speed_recruitment"
down_revision = "0010_speed_performance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
