"""What every part of the national generator shares: sizes, dates, the seed and the login table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from organizations.models import Membership, Organization

SEED = 2026
# Statuses and times are as they stood at the start of this day: nothing was reported or verified later.
AS_OF = datetime.date(2026, 11, 16)
_LAST_DAY = AS_OF - datetime.timedelta(days=1)
MSK = datetime.timezone(datetime.timedelta(hours=3), "MSK")
NATIONAL_PASSWORD = "national-portal-2026"
BATCH_ROWS = 200_000
User = get_user_model()
Kind = Organization.Kind
Role = Membership.Role


@dataclass(frozen=True)
class Sizes:
    regions: int = 89
    municipalities: int = 2_500
    schools: int = 40_000
    users: int = 100_000
    regional_roadmaps: int = 540
    municipal_roadmaps: int = 2_260
    school_roadmaps: int = 2_200
    activities: int = 300_000


NATIONAL = Sizes()

# The benchmarks log in as these: username → (where, role); the places are chosen in _known_places.
KNOWN_LOGINS = {
    "national_federal_analyst": ("federal", Role.ANALYST),
    "national_regional_staff": ("regional_authority", Role.STAFF),
    "national_regional_coordinator": ("regional_centre", Role.COORDINATOR),
    "national_municipal_staff": ("municipal_authority", Role.STAFF),
    "national_school_coordinator": ("school", Role.COORDINATOR),
}
