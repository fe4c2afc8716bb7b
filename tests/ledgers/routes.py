from django.core.files.base import ContentFile

from dangjian.core.scoping import unscoped
from dangjian.ledgers.models import Ledger
from tests.routes import Route


def routes(world):
    a = world.branch_a
    with unscoped("route samples"):
        ledger = Ledger(org=a, year=2026, status="done")
        ledger.pdf.save("sample.pdf", ContentFile(b"%PDF-1.4 sample"), save=False)
        ledger.xlsx.save("sample.xlsx", ContentFile(b"PK sample"), save=False)
        ledger.save()
    return [
        Route("ledgers:index", object_route=False),
        Route("ledgers:org", {"pk": a.pk}),
        Route("ledgers:generate", {"pk": a.pk}, method="POST", data={"year": "2026"}, write=True),
        Route("ledgers:detail", {"pk": ledger.pk}),
        Route("ledgers:download", {"pk": ledger.pk, "fmt": "pdf"}),
        Route("GET /api/v1/ledgers/ledgers", api=True, object_route=False),
        Route("POST /api/v1/ledgers/ledgers", method="POST", data={"org_id": a.pk, "year": 2026}, api=True, write=True),
        Route("GET /api/v1/ledgers/ledgers/{ledger_id}", {"ledger_id": ledger.pk}, api=True),
    ]
