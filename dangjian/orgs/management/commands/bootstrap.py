"""`manage.py bootstrap --name 某某县 --admin USERNAME`: day one of a real deployment.

Creates the root organization (the county's 教育党工委) and its first administrator. Everything else
(schools, branches, people) then comes in through the pages and roster imports.

The administrator's password: the environment variable BOOTSTRAP_PASSWORD when set (scripted set-ups; it must
pass the password validators, and no change is forced), else a printed one-time password that must be changed
at the first login.
"""

import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from dangjian.core import accounts
from dangjian.core.actions import error_text
from dangjian.core.scoping import unscoped
from dangjian.orgs import services
from dangjian.orgs.models import Org, OrgKind


class Command(BaseCommand):
    help = "Create the root organization and its first administrator on an empty deployment."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="e.g. 某某县 (the committee is named <name>教育党工委)")
        parser.add_argument("--admin", required=True, help="username of the first county administrator")

    @transaction.atomic
    def handle(self, *args, name, admin, **options):
        with unscoped("bootstrap: emptiness check"):
            if Org.objects.exists():
                raise CommandError("This deployment already has organizations.")
        User = get_user_model()
        if User.objects.filter(username=admin).exists():
            raise CommandError(f"User {admin} exists already.")
        chosen = os.environ.get("BOOTSTRAP_PASSWORD", "")
        user = User(username=admin, first_name=f"{name}教育党工委管理员", must_change_password=not chosen)
        if chosen:
            try:
                password_validation.validate_password(chosen, user)
            except ValidationError as exc:
                raise CommandError("BOOTSTRAP_PASSWORD: " + error_text(exc)) from exc
        root = services.create_org(actor=None, kind=OrgKind.COMMITTEE, name=f"{name}教育党工委", parent=None)
        password = chosen or accounts.one_time_password()
        user.set_password(password)
        user.save()
        services.grant_role(actor=None, user=user, org=root, role="county_admin")
        self.stdout.write(self.style.SUCCESS(f"Created {root.name} and administrator {admin}"))
        if chosen:
            self.stdout.write("Password: the one in BOOTSTRAP_PASSWORD.")
        else:
            self.stdout.write(f"One-time password (to be changed at the first login): {password}")
        self.stdout.write("Next steps:")
        self.stdout.write(f"  1. Sign in at {reverse('core:login')} as {admin}.")
        self.stdout.write(
            f"  2. Open the set-up checklist at {reverse('orgs:setup')}: import the schools and their Party"
            " organizations, then the rosters, then grant the roles (docs/operations.md, 'Setting up a new county')."
        )
