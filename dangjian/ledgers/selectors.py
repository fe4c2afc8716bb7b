from dangjian.core.scoping import scoped
from dangjian.ledgers.models import Ledger


def ledgers_of(user, org):
    return scoped(user, Ledger).filter(org=org).select_related("org").order_by("-requested_at", "-id")


def all_ledgers(user):
    return scoped(user, Ledger).select_related("org").order_by("-requested_at", "-id")
