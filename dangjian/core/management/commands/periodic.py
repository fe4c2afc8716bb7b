"""`manage.py periodic`: run the periodic duties that are due (cron every few minutes; see core.periodic).
`manage.py periodic --only NAME --force` runs one duty by hand now (e.g. `meetings.refresh_compliance`)."""

from django.core.management.base import BaseCommand

from dangjian.core import periodic
from dangjian.core.models import PeriodicRun


class Command(BaseCommand):
    help = "Run every periodic duty that is due (each once per interval, however many callers)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="list the duties and their last runs")
        parser.add_argument("--only", action="append", default=[], help="run only this duty (repeatable)")
        parser.add_argument("--force", action="store_true", help="with --only: run it now even if it is not due")

    def handle(self, *args, list=False, only=(), force=False, **options):
        if list:
            runs = {r.name: r for r in PeriodicRun.objects.all()}
            for duty in periodic.duties():
                run = runs.get(duty.name)
                last = f"{run.last_started_at:%Y-%m-%d %H:%M} ok={run.last_ok}" if run and run.last_started_at else "-"
                self.stdout.write(f"{duty.name:32} every {duty.interval}  last: {last}")
            return
        failed = 0
        for outcome in periodic.run_due(only=set(only) or None, force=force):
            failed += not outcome.ok
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(style(f"{outcome.name}: {outcome.result}"))
        if failed:
            # Exit non-zero so cron mails someone; the other duties have run.
            raise SystemExit(1)
