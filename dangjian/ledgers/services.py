"""Writes of the ledgers app: request a ledger (the job builds it)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, fulfilment
from dangjian.core.scoping import unscoped
from dangjian.ledgers import content, jobs, render
from dangjian.ledgers.models import Ledger, LedgerStatus
from dangjian.orgs.models import Org


@transaction.atomic
def request_ledger(*, actor, org: Org, year: int) -> Ledger:
    """Queue a ledger for an org and year; the PDF and Excel are built by a job after the commit."""

    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("年度无效。"))
    ledger = Ledger(org=org, year=year, requested_by=actor)
    with unscoped("ledgers.request_ledger"):
        ledger.full_clean()
        ledger.save()
    audit.record(actor=actor, action="create", obj=ledger, changes={"year": [None, year]})
    transaction.on_commit(lambda: jobs.build_ledger.enqueue(ledger_id=ledger.pk))
    return ledger


def build(ledger_id: int) -> Ledger:
    """Gather the records and render both files (run by the job; trusted code)."""

    with unscoped("ledgers.build"):
        ledger = Ledger.objects.select_related("org").get(pk=ledger_id)
        ledger.status = LedgerStatus.RUNNING
        ledger.save(update_fields=["status"])
    started = time.perf_counter()
    try:
        data = content.gather(ledger.org, ledger.year)
        name = f"ledger-{ledger.org_id}-{ledger.year}-{ledger.pk}"
        ledger.pdf.save(f"{name}.pdf", ContentFile(render.pdf(data)), save=False)
        ledger.xlsx.save(f"{name}.xlsx", ContentFile(render.xlsx(data)), save=False)
        ledger.meeting_count = len(data.meetings)
        ledger.status = LedgerStatus.DONE
    except Exception as exc:  # a failed build is shown on the page, not lost in a worker log
        ledger.status = LedgerStatus.FAILED
        ledger.error = str(exc)[:300]
    ledger.seconds = time.perf_counter() - started
    ledger.finished_at = timezone.now()
    with unscoped("ledgers.build"), transaction.atomic():
        ledger.save()
        fulfilment.changed(org_path=ledger.org.path)  # a generated 台账 may complete assigned work
    return ledger


def mark_lost(ledger_id: int | None) -> None:
    """The build's job is gone (its worker stopped): failed, with a message that says to generate it again."""
    if ledger_id is None:  # not a ledger build's job
        return
    with unscoped("ledgers.mark_lost"):
        Ledger.objects.filter(pk=ledger_id, status__in=[LedgerStatus.QUEUED, LedgerStatus.RUNNING]).update(
            status=LedgerStatus.FAILED,
            error=_("后台任务中断（工作进程已停止），请重新生成。"),
            finished_at=timezone.now(),
        )


def record_download(*, actor, ledger: Ledger, fmt: str) -> None:
    """Downloads are exports of records: audited."""
    audit.record(actor=actor, action="export", obj=ledger, changes={"format": [None, fmt]})
