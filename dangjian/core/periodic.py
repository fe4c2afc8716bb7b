"""Periodic duties: what the platform does by itself (reminders, escalations, purges, nightly recounts).

An app lists its duties in `periodic.py`:

    DUTIES = [Duty("voice.escalate_overdue", dt.timedelta(hours=1), escalate, order=40)]

where the function takes no arguments and returns something short to log (e.g. how many it handled).
`manage.py periodic` (cron every few minutes, or the loop beside the demo server) runs the duties that are
due. Each run is claimed first: one conditional UPDATE moves the duty's `next_due` forward only if it is still
due, so of several callers at the same moment (web nodes, overlapping cron lines) exactly one runs it. A duty
that raises is logged and recorded, and the others still run; it is tried again at its next interval.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.core import extensions, jobsweep
from dangjian.core.models import PeriodicRun

log = logging.getLogger("dangjian.periodic")
NEVER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Duty:
    name: str
    interval: dt.timedelta
    func: Callable[[], object]
    order: int = 50  # lower runs first (e.g. recount before the figures read from the recount)


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    result: str


def duties() -> list[Duty]:
    found: list[Duty] = list(DUTIES)  # the kernel's own, defined at the end of this module
    for module in extensions.modules("periodic"):
        found.extend(getattr(module, "DUTIES", ()))
    names = [d.name for d in found]
    if len(names) != len(set(names)):
        raise ValueError(f"periodic duty names must be unique: {sorted(names)}")
    return sorted(found, key=lambda d: (d.order, d.name))


def claim(duty: Duty, now: dt.datetime, *, force: bool = False) -> bool:
    """Take the duty's run for this interval; False when it is not due or someone else took it.
    `force` (by hand: `manage.py periodic --only NAME --force`) takes it whether due or not."""

    PeriodicRun.objects.bulk_create([PeriodicRun(name=duty.name, next_due=NEVER)], ignore_conflicts=True)
    run = PeriodicRun.objects.filter(name=duty.name)
    taken = (run if force else run.filter(next_due__lte=now)).update(next_due=now + duty.interval, last_started_at=now)
    return taken == 1


def _finish(duty: Duty, ok: bool, result: str) -> None:
    PeriodicRun.objects.filter(name=duty.name).update(last_finished_at=timezone.now(), last_ok=ok, last_result=result)


def run_due(now: dt.datetime | None = None, only: set[str] | None = None, *, force: bool = False) -> list[Outcome]:
    """Run every duty that is due at `now` (each in its own transaction); returns what ran and how.
    `force` runs the `only` duties now, due or not (an operator running one by hand)."""
    now = now or timezone.now()
    outcomes = []
    for duty in duties():
        if only and duty.name not in only:
            continue
        if not claim(duty, now, force=force and bool(only)):
            continue
        try:
            with transaction.atomic():
                result = duty.func()
        except Exception as exc:  # one failing duty must not stop the others
            log.exception("periodic duty %s failed", duty.name)
            outcome = Outcome(duty.name, False, f"{type(exc).__name__}: {exc}"[:2000])
        else:
            log.info("periodic duty %s: %s", duty.name, result)
            outcome = Outcome(duty.name, True, str(result)[:2000])
        _finish(duty, outcome.ok, outcome.result)
        outcomes.append(outcome)
    return outcomes


def _sweep_stale_jobs() -> str:
    return jobsweep.sweep_stale_jobs()


DUTIES = [Duty("core.sweep_stale_jobs", dt.timedelta(minutes=1), _sweep_stale_jobs, order=5)]
