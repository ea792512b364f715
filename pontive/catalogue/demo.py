"""Catalogue reference data (the SOP steps of seed 001) and demo applications."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pontive.catalogue import services
from pontive.core.seeding import reference_step


@reference_step(40, "langkah SOP")
def load_sop_steps(session: Session) -> int:
    return services.load_sop_steps(session)
