"""Speed: indexes of the contracts area found by `make bench` (issue 8 §2).

- contract (ppk_id, status, spk_number), (ppk_id, spk_number) and (pptk_id, spk_number): a PPK's
  (PPTK's) active (all) contracts in SPK order a page at a time, for the assessments due and the
  leave calendar, without sorting all of them;
- contract (ppk_id, status, start_date): the PPK's earliest active contract in one index step;
- leave_request (contract_id, status, start_date, end_date) instead of (contract_id, status): whether
  a contract has leave in a month (the calendar) from the index alone.

Revision ID: 0009_speed_contracts
Revises: 0008_speed_team
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "0009_speed_contracts"
down_revision = "0008_speed_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contract_ppk_status_spk", "contract", ["ppk_id", "status", "spk_number"], unique=False)
    op.create_index("ix_contract_ppk_spk", "contract", ["ppk_id", "spk_number"], unique=False)
    op.create_index("ix_contract_pptk_spk", "contract", ["pptk_id", "spk_number"], unique=False)
    op.create_index("ix_contract_ppk_status_start", "contract", ["ppk_id", "status", "start_date"], unique=False)
    op.create_index("ix_contract_ppk_status_end", "contract", ["ppk_id", "status", "end_date"], unique=False)
    op.drop_index("ix_leave_request_contract_status", table_name="leave_request")
    op.create_index(
        "ix_leave_request_contract_dates",
        "leave_request",
        ["contract_id", "status", "start_date", "end_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_leave_request_contract_dates", table_name="leave_request")
    op.create_index("ix_leave_request_contract_status", "leave_request", ["contract_id", "status"], unique=False)
    op.drop_index("ix_contract_ppk_status_end", table_name="contract")
    op.drop_index("ix_contract_ppk_status_start", table_name="contract")
    op.drop_index("ix_contract_pptk_spk", table_name="contract")
    op.drop_index("ix_contract_ppk_spk", table_name="contract")
    op.drop_index("ix_contract_ppk_status_spk", table_name="contract")
