"""`manage.py jobworker`: the right background-job worker for this deployment's backend.

Embedded (no REDIS_URL): django-tasks-db's `db_worker`. Distributed (REDIS_URL): an RQ worker with
django-tasks-rq's job class and the scheduler that runs retries after their delay.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dangjian.core import jobsweep


class Command(BaseCommand):
    help = "Run a background-job worker for the configured backend."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="exit when the queue is empty (RQ only)")
        parser.add_argument("--queue", default="default")

    def handle(self, *args, burst, queue, **options):
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            extra = ["--burst"] if burst else ["--with-scheduler"]
            call_command(
                "rqworker",
                queue,
                "--job-class",
                "django_tasks_rq.Job",
                "--worker-class",
                "dangjian.core.jobqueue.Worker",
                "--worker-ttl",
                str(settings.JOB_MAINTENANCE_SECONDS + 15),
                *extra,
            )
        else:
            # The worker id names this process, so that a job it leaves behind when killed is found at once
            # (core.jobsweep).
            call_command("db_worker", "--queue-name", queue, "--interval", "1", "--worker-id", jobsweep.worker_id())
