import pytest

from dangjian.core import indicators
from dangjian.core.indicators import Measure


@pytest.fixture
def fake_formulas():
    """register(name, values) adds a test-only formula reading `values` ({school id: figure}), a stand-in for
    another app's records; the registry is restored afterwards. Mutate `values` to "change a record"."""
    indicators.discover()
    saved = dict(indicators._registry)

    def register(name: str, values: dict, *, kind: str = "substance", unit: str = "rate") -> dict:
        @indicators.formula(name, label=f"测试：{name}", unit=unit, kind=kind)
        def measure(*, schools, start, end):
            return {
                s.pk: Measure(values[s.pk], f"测得{values[s.pk]}", f"/evidence/{name}/{s.pk}/")
                for s in schools
                if s.pk in values
            }

        return values

    yield register
    indicators._registry.clear()
    indicators._registry.update(saved)
