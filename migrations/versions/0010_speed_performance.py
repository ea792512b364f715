"""Speed: indexes of the performance area found by `make bench` (issue 8 §2).

- monthly_report (status, opd_id, submitted_at) where status = 'submitted': the reports awaiting
  validation, per OPD, oldest first — a partial index that holds only them, so that it never lures
  the planner away from the (member_id, year, month) index when it reads validated months
- performance_plan (status, opd_id, updated_at) where status = 'submitted': the plans awaiting approval
- membership: the members of a period, each under their latest membership in scope ("no later one"),
  read from indexes instead of grouping every membership of the table by member — by dates for the
  whole team (end_date, start_date, member_id, placement_opd_id), by OPD for a koordinator
  (placement_opd_id, end_date, start_date, member_id), and the later-membership probe by member
  (member_id, placement_opd_id, end_date, start_date)

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

PLAIN = [
    ("ix_membership_period", "membership", ["end_date", "start_date", "member_id", "placement_opd_id"]),
    ("ix_membership_opd_period", "membership", ["placement_opd_id", "end_date", "start_date", "member_id"]),
    ("ix_membership_member_period", "membership", ["member_id", "placement_opd_id", "end_date", "start_date"]),
]


def upgrade() -> None:
    for name, table, columns in PARTIAL:
        op.create_index(name, table, columns, sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING))
    for name, table, columns in PLAIN:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(PLAIN):
        op.drop_index(name, table_name=table)
    for name, table, _columns in reversed(PARTIAL):
        op.drop_index(name, table_name=table)
