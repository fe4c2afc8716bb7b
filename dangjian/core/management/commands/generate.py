"""`manage.py generate --profile county|city|province --seed N`: synthetic data at scale.

The orgs app builds the tree, people and demo logins; then every other app that has a `demo` module adds
its records (`demo.generate(ctx)`), in INSTALLED_APPS order, each seeing what the earlier ones built.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dangjian.core import extensions
from dangjian.core.profiles import PROFILES, Profile
from dangjian.core.scoping import unscoped


@dataclass
class Context:
    profile: Profile
    seed: int
    rng: random.Random
    today: dt.date
    stdout: Any
    built: dict[str, Any] = field(default_factory=dict)  # app label -> what its generator returned


class Command(BaseCommand):
    help = "Generate a synthetic county, city or province (deterministic for a seed and a date)."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="reference date, YYYY-MM-DD")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if organizations already exist")
        parser.add_argument("--only", default="", help="comma-separated app labels to run after orgs")

    def handle(self, *args, profile, seed, today, if_empty, only, **options):
        demos = extensions.modules("demo")
        with unscoped("generate: emptiness check"):
            exists = any(module.is_loaded() for module in demos if hasattr(module, "is_loaded"))
        if exists:
            if if_empty:
                self.stdout.write("Demo data already loaded; skipping generation.")
                return
            raise CommandError("The database already has organizations; generate into an empty database.")
        ctx = Context(PROFILES[profile], seed, random.Random(seed), today or timezone.localdate(), self.stdout)
        wanted = {label.strip() for label in only.split(",") if label.strip()}
        started = time.perf_counter()
        for module in demos:
            label = extensions.label(module)
            if label != "orgs" and wanted and label not in wanted:
                continue
            step = time.perf_counter()
            with transaction.atomic(), unscoped(f"generate: {label}"):
                ctx.built[label] = module.generate(ctx)
            self.stdout.write(f"  {label}: {time.perf_counter() - step:.1f}s")
        if connection.vendor == "postgresql":
            # Planner statistics for the freshly loaded tables (autovacuum would get there, but later): without
            # them the first dashboard queries at province scale were planned for empty tables (300 ms, not 6).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated profile {profile} (seed {seed}, {ctx.today}) in {time.perf_counter() - started:.1f}s"
            )
        )
