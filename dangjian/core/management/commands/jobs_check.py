import time

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus, task_backends

from dangjian.core.jobs import heartbeat


class Command(BaseCommand):
    help = "Enqueue a harmless job and wait for a worker to run it: checks the job system end to end."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30)

    def handle(self, *args, timeout, **options):
        result = heartbeat.enqueue()
        self.stdout.write(f"enqueued {result.id} on {type(task_backends['default']).__name__}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result.refresh()
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(self.style.SUCCESS("a worker ran the job"))
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(f"the job failed: {result.errors}")
            time.sleep(0.5)
        raise CommandError(f"no worker ran the job within {timeout:.0f} s: is a worker running?")
