"""Thin views: one access call, one service or selector call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import XLSX, attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require
from dangjian.ledgers import selectors, services
from dangjian.ledgers.models import Ledger, LedgerStatus
from dangjian.orgs.models import Org

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX}


@login_required
def index(request):
    return render(request, "ledgers/index.html", {"page": paginate(request, selectors.all_ledgers(request.user))})


@login_required
def org_ledgers(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "ledgers.view", org)
    context = {
        "org": org,
        "page": paginate(request, selectors.ledgers_of(request.user, org)),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
        "can_generate": has_capability(request.user, "ledgers.generate", org.path),
    }
    return render(request, "ledgers/org.html", context)


@login_required
@require_POST
def generate(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "ledgers.view", org)
    require(request.user, "ledgers.generate", org)
    try:
        ledger = services.request_ledger(actor=request.user, org=org, year=int(request.POST.get("year", 0)))
    except (ValidationError, ValueError):
        messages.error(request, _("年度无效。"))
        return redirect("ledgers:org", pk=org.pk)
    messages.success(request, _("台账正在后台生成，完成后可在本页下载。"))
    return redirect("ledgers:detail", pk=ledger.pk)


@login_required
def detail(request, pk: int):
    ledger = get_for_user(request.user, Ledger, pk)
    return render(request, "ledgers/detail.html", {"ledger": ledger})


@login_required
def download(request, pk: int, fmt: str):
    ledger = get_for_user(request.user, Ledger, pk)
    field = {"pdf": ledger.pdf, "xlsx": ledger.xlsx}.get(fmt)
    if ledger.status != LedgerStatus.DONE or not field:
        raise Http404
    services.record_download(actor=request.user, ledger=ledger, fmt=fmt)
    with field.open("rb") as handle:  # ledgers are a few MB at most; read whole, so no file is left open
        content = handle.read()
    # A ledger holds the branch's roster and who attended what: personal data.
    return attachment_response(
        content, f"{ledger.org.name}-{ledger.year}年台账.{fmt}", CONTENT_TYPES[fmt], personal=True
    )
