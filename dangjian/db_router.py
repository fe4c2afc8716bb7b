"""Send read-mostly dashboard queries to a PostgreSQL replica when REPLICA_DATABASE_URL is set.

Only code that asks for it reads from the replica (`Model.objects.using(read_db())`): a page that has just
written must read its own write from the primary."""

from django.conf import settings


def read_db() -> str:
    return "replica" if "replica" in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None  # default: the primary; dashboards opt in with read_db()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
