"""Purge archived care records past their retention date (run from cron, e.g. daily)."""

from django.core.management.base import BaseCommand

from dangjian.care import services


class Command(BaseCommand):
    help = "Delete archived students in difficulty whose retention period has ended (audited)."

    def handle(self, *args, **options):
        self.stdout.write(f"purged {services.purge_expired()}")
