from django.db.models import QuerySet

from dangjian.core.scoping import scoped
from dangjian.ledgers.models import Ledger


def ledgers_of(user, org) -> QuerySet[Ledger]:
    return scoped(user, Ledger).filter(org=org).select_related("org").order_by("-requested_at", "-id")


def all_ledgers(user) -> QuerySet[Ledger]:
    return scoped(user, Ledger).select_related("org").order_by("-requested_at", "-id")
