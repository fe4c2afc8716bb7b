import pytest

from dangjian.core import indicators
from dangjian.core.indicators import Measure
from tests.assessment.conftest import fake_formulas  # noqa: F401  (the same test-only registry fixture)


def _figure(school_id: int, start) -> float:
    """A deterministic stand-in for a school's monthly meeting compliance."""
    return ((school_id * 37 + start.month * 11) % 60 + 40) / 100


@pytest.fixture
def fake_compliance():
    """meetings.compliance_rate as a test-only formula (the meetings app is not part of this build)."""
    indicators.discover()
    saved = dict(indicators._registry)

    @indicators.formula("meetings.compliance_rate", label="测试：会议合规率")
    def compliance(*, schools, start, end):
        return {
            s.pk: Measure(_figure(s.pk, start), "应开3次，实开若干次", f"/evidence/meetings/{s.pk}/{start:%Y-%m}/")
            for s in schools
        }

    yield _figure
    indicators._registry.clear()
    indicators._registry.update(saved)
