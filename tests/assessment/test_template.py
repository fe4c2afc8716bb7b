"""The default template measures substance only (domain-rules.md §9): no clicks, study minutes, photos or
check-ins. The test reads the rule file itself, not the code that loads it."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

import dangjian.assessment
from dangjian.assessment import services
from dangjian.assessment.models import Indicator, Kind
from dangjian.core import indicators
from dangjian.core.indicators import FORBIDDEN_KINDS
from dangjian.core.scoping import unscoped

TEMPLATE = Path(dangjian.assessment.__file__).parent / "rules" / "template_default.yaml"
SUSPICIOUS_WORDS = ("点击", "点赞", "转发", "在线", "时长", "学习时间", "照片", "拍照", "截图", "打卡", "签到", "积分")


def leaves():
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    for version in data["versions"]:
        for part in version["values"]["parts"]:
            yield from part["children"]


def test_template_names_no_forbidden_metric_kind():
    found = list(leaves())
    assert len(found) >= 10
    for leaf in found:
        assert leaf["metric"] not in FORBIDDEN_KINDS, leaf["code"]
        assert not any(word in leaf["name"] for word in SUSPICIOUS_WORDS), leaf["name"]
        if leaf["kind"] == "derived":
            registered = indicators.registered().get(leaf["formula"])
            assert registered is None or registered.kind not in FORBIDDEN_KINDS, leaf["formula"]


@pytest.mark.parametrize("index", [0, 1])
def test_every_version_is_three_parts_of_one_hundred_points(index):
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))["versions"][index]["values"]
    assert len(data["parts"]) == 3
    assert sum(leaf["max_points"] for part in data["parts"] for leaf in part["children"]) == 100


@pytest.mark.parametrize("kind", sorted(FORBIDDEN_KINDS))
def test_a_template_with_a_forbidden_metric_is_refused(world, monkeypatch, kind):
    bad = {
        "name": "坏模板",
        "parts": [
            {
                "code": "X",
                "name": "X",
                "children": [
                    {
                        "code": "X1",
                        "name": "活跃度",
                        "kind": "derived",
                        "formula": "x.y",
                        "metric": kind,
                        "max_points": 10,
                    }
                ],
            }
        ],
    }
    monkeypatch.setattr(services.rules, "rule_values", lambda *a, **k: bad)
    with pytest.raises(ValidationError):
        services.create_system(actor=world.county_admin, org=world.county, year=2026)
    with unscoped("test"):
        assert not Indicator.objects.exists()


def test_an_added_indicator_cannot_count_photos(world):
    system = services.create_system(actor=world.county_admin, org=world.county, year=2026)
    with unscoped("test"):
        group = Indicator.objects.filter(system=system, kind=Kind.GROUP).first()
    with pytest.raises(ValidationError, match="减负"):
        services.add_indicator(
            actor=world.county_admin,
            system=system,
            parent=group,
            name="上传照片数",
            kind=Kind.SCORED,
            metric="photos",
            max_points=5,
        )


def test_a_formula_of_a_forbidden_kind_cannot_even_be_registered():
    with pytest.raises(ValueError):
        indicators.formula("x.clicks", label="点击量", kind="clicks")
