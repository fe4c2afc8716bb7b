"""`make bench`: the ledger (台账) PDF of one branch-year at province scale (see bench/cases.py)."""

from __future__ import annotations

import time

from django.db.models import Count
from django.utils import timezone

from dangjian.core.scoping import unscoped

TARGET_SECONDS = 2.0


def busiest_branch_year() -> tuple[int, int]:
    """The first county's branch with the most meetings this year: the heaviest ordinary ledger."""
    from dangjian.meetings.models import Meeting
    from dangjian.orgs.models import Org

    year = timezone.localdate().year
    with unscoped("bench: pick a branch"):
        county = Org.objects.filter(depth=1).order_by("path").first() or Org.objects.get(depth=0)
        row = (
            Meeting.objects.filter(org__path__startswith=county.path, org__kind="branch", starts_at__year=year)
            .values("org_id")
            .annotate(n=Count("id"))
            .order_by("-n", "org_id")
            .first()
        )
    return row["org_id"], year


def measure(repeat: int = 3) -> list[dict]:
    """The median of ``repeat`` builds after a warm-up, and how much of it gathering the records took."""
    from dangjian.ledgers import content, render
    from dangjian.orgs.models import Org

    org_id, year = busiest_branch_year()
    runs = []
    with unscoped("bench: ledger"):
        org = Org.objects.get(pk=org_id)
        render.pdf(content.gather(org, year))  # warm-up: fonts and templates loaded once per worker
        for _ in range(repeat):
            started = time.perf_counter()
            data = content.gather(org, year)
            gathered = time.perf_counter()
            document = render.pdf(data)
            runs.append((time.perf_counter() - started, gathered - started))
    seconds, gather = sorted(runs)[len(runs) // 2]
    return [
        {
            "case": "ledger PDF, one branch-year",
            "seconds": round(seconds, 2),
            "target_seconds": TARGET_SECONDS,
            "note": f"{len(data.meetings)} meetings, {len(document) // 1024} KB; median of {repeat}; gather {gather:.2f} s",
        }
    ]
