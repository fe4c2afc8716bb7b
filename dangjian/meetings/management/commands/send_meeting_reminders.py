"""`manage.py send_meeting_reminders`: in-app and email reminders before due dates (safe to run often)."""

from django.core.management.base import BaseCommand

from dangjian.meetings import compliance, reminders


class Command(BaseCommand):
    help = "Mark closed periods overdue and send reminders for meetings and periods about to fall due."

    def handle(self, *args, **options):
        compliance.refresh_statuses()
        self.stdout.write(f"{reminders.send()} reminders")
