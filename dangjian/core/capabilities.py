"""Roles and capabilities are rule data.

`orgs/rules/roles.yaml` defines the roles; each app's `rules/capabilities.yaml` says which roles hold each of
its capabilities, so an app adds capabilities without touching anyone else's files. Loaded once, validated by
the system checks in core.checks.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from django.apps import apps


def _app_rule_files(filename: str) -> list[tuple[str, Path]]:
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path) / "rules" / filename
        if path.exists():
            found.append((config.label, path))
    return found


@functools.cache
def role_table() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for _label, path in _app_rule_files("roles.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        table.update(data.get("roles", {}))
    return table


@functools.cache
def capability_table() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for label, path in _app_rule_files("capabilities.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for capability, spec in (data.get("capabilities") or {}).items():
            if not capability.startswith(f"{label}."):
                raise ValueError(f"{path}: capability {capability!r} must start with '{label}.'")
            table[capability] = frozenset(spec.get("roles", []))
    return table


def roles_with(capability: str) -> frozenset[str]:
    try:
        return capability_table()[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}: declare it in its app's rules/capabilities.yaml") from None


def role_label(role: str) -> str:
    return role_table().get(role, {}).get("label", role)


def ungrantable_roles(roles: dict[str, dict], root: str = "county_admin") -> set[str]:
    """Roles no chain of grants starting at `root` reaches (each role is granted by the `grantable_by` roles)."""
    reached = {root} & roles.keys()
    while True:
        more = {role for role, spec in roles.items() if set(spec.get("grantable_by") or []) & reached} - reached
        if not more:
            return roles.keys() - reached
        reached |= more


def problems() -> list[str]:
    """Everything wrong with the role and capability files (used by the system checks)."""
    errors = []
    try:
        roles = role_table()
        caps = capability_table()
    except (ValueError, yaml.YAMLError) as exc:
        return [str(exc)]
    for capability, holders in caps.items():
        for role in holders - roles.keys():
            errors.append(f"capability {capability} names unknown role {role!r}")
    for role, spec in roles.items():
        if "label" not in spec:
            errors.append(f"role {role} has no label")
        for granter in set(spec.get("grantable_by") or []) - roles.keys():
            errors.append(f"role {role}: grantable_by names unknown role {granter!r}")
    for role in sorted(ungrantable_roles(roles)):
        errors.append(f"role {role} cannot be reached by grants from county_admin: give it a grantable_by")
    return errors
