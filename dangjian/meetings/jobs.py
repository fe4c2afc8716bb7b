"""Background jobs of the meetings app (django-tasks; the immediate backend runs them inline in tests)."""

from __future__ import annotations

from django_tasks import task

from dangjian.meetings import reminders


@task()
def send_reminders() -> int:
    return reminders.send()
