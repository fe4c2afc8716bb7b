"""PostgreSQL plans each query shape once per connection: parameters are bound by the server and a statement run
twice is prepared (settings.py, DB_PREPARE_THRESHOLD; BENCHMARKS.md run 14). SQLite is left as it is."""

from __future__ import annotations

import os
import subprocess
import sys

from django.db import connection

from dangjian.orgs.models import Org


def _options(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("DANGJIAN_TESTING", "DATABASE_URL")}
    code = "import dangjian.settings as s; print(s.DATABASES['default'].get('OPTIONS'))"
    done = subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_postgresql_prepares_repeated_statements_unless_turned_off():
    url = "postgres://postgres@127.0.0.1:5432/x"
    assert _options(DATABASE_URL=url) == "{'server_side_binding': True, 'prepare_threshold': 2}"
    assert _options(DATABASE_URL=url, DB_PREPARE_THRESHOLD="0") in ("{}", "None")
    assert "server_side_binding" not in _options(DATABASE_URL="sqlite:///x.sqlite3")


def test_a_query_run_twice_is_prepared_on_postgresql(db):
    for _ in range(3):
        list(Org.all_objects.filter(path__startswith="1.", depth__gte=0).values_list("id", flat=True))
    if connection.vendor != "postgresql":
        assert "prepare_threshold" not in connection.settings_dict.get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"orgs_org"' in sql and "$1" in sql for sql in prepared), prepared
