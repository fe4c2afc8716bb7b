"""`manage.py refresh_compliance [--year 2026 ...]`: recount every compliance cell (the nightly job)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangjian.meetings import compliance


class Command(BaseCommand):
    help = "Recompute the precomputed compliance table for all branches and groups."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="year(s) to refresh; default this year")

    def handle(self, *args, year, **options):
        years = year or [timezone.localdate().year]
        n = compliance.refresh(years=years)
        self.stdout.write(f"{n} compliance cells for {', '.join(map(str, years))}")
