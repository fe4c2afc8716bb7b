"""`make bench`: compliance at province scale (see bench/cases.py and BENCHMARKS.md).

- the full recompute of every branch's and group's cells for the year (`compliance.refresh`, what the nightly
  duty `meetings.refresh_compliance` runs), against the floor: one hand-written SQL aggregate over the same
  meeting and attendance rows that only reads (no rules, no periods, no writes). Both three times, alternating,
  medians reported. The recompute writes only the cells that changed, so it is also measured once with every
  cell changed (the worst case);
- the incremental refresh after recording one meeting (run inside the write itself), in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

from dangjian.core.scoping import unscoped

INCREMENTAL_TARGET_MS = 50
RECOMPUTE_TARGET_RATIO = 3

# The floor: what any compliance figure must at least read, as one statement. Monthly counts of held meetings
# (and of those that met quorum) per org and kind, attendance sums, and the distinct members each branch talked
# with (谈心谈话 covers members, not meetings).
FLOOR_SQL = """
SELECT m.org_id, m.kind, date_trunc('month', m.starts_at AT TIME ZONE %(tz)s) AS month,
       count(*) FILTER (WHERE m.status = 'held' AND m.quorum_met IS NOT FALSE) AS counted,
       count(*) FILTER (WHERE m.status = 'held') AS held,
       sum(m.expected_count) AS expected, sum(m.attended_count) AS attended, NULL::bigint AS covered
  FROM meetings_meeting m JOIN orgs_org o ON o.id = m.org_id
 WHERE o.kind IN ('branch', 'group') AND o.is_active AND m.status <> 'cancelled'
   AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
 GROUP BY 1, 2, 3
UNION ALL
SELECT m.org_id, m.kind, NULL, NULL, NULL, NULL, NULL, count(DISTINCT a.person_id)
  FROM meetings_meeting m JOIN orgs_org o ON o.id = m.org_id
  JOIN meetings_attendance a ON a.meeting_id = m.id AND a.status IN ('present', 'online')
 WHERE o.kind = 'branch' AND o.is_active AND m.kind = 'heart_talk' AND m.status = 'held'
   AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
 GROUP BY 1, 2
"""


def floor(year: int) -> tuple[float, int]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"tz": str(tz), "start": start, "end": end})
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def _branch_to_record() -> tuple:
    """A branch of the first county with a committee and members, and its secretary."""
    from dangjian.orgs.models import Org, Position

    with unscoped("bench: a branch"):
        county = Org.objects.filter(depth=1).order_by("path").first() or Org.objects.get(depth=0)
        position = (
            Position.objects.filter(
                org__path__startswith=county.path, org__kind="branch", post="secretary", ended_on__isnull=True
            )
            .select_related("org", "person")
            .order_by("org__path")
            .first()
        )
    return position.org, position.person


def record_theme_day(*, actor, org, host, number: int):
    """A 主题党日 held an hour ago, recorded in one step as the phone flow does."""
    from dangjian.meetings import services

    return services.record_new_meeting(
        actor=actor,
        org=org,
        kind="theme_day",
        topic=f"压测：主题党日 {number}",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        roster=None,
        statuses={},
        host=host,
    )


def incremental(year: int, repeats: int = 7) -> tuple[float, float]:
    """Median ms of recording one meeting (the write, which derives its org's cells in the same transaction) and of
    that incremental refresh alone (run again here)."""
    from dangjian.meetings import compliance, services

    org, secretary = _branch_to_record()
    writes, refreshes = [], []
    for i in range(repeats):
        started = time.perf_counter()
        with transaction.atomic():
            meeting = record_theme_day(actor=None, org=org, host=secretary, number=i)
        writes.append(time.perf_counter() - started)
        started = time.perf_counter()
        compliance.refresh(org_ids=[org.pk], years=[year])
        refreshes.append(time.perf_counter() - started)
        with transaction.atomic():
            services.delete_meeting(actor=None, meeting=meeting)
    compliance.refresh(org_ids=[org.pk], years=[year])
    return statistics.median(writes) * 1000, statistics.median(refreshes) * 1000


def rewrite_all(year: int) -> tuple[float, object]:
    """The full recompute when every stored cell of the year differs (a rule changed, or the table is new):
    the cells are marked with an attendance rate no derivation gives, then recomputed and all written again."""
    from dangjian.meetings import compliance
    from dangjian.meetings.models import ComplianceCell

    with unscoped("bench: mark every cell changed"):
        ComplianceCell.objects.filter(period_start__year=year).update(attendance_rate=-1.0)
    started = time.perf_counter()
    changes = compliance.refresh_changes(years=[year])
    return time.perf_counter() - started, changes


def measure(repeats: int = 3) -> list[dict]:
    from dangjian.meetings import compliance
    from dangjian.meetings.models import ComplianceCell

    year = timezone.localdate().year
    floor(year)  # warm the buffer cache for both sides alike
    # Floor and recompute alternate, so that both meet the same load; medians, since the machine is shared.
    floors, recomputes = [], []
    for _ in range(repeats):
        floor_seconds, floor_rows = floor(year)
        floors.append(floor_seconds)
        started = time.perf_counter()
        changes = compliance.refresh_changes(years=[year])
        recomputes.append(time.perf_counter() - started)
    floor_seconds, recompute = statistics.median(floors), statistics.median(recomputes)
    rewrite, rewritten = rewrite_all(year)
    with unscoped("bench: count"):
        stored = ComplianceCell.objects.count()
    write_ms, refresh_ms = incremental(year)
    runs = f"median of {repeats}: " if repeats > 1 else ""
    return [
        {
            "case": "floor: one SQL aggregate over the year's meetings and attendance",
            "seconds": round(floor_seconds, 3),
            "note": f"{floor_rows} groups, read only; {runs}{', '.join(f'{s:.2f}' for s in floors)} s",
        },
        {
            "case": "full compliance recompute (every branch and group, the year)",
            "seconds": round(recompute, 2),
            "ratio_to_floor": round(recompute / floor_seconds, 1) if floor_seconds else None,
            "target": f"≤ {RECOMPUTE_TARGET_RATIO}× floor",
            "note": f"{changes.cells} cells derived; written: {changes.added} added, {changes.changed} changed, "
            f"{changes.removed} removed ({stored} stored); {runs}{', '.join(f'{s:.2f}' for s in recomputes)} s",
        },
        {
            "case": "full compliance recompute when every cell changed",
            "seconds": round(rewrite, 2),
            "ratio_to_floor": round(rewrite / floor_seconds, 1) if floor_seconds else None,
            "note": f"{rewritten.changed} cells rewritten (worst case: a rule change or a new table); once",
        },
        {
            "case": "incremental refresh after recording one meeting",
            "seconds": round(refresh_ms / 1000, 4),
            "ms": round(refresh_ms, 1),
            "target": f"≤ {INCREMENTAL_TARGET_MS} ms",
            "note": f"median of 7; the recording itself {write_ms:.0f} ms",
        },
    ]
