import pytest

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import ComplianceCell
from tests.assessment.conftest import fake_formulas  # noqa: F401  (the same test-only registry fixture)

KINDS = ("theme_day", "committee_meeting", "general_assembly", "party_lecture", "org_life_meeting")


@pytest.fixture
def cells():
    """cells(org, month, met=, overdue=, due=): compliance cells of `org` falling due in `month` (a Period), as the
    meetings app derives them; one kind each, so up to five per org and month."""

    def make(org, month, *, met: int = 0, overdue: int = 0, due: int = 0) -> None:
        statuses = ["met"] * met + ["overdue"] * overdue + ["due"] * due
        with unscoped("test set-up"):
            ComplianceCell.objects.bulk_create(
                ComplianceCell(
                    org=org,
                    kind=kind,
                    period_key=month.key,
                    period_start=month.start,
                    period_end=month.end,
                    required=1,
                    held=int(status == "met"),
                    status=status,
                )
                for kind, status in zip(KINDS, statuses, strict=False)
            )

    return make
