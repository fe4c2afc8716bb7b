"""Background jobs of the meetings app (django-tasks; the immediate backend runs them inline in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_compliance(org_ids: list[int], years: list[int]) -> int:
    """Recount the compliance cells of some orgs after a meeting was planned, recorded, edited or deleted."""
    from dangjian.meetings import compliance

    return compliance.refresh(org_ids=org_ids, years=years)


@task()
def send_reminders() -> int:
    from dangjian.meetings import reminders

    return reminders.send()
