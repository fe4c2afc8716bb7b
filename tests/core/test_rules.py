import datetime as dt

import pytest
from django.core.management import call_command

from dangjian.core import capabilities, rules
from dangjian.core.models import LocalRule
from dangjian.core.rules import RuleFileError, _parse


def test_every_rule_file_loads_and_cites_its_source():
    files = rules.all_rule_files()
    assert ("orgs", "branch") in files
    for app, name in files:
        ruleset = rules.load(app, name)
        assert all(v.source.strip() for v in ruleset.versions)


def test_system_checks_pass():
    call_command("check", fail_level="ERROR")


def test_every_capability_names_known_roles():
    assert capabilities.problems() == []


def test_version_in_force_is_chosen_by_date(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "versions:\n"
        "  - {effective: 2014-05-28, source: old, values: {a: 1}}\n"
        "  - {effective: 2026-05-01, source: new, values: {a: 2}}\n",
        encoding="utf-8",
    )
    ruleset = _parse("t", "x", path)
    assert ruleset.version_on(dt.date(2026, 4, 30)).values == {"a": 1}
    assert ruleset.version_on(dt.date(2026, 5, 1)).values == {"a": 2}
    with pytest.raises(RuleFileError):
        ruleset.version_on(dt.date(2000, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "versions: []",
        "versions:\n  - {effective: 2020-01-01, values: {}}",
        "versions:\n  - {effective: soon, source: s, values: {}}",
    ],
)
def test_broken_rule_files_are_refused(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError):
        _parse("t", "bad", path)


def test_county_override_applies_to_its_subtree_only_for_local_keys(world):
    LocalRule.objects.create(
        org_path=world.county.path,
        rule="orgs/branch",
        key="term_reminder_months",
        value=3,
        effective=dt.date(2020, 1, 1),
    )
    LocalRule.objects.create(
        org_path=world.county.path, rule="orgs/branch", key="min_full_members", value=1, effective=dt.date(2020, 1, 1)
    )
    inside = rules.rule_values("orgs", "branch", on=dt.date(2026, 1, 1), org_path=world.branch_a.path)
    outside = rules.rule_values("orgs", "branch", on=dt.date(2026, 1, 1), org_path="999999.")
    assert inside["term_reminder_months"] == 3 and outside["term_reminder_months"] == 6
    assert inside["min_full_members"] == 3  # not a local key: a national rule cannot be overridden
