"""Background jobs of the ledgers app."""

from django_tasks import task


@task()
def build_ledger(ledger_id: int) -> str:
    from dangjian.ledgers import services

    return services.build(ledger_id).status
