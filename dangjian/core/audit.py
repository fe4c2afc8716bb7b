"""The audit log: one entry per write, written by the service that makes the write."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Set as AbstractSet
from typing import Any

from django.db import models

from dangjian.core.models import AuditEntry
from dangjian.core.requestlocal import current_ip

# Models whose audit entries only holders of a capability (over the entry's org) may search, so that the
# audit log does not become a way to find, say, a misconduct case. Apps register in AppConfig.ready().
PRIVATE_MODELS: dict[str, str] = {}


def private_model(label: str, capability: str) -> None:
    PRIVATE_MODELS[label] = capability


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.datetime | dt.time | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values of `obj`, for diffing before and after a change."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any], *, masked: AbstractSet[str] = frozenset()) -> dict[str, list]:
    """{field: [old, new]} for what changed; masked fields record only that they changed."""
    changes = {}
    for key in after.keys() | before.keys():
        if before.get(key) != after.get(key):
            changes[key] = ["***", "***"] if key in masked else [before.get(key), after.get(key)]
    return changes


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    org_path: str = "",
    changes: dict | None = None,
    with_address: bool = True,
) -> AuditEntry:
    """One entry. `with_address=False` leaves the client address out, for an anonymous submitter (voice)."""
    if obj is not None:
        model = model or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if not org_path and hasattr(obj, "scope_path"):
            org_path = obj.scope_path()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr,
        org_path=org_path,
        changes=changes or {},
        ip=current_ip() if with_address else None,
    )
