"""Aggregate transparency figures on the public home come from registered indicator formulas only."""

from django.urls import reverse

from dangjian.core import indicators
from dangjian.core.indicators import Measure, Registered


def test_a_registered_formula_shows_as_a_county_aggregate(world, client, monkeypatch):
    seen = {}

    def compliance(*, schools, start, end):
        seen["schools"] = sorted(s.name for s in schools)
        return {
            world.school_a.pk: Measure(1.0, "应开12次，实开12次"),
            world.school_b.pk: Measure(0.5, "应开12次，实开6次"),
        }

    registry = dict(indicators._registry)
    registry["meetings.compliance_rate"] = Registered(
        "meetings.compliance_rate", "组织生活按期开展率", "rate", compliance
    )
    monkeypatch.setattr(indicators, "_registry", registry)
    html = client.get(reverse("publishing:home")).content.decode()
    assert "组织生活按期开展率" in html and "75%" in html and "2所学校的平均值" in html
    assert seen["schools"] == ["乙校", "甲校"]
    # aggregates only: the per-school details (and anything personal) stay off the public page
    assert "应开12次" not in html


def test_no_formula_registered_means_no_figure(world, client, monkeypatch):
    monkeypatch.setattr(indicators, "_registry", {})
    html = client.get(reverse("publishing:home")).content.decode()
    assert "工作公开" not in html and "按期开展率" not in html
