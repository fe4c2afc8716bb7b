"""Comparing schools: the figures shown side by side equal each school's own pages, over the same period."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from dangjian.assessment.models import Result
from dangjian.core.scoping import unscoped
from tests.assessment import builders
from tests.insights.test_lag import MARCH, behind  # noqa: F401  (the three schools with records in March 2025)


def cells(page: str) -> dict[str, list[str]]:
    """The compare table as {row label: [cell text per school]} (links stripped)."""
    table = {}
    for label, rest in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', page, re.S):
        table[label] = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", rest, re.S)]
    return table


@pytest.fixture
def computed(world):
    return builders.computed_round(world, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))


def test_two_schools_side_by_side_equal_their_own_pages(world, behind, computed, login):  # noqa: F811
    client = login(world.county_admin)
    school_c = behind
    page = client.get(
        reverse("insights:compare"), {"schools": [world.school_a.pk, school_c.pk], "period": "2025-03"}
    ).content.decode()
    table = cells(page)
    for i, school in enumerate((world.school_a, school_c)):
        own = client.get(reverse("insights:school", args=[school.pk]), {"period": "2025-03"}).content.decode()
        due, met, missed = re.search(r"到期(\d+)项，完成(\d+)项，逾期未完成(\d+)项", table["组织生活"][i]).groups()
        assert f"组织生活到期{due}项，完成{met}项，逾期未完成{missed}项" in own
        assert f"逾期任务（{table['逾期任务'][i].rstrip('项')}）" in own
        assert f"超时诉求（{table['超时诉求'][i].rstrip('件')}）" in own
        # Assessment items: the same points as the school's result page, item by item.
        with unscoped("test"):
            result = Result.objects.get(round=computed, school=school)
        result_page = client.get(reverse("assessment:result", args=[result.pk])).content.decode()
        assert reverse("assessment:result", args=[result.pk]) in page
        items = {label: row[i] for label, row in table.items() if re.match(r"[A-Z]\d ", label)}
        assert items
        for label, text in items.items():
            own_text = re.search(
                re.escape(label) + r'</strong>\s*<span class="tag (?:ok|warn)">(.*?)</span>', result_page, re.S
            ).group(1)
            assert text == own_text.replace(" / ", "/"), label
    # Figures link to their records.
    assert reverse("meetings:compliance_org", args=[world.branch_a.pk]) in page
    assert f"{reverse('insights:school', args=[world.school_a.pk])}?period=2025-03#overdue-targets" in page
    assert table["组织生活"][0] == "到期3项，完成1项，逾期未完成2项"


@pytest.mark.parametrize("picked", [[], ["one"], ["a", "b"], ["x"]])
def test_fewer_than_two_or_bad_ids_are_refused_in_chinese(world, login, picked):
    ids = {"one": [world.school_a.pk], "a": [world.school_a.pk], "b": ["b"], "x": ["x"]}
    chosen = [v for key in picked for v in ids[key]]
    response = login(world.county_admin).get(reverse("insights:compare"), {"schools": chosen})
    if not chosen:
        assert response.status_code == 200  # the empty form
    else:
        assert response.status_code == 400 and "请选择2至5所学校" in response.content.decode()


def test_a_school_outside_scope_or_more_than_five_are_refused(world, login):
    client = login(world.county_admin)
    response = client.get(reverse("insights:compare"), {"schools": [world.school_a.pk, 999999]})
    assert response.status_code == 400 and "不在您的管理范围内" in response.content.decode()
    response = client.get(reverse("insights:compare"), {"schools": [1, 2, 3, 4, 5, 6]})
    assert response.status_code == 400
    assert login(world.secretary).get(reverse("insights:compare")).status_code == 403
