"""The Redis job queue (distributed mode): every job is retried, also when its worker dies mid-job.

RQ re-queues a job found abandoned in the started-jobs registry (its worker stopped sending heartbeats) only
if the job still has retries left, and django-tasks-rq creates jobs without any; this queue class gives each
job three retries unless it asks otherwise. Configured as QUEUE_CLASS in settings.RQ_QUEUES.
"""

from typing import Any

import rq
import rq.job
from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry


class RetryingQueue(DjangoRQ):
    def create_job(self, *args: Any, **kwargs: Any) -> rq.job.Job:
        # Retried jobs wait in the scheduler: workers run --with-scheduler.
        kwargs["retry"] = kwargs.get("retry") or Retry(max=3, interval=[5, 30, 120])
        return super().create_job(*args, **kwargs)


class Worker(rq.Worker):
    """An RQ worker that looks for abandoned jobs every JOB_MAINTENANCE_SECONDS (RQ's default is 10 minutes),
    so a job whose worker died is retried within about a minute and a half of its last heartbeat."""

    def __init__(self, *args, **kwargs):
        # An idle worker only wakes (and so only runs maintenance) when its blocking dequeue times out, after
        # worker_ttl - 15 seconds: `manage.py jobworker` passes --worker-ttl in step with this interval.
        kwargs["maintenance_interval"] = kwargs.get("maintenance_interval") or settings.JOB_MAINTENANCE_SECONDS
        super().__init__(*args, **kwargs)
