"""Issue 17 item 10: a case's evidence through the API, to its handlers only, as on the case page."""

import pytest
from django.core.files.base import ContentFile

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from tests.ethics.factories import CaseFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def test_evidence_reaches_the_handlers_only(world, api_client, officers):
    case = CaseFactory(person=world.people["teacher"])
    evidence = EvidenceFactory(case=case)
    evidence.file.save("receipt.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    listing = api_client(officers["ethics_a"]).get(f"/api/v1/ethics/cases/{case.pk}/evidence")
    assert listing.status_code == 200
    assert [(row["id"], row["has_file"]) for row in listing.json()] == [(evidence.pk, True)]
    file = api_client(officers["ethics_a"]).get(f"/api/v1/ethics/cases/{case.pk}/evidence/{evidence.pk}/file")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    with unscoped("test"):
        assert AuditEntry.objects.filter(object_id=str(case.pk)).exists()  # the read is logged
    assert api_client(officers["ethics_b"]).get(f"/api/v1/ethics/cases/{case.pk}/evidence").status_code == 404
    assert api_client(world.teacher).get(f"/api/v1/ethics/cases/{case.pk}/evidence").status_code in (403, 404)
