"""Background jobs of the voice app (django-tasks): escalation of overdue concerns, with nobody acting."""

from django_tasks import task

from dangjian.voice import services


@task()
def escalate_overdue_job() -> int:
    return services.escalate_overdue()
