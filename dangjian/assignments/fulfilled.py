"""Assignments complete themselves from records (core.fulfilment): told when an app's records of some orgs change."""

from __future__ import annotations

from . import services


def records_changed(*, org_ids: list[int]) -> None:
    services.records_changed(org_ids=org_ids)
