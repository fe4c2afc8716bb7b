"""Ledgers over JSON: list, request, and status with download links; scoped as the pages are."""

import datetime as dt

from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.pagination import ApiPagination
from dangjian.core.params import Year
from dangjian.core.scoping import get_for_user, require
from dangjian.ledgers import selectors, services
from dangjian.ledgers.models import Ledger
from dangjian.orgs.models import Org

router = Router(tags=["ledgers"])


class LedgerOut(Schema):
    id: int
    org_id: int
    year: int
    status: str
    meeting_count: int
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    pdf_url: str | None = None
    xlsx_url: str | None = None

    @staticmethod
    def resolve_pdf_url(obj):
        return reverse("ledgers:download", args=[obj.pk, "pdf"]) if obj.status == "done" else None

    @staticmethod
    def resolve_xlsx_url(obj):
        return reverse("ledgers:download", args=[obj.pk, "xlsx"]) if obj.status == "done" else None


class LedgerIn(Schema):
    org_id: int
    year: Year


@router.get("/ledgers", response=list[LedgerOut])
@paginate(ApiPagination)
def list_ledgers(request, org_id: int | None = None):
    if org_id is not None:
        org = get_for_user(request.user, Org, org_id)
        return selectors.ledgers_of(request.user, org)
    return selectors.all_ledgers(request.user)


@router.post("/ledgers", response={202: LedgerOut})
def request_ledger(request, payload: LedgerIn):
    org = get_for_user(request.user, Org, payload.org_id)
    require(request.user, "ledgers.generate", org)
    return Status(202, services.request_ledger(actor=request.user, org=org, year=payload.year))


@router.get("/ledgers/{ledger_id}", response=LedgerOut)
def get_ledger(request, ledger_id: int):
    return get_for_user(request.user, Ledger, ledger_id)
