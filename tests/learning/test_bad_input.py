"""Issue 14 item 8: unknown enum values in a training record are a 400, not a KeyError."""

import pytest


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"ledger": "no_such_ledger"}, "学时类别"),
        ({"category": "没有这种"}, "培训类型"),
        ({"day": "2001-01-01"}, "生效"),
    ],
)
def test_a_training_record_with_an_unknown_ledger_or_category_is_400(world, api_client, change, reason):
    body = {"ledger": "party_training", "category": "在线学习", "title": "学习", "day": "2026-11-01", "hours": "2"}
    response = api_client(world.member).post("/api/v1/learning/records", body | change, content_type="application/json")
    assert response.status_code == 400 and reason in response.json()["detail"]
