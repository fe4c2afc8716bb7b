"""Fast inserts for the data generator and large imports.

`insert_rows` writes plain tuples: PostgreSQL's COPY (psycopg 3), `executemany` elsewhere. It returns no ids,
so callers that need them take a block first with `reserve_ids`. Model validation and signals do not run:
only trusted, already-checked rows come here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> range:
    """A block of `count` unused primary keys; the table's sequence is moved past it."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608 (names from the model)
            start = max(cursor.fetchone()[0], 0) + 1
            if count:
                cursor.execute("SELECT setval(%s, %s)", [sequence, start + count - 1])
        else:
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
    return range(start, start + count)


def _column(model: type[models.Model], attname: str) -> str:
    field = model._meta.get_field(attname)  # get_field knows attnames too ("org_id")
    assert isinstance(field, models.Field) and field.column, attname
    return field.column


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple], *, chunk: int = 5000) -> int:
    """Insert tuples whose values follow `fields` (attnames, e.g. "org_id"). Returns the number written."""
    table = model._meta.db_table
    columns = [_column(model, name) for name in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        # Outside PostgreSQL the driver does not adapt aware datetimes the way Django stores them (naive UTC on
        # SQLite): adapt those columns as the ORM would.
        adapt = connection.ops.adapt_datetimefield_value
        datetimes = [
            i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), models.DateTimeField)
        ]
        if datetimes:
            rows = (tuple(adapt(v) if i in datetimes else v for i, v in enumerate(row)) for row in rows)
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


@contextmanager
def foreign_keys_checked_after(*tables: type[models.Model]) -> Iterator[None]:
    """Load big tables without per-row foreign-key checks, then check each key once (PostgreSQL).

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each inserted row queues a check that runs at
    COMMIT, one index probe at a time (8 million attendance rows took minutes). Here the tables' foreign-key
    constraints are dropped inside the transaction and added back at the end, which validates every row in
    one join per key, as pg_restore does. DDL is transactional: an error rolls the drop back too.
    Elsewhere (SQLite) nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    saved: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        # ALTER TABLE refuses tables with queued checks (e.g. orgs inserted earlier in this transaction): run them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f' ORDER BY conname",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved.append((table, name, definition))
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    analyze(*tables)
    with connection.cursor() as cursor:
        for table, name, definition in saved:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def analyze(*tables: type[models.Model]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; inside the loading transaction ANALYZE counts the
    transaction's own rows). Without them the next queries are planned for the empty tables of before."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
