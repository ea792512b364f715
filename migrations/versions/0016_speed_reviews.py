"""Speed: the review pages (issue 8 §2).

- monthly_report (member_id, year, month, status, achievement): a member's year of reports with the
  figures the review pages read, from the index alone — the koordinator's own achievement (the
  validated months of every member serving in their OPDs, grouped per member) and the yearly recap's
  pivot no longer visit each report's row

Revision ID: 0016_speed_reviews
Revises: 0015_speed_team_lists
"""

from alembic import op

revision = "0016_speed_reviews"
down_revision = "0015_speed_team_lists"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_monthly_report_member_figures", "monthly_report", ["member_id", "year", "month", "status", "achievement"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
