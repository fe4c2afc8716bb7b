"""Escalate overdue concerns to the county (run from cron, e.g. every hour)."""

from django.core.management.base import BaseCommand

from dangjian.voice import services
from dangjian.voice.jobs import escalate_overdue_job


class Command(BaseCommand):
    help = "Escalate concerns past their working-day time limit to the county committee."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the job instead of running it here")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            escalate_overdue_job.enqueue()
            self.stdout.write("queued")
            return
        self.stdout.write(f"escalated {services.escalate_overdue()}")
