"""The leadership system's rules as plain functions over plain values (tested directly, the quorum boundaries with
hypothesis against an independent computation). Every figure comes from rules/leadership.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dangjian.core import rules


def values(*, on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("leadership", "leadership", on=on, org_path=org_path)


def categories(*, on: dt.date, org_path: str = "") -> dict[str, dict]:
    return values(on=on, org_path=org_path)["categories"]


def personnel_categories(*, on: dt.date | None = None) -> list[str]:
    """Categories whose items only the bodies' members and the county's organization staff may read. Read from
    the newest version: a category once personnel stays private in every list."""
    day = on or timezone.localdate()
    return sorted(k for k, c in categories(on=day).items() if c.get("personnel"))


def meets(present: int, base: int, rule: dict) -> bool:
    """Whether `present` of `base` body members satisfy a quorum rule, in integers: `more_than: [n, d]` is
    present > base × n/d ("半数以上" read as more than half), `at_least: [n, d]` is present ≥ base × n/d ("2/3以上"
    including two thirds). A body without members never has a quorum."""
    if base <= 0:
        return False
    if "more_than" in rule:
        num, den = rule["more_than"]
        return present * den > base * num
    num, den = rule["at_least"]
    return present * den >= base * num


def quorum_rule(rules_in_force: dict, category: str) -> dict:
    """The quorum a meeting needs for an item of `category`: two thirds for cadre matters, else more than half."""
    cadre = rules_in_force["categories"].get(category, {}).get("cadre")
    return rules_in_force["quorum"]["cadre" if cadre else "ordinary"]


def one_person(rules_in_force: dict, org_kind: str) -> bool:
    """Whether 书记 and 校长 are usually one person for a school whose Party organization is of `org_kind`."""
    return bool(rules_in_force["one_person"].get(org_kind, False))


# --- derived checks over plain facts -------------------------------------------------------------

MAJOR_WITHOUT_PARTY = "major_without_party"
CADRE_WITHOUT_TWO_THIRDS = "cadre_without_two_thirds"
REPORT_OVERDUE = "report_overdue"


@dataclass(frozen=True)
class ItemFact:
    item_id: int
    school_id: int
    meeting_id: int
    kind: str  # the meeting kind
    day: dt.date
    held: bool
    category: str
    outcome: str
    body_expected: int = 0  # body members on the roster
    body_present: int = 0
    party_decision_day: dt.date | None = None  # the 党组织会议 decision it carries out, if any and decided
    report_due_on: dt.date | None = None
    reported: bool = False


def flags_for(fact: ItemFact, rules_in_force: dict, *, today: dt.date) -> list[str]:
    """The derived checks an item fails:
    - a major (三重一大) matter decided at a 校长办公会议 without a prior 党组织会议 decision;
    - a cadre matter discussed at a 党组织会议 held without two thirds of the body present;
    - a 党组织会议 decision whose execution report is still missing after its due date."""
    category = rules_in_force["categories"].get(fact.category, {})
    found = []
    if (
        fact.kind == "principal_office_meeting"
        and fact.held
        and category.get("major")
        and fact.outcome == "decided"
        and (fact.party_decision_day is None or fact.party_decision_day > fact.day)
    ):
        found.append(MAJOR_WITHOUT_PARTY)
    if (
        fact.kind == "party_org_meeting"
        and fact.held
        and category.get("cadre")
        and not meets(fact.body_present, fact.body_expected, rules_in_force["quorum"]["cadre"])
    ):
        found.append(CADRE_WITHOUT_TWO_THIRDS)
    if (
        fact.kind == "party_org_meeting"
        and fact.outcome == "decided"
        and fact.report_due_on is not None
        and fact.report_due_on < today
        and not fact.reported
    ):
        found.append(REPORT_OVERDUE)
    return found
