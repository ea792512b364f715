"""Speed: indexes of the performance area found by `make bench` (issue 8 §2).

- monthly_report (status, opd_id, submitted_at) where status = 'submitted': the reports awaiting
  validation, per OPD, oldest first — a partial index that holds only them, so that it never lures
  the planner away from the (member_id, year, month) index when it reads validated months
- performance_plan (status, opd_id, updated_at) where status = 'submitted': the plans awaiting approval

Revision ID: 0010_speed_performance
Revises: 0009_speed_contracts
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_speed_performance"
down_revision = "0009_speed_contracts"
branch_labels = None
depends_on = None

WAITING = "status = 'submitted'"
PARTIAL = [
    ("ix_monthly_report_waiting", "monthly_report", ["status", "opd_id", "submitted_at"]),
    ("ix_performance_plan_waiting", "performance_plan", ["status", "opd_id", "updated_at"]),
]


def upgrade() -> None:
    for name, table, columns in PARTIAL:
        op.create_index(name, table, columns, sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))


def downgrade() -> None:
    for name, table, _columns in reversed(PARTIAL):
        op.drop_index(name, table_name=table)
