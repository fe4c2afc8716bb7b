"""`field__any=[ids]`: membership in a list sent as one array parameter on PostgreSQL (`= ANY(%s::bigint[])`).

The scoping layer filters by the ids of a subtree, which for a county account are hundreds of organizations. As an
`IN` list each id is a parameter that Django prepares and psycopg splices one by one (a fifth of the county
dashboard's CPU at province scale); as one array the database plans it the same way, on the same index.
Elsewhere it is a plain `IN` list.
"""

from __future__ import annotations

from django.db import models


class Any(models.Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def register() -> None:
    for field in (models.ForeignKey, models.BigAutoField, models.AutoField, models.BigIntegerField):
        field.register_lookup(Any)
