"""The demo county: one dossier runs end to end in the first school's branch, with its PDFs read back, and that
branch has this year's dues bases and payments."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dangjian.membership import development, documents, selectors
from dangjian.membership.models import Dossier, DossierStatus, DuesBase, Payment
from tests.membership.helpers import pdf_text

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def demo(db):
    call_command("generate", profile="county", seed=1, only="membership", today=TODAY, stdout=io.StringIO())
    return get_user_model().objects.get(username="secretary1")


def test_demo_dossier_and_dues(demo, login):
    dossier = Dossier.all_objects.get()
    assert dossier.status == DossierStatus.DONE
    assert dossier.person.membership.stage == "full"
    steps = selectors.dossier_steps(dossier)
    assert {s.number for s in steps} == set(range(1, 26))
    assert development.findings(dossier, steps, TODAY) == []
    for kind, words in {
        "record": ["培养考察", dossier.person.name],
        "notice": ["发展对象公示"],
        "review": ["政治审查", "政治审查合格"],
        "conversion": ["转正情况汇总"],
    }.items():
        text = pdf_text(documents.dossier_pdf(kind, dossier, steps))
        assert all(w in text for w in words), kind
    org = dossier.org
    assert DuesBase.all_objects.filter(person__org=org, year=2026).exists()
    rows = selectors.ledger(demo, org, dt.date(2026, 11, 1))
    assert any(r.standing.unpaid for r in rows) and any(not r.standing.unpaid for r in rows)
    assert Payment.all_objects.filter(org=org, months=3).exists()
    client = login(demo)
    assert client.get(f"/membership/dues/{org.pk}/?month=2026-11").status_code == 200
    assert client.get(f"/membership/dossiers/{dossier.pk}/").status_code == 200
