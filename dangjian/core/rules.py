"""Versioned rule files: `<app>/rules/<name>.yaml`.

Shape of a file:

    rule: meetings              # its name
    versions:
      - effective: 2018-10-28   # in force from this day (rules change: keep the old version)
        source: 《中国共产党支部工作条例（试行）》第十一条
        values: {...}           # whatever the reading app needs
    local: [party_lecture.per_period]   # dotted keys a county may override (domain-rules.md: local practice)

`rule_values("meetings", "meetings", on=day, org_path=...)` returns the values in force on that day, with the
county's LocalRule overrides (only for keys listed under `local`) applied for the org's subtree.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.models import LocalRule


class RuleFileError(ValueError):
    pass


class NoRuleInForce(RuleFileError, ValidationError):
    """A day before a rule's first version: the date asked for is too early (bad input, answered with 400 or a form
    error), not a broken rule file."""

    def __init__(self, rule: str, day: dt.date, first: dt.date):
        ValidationError.__init__(
            self,
            _("%(day)s 早于规则（%(rule)s）的最早生效日期 %(first)s，平台不处理这么早的日期。")
            % {"day": day, "rule": rule, "first": first},
        )


@dataclass(frozen=True)
class RuleVersion:
    effective: dt.date
    source: str
    values: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    app: str
    name: str
    versions: tuple[RuleVersion, ...]  # newest first
    local_keys: frozenset[str]

    def version_on(self, day: dt.date) -> RuleVersion:
        for version in self.versions:
            if version.effective <= day:
                return version
        raise NoRuleInForce(f"{self.app}/{self.name}", day, self.versions[-1].effective)


def _parse(app: str, name: str, path: Path) -> RuleSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list) or not data["versions"]:
        raise RuleFileError(f"{path}: needs a non-empty 'versions' list")
    versions = []
    for i, raw in enumerate(data["versions"]):
        if not isinstance(raw, dict):
            raise RuleFileError(f"{path}: version {i} is not a mapping")
        missing = {"effective", "source", "values"} - raw.keys()
        if missing:
            raise RuleFileError(f"{path}: version {i} lacks {sorted(missing)}")
        effective = raw["effective"]
        if not isinstance(effective, dt.date):
            raise RuleFileError(f"{path}: version {i} effective must be a date (YYYY-MM-DD)")
        if not str(raw["source"]).strip():
            raise RuleFileError(f"{path}: version {i} must cite its source")
        versions.append(RuleVersion(effective, str(raw["source"]), raw["values"] or {}))
    versions.sort(key=lambda v: v.effective, reverse=True)
    return RuleSet(app, name, tuple(versions), frozenset(data.get("local") or []))


@functools.cache
def load(app: str, name: str) -> RuleSet:
    config = apps.get_app_config(app)
    path = Path(config.path) / "rules" / f"{name}.yaml"
    if not path.exists():
        raise RuleFileError(f"no rule file {path}")
    return _parse(app, name, path)


def all_rule_files() -> list[tuple[str, str]]:
    """(app, name) of every versioned rule file (roles/capabilities files have their own shape)."""
    found = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "rules"
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                if path.stem not in {"roles", "capabilities"}:
                    found.append((config.label, path.stem))
    return found


def _set_dotted(values: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = values
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


OVERRIDES_CACHE_SECONDS = 60


def _cache_key(rule: str) -> str:
    return f"dangjian:localrule:{rule}"


def local_overrides(rule: str) -> list[tuple[str, str, Any, dt.date]]:
    """All county overrides of one rule file, oldest first: a small table, cached (and cleared on save) so
    that pages evaluating a rule for many orgs run one query at most."""

    found = cache.get(_cache_key(rule))
    if found is None:
        found = list(
            LocalRule.objects.filter(rule=rule)
            .order_by("effective", "org_path")
            .values_list("org_path", "key", "value", "effective")
        )
        cache.set(_cache_key(rule), found, OVERRIDES_CACHE_SECONDS)
    return found


def forget_overrides(rule: str) -> None:
    cache.delete(_cache_key(rule))


def rule_values(app: str, name: str, *, on: dt.date | None = None, org_path: str = "") -> dict[str, Any]:
    """The values in force on `on` (default today), with local overrides for the org's subtree applied."""

    day = on or timezone.localdate()
    ruleset = load(app, name)
    values = copy.deepcopy(ruleset.version_on(day).values)
    if ruleset.local_keys and org_path:
        # Oldest first, outer org first: the newest and nearest override wins.
        for path, key, value, effective in local_overrides(f"{app}/{name}"):
            if key in ruleset.local_keys and effective <= day and org_path.startswith(path):
                _set_dotted(values, key, value)
    return values
