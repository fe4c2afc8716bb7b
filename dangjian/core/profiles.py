"""Scale profiles of the data generator (`manage.py generate --profile NAME`).

A profile says how many schools of each shape there are; everything else (staff, members, records) follows
from per-school figures, so the county demo and the province benchmark are the same code at different sizes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SchoolShape:
    """Schools alike in Party structure: a committee with branches, a general branch, one branch, or small
    schools sharing a joint branch (`per_joint` schools each)."""

    name: str
    count: int
    org: str  # committee | general_branch | branch | joint
    branches: int  # branches under a committee / general branch
    staff: tuple[int, int]  # staff per school, min and max
    member_share: float  # Party members among staff
    stages: tuple[str, ...]
    per_joint: int = 1
    groups_per_branch: int = 0


@dataclass(frozen=True)
class Profile:
    name: str
    county_names: tuple[str, ...]
    shapes: tuple[SchoolShape, ...]
    year_of_records: bool = True


_ORDINARY_STAGES = ("primary", "primary", "primary", "primary", "junior", "junior", "nine_year")
_COUNTY_SHAPES = (
    SchoolShape("large", 6, "committee", 3, (180, 230), 0.34, ("senior", "complete"), groups_per_branch=2),
    SchoolShape("medium", 10, "general_branch", 2, (90, 120), 0.32, ("junior", "nine_year")),
    SchoolShape("ordinary", 95, "branch", 0, (32, 46), 0.28, _ORDINARY_STAGES),
    SchoolShape("special", 1, "branch", 0, (25, 30), 0.28, ("special",)),
    SchoolShape("small", 8, "joint", 0, (8, 14), 0.25, ("primary",), per_joint=4),
)

PROFILES = {
    "county": Profile("county", ("示范县",), _COUNTY_SHAPES),
    # A prefecture-level city: 12 counties the size of the demo county.
    "city": Profile("city", tuple(f"第{i + 1}县" for i in range(12)), _COUNTY_SHAPES),
    # A province: 75 counties (9,000 schools, ~10,200 branches, ~770,000 staff of whom ~385,000 members),
    # scaled up per school so that staff and members reach the benchmark targets of issue 8.
    "province": Profile(
        "province",
        tuple(f"第{i + 1}县" for i in range(75)),
        (
            SchoolShape("large", 6, "committee", 3, (300, 380), 0.5, ("senior", "complete"), groups_per_branch=2),
            SchoolShape("medium", 10, "general_branch", 2, (120, 160), 0.5, ("junior", "nine_year")),
            SchoolShape("ordinary", 95, "branch", 0, (60, 80), 0.5, _ORDINARY_STAGES),
            SchoolShape("special", 1, "branch", 0, (25, 30), 0.4, ("special",)),
            SchoolShape("small", 8, "joint", 0, (10, 16), 0.4, ("primary",), per_joint=4),
        ),
    ),
}
