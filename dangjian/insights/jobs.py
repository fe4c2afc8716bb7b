"""Background jobs of the dashboard (django-tasks: the db worker beside `make demo`, RQ at scale,
immediate in tests). Jobs take ids, never objects, and re-enter trusted code themselves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services


@task()
def refresh_compliance_job(actor_id: int | None = None) -> int:
    """Recompute the school × month compliance table (a formula call per month over every school)."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return services.refresh_compliance(actor=actor)
