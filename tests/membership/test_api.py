"""The membership API: same scoping as the pages, refusals as 422 with the rule, money as decimal strings."""

from __future__ import annotations

import datetime as dt
import json

from dangjian.membership import development
from tests.membership.helpers import applicant


def _post(client, path, data):
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_dues_over_the_api(world, api_client):
    client = api_client(world.secretary)
    member = world.people["member"]
    response = _post(client, "/api/v1/membership/dues/bases", {"person_id": member.pk, "year": 2026, "base": "5000.01"})
    assert response.status_code == 200 and response.json()["monthly"] == "75.00"
    response = _post(
        client,
        "/api/v1/membership/dues/payments",
        {"person_id": member.pk, "first_month": "2026-01-01", "months": 2, "amount": "100", "paid_on": "2026-01-05"},
    )
    assert response.status_code == 422 and "少于应交" in response.json()["detail"][0]
    response = _post(
        client,
        "/api/v1/membership/dues/payments",
        {"person_id": member.pk, "first_month": "2026-01-01", "months": 2, "amount": "150", "paid_on": "2026-01-05"},
    )
    assert response.status_code == 201 and response.json()["amount"] == "150.00"
    rows = client.get(f"/api/v1/membership/dues/{world.branch_a.pk}/ledger?month=2026-02-01").json()
    mine = next(r for r in rows if r["person_id"] == member.pk)
    assert mine["paid"] and mine["monthly"] == "75.00"
    assert api_client(world.outsider).get(f"/api/v1/membership/dues/{world.branch_a.pk}/ledger").status_code == 404


def test_pipeline_over_the_api(world, api_client):
    dossier = development.open_dossier(actor=world.secretary, person=applicant(world))
    client = api_client(world.secretary)
    step = _post(
        client, f"/api/v1/membership/dossiers/{dossier.pk}/steps", {"code": "application", "done_on": "2025-01-10"}
    )
    assert step.status_code == 201
    refused = _post(
        client, f"/api/v1/membership/dossiers/{dossier.pk}/steps", {"code": "candidate", "done_on": "2025-02-10"}
    )
    assert refused.status_code == 422 and any("请先完成" in m for m in refused.json()["detail"])
    detail = client.get(f"/api/v1/membership/dossiers/{dossier.pk}").json()
    assert [s["code"] for s in detail["steps"]] == ["application"]
    assert client.get("/api/v1/membership/dossiers").json()["count"] == 1
    assert api_client(world.outsider).get("/api/v1/membership/dossiers").json()["count"] == 0
    assert api_client(world.outsider).get(f"/api/v1/membership/dossiers/{dossier.pk}").status_code == 404


def test_transfer_and_terms_over_the_api(world, api_client):
    member = world.members_a[2]
    response = _post(
        api_client(world.secretary),
        "/api/v1/membership/transfers",
        {"person_id": member.pk, "to_org_id": world.branch_b.pk},
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert _post(api_client(world.outsider), f"/api/v1/membership/transfers/{pk}/accept", {}).status_code == 200
    member.refresh_from_db()
    assert member.org == world.branch_b
    world.branch_a.term_started_on = dt.date(2023, 1, 1)
    world.branch_a.save()
    terms = api_client(world.county_admin).get("/api/v1/membership/terms").json()
    assert {t["org_id"]: t["state"] for t in terms}[world.branch_a.pk] in ("due", "overdue")
