"""The business rules of organizational life as plain functions over plain values (unit-tested directly).

Every figure comes from the rule data (meetings/rules/meetings.yaml, review.yaml) through core.rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core import rules

ATTENDED = ("present", "online")


def kind_rules(*, on: dt.date, org_path: str = "") -> dict[str, dict]:
    """The meeting kinds in force on a day, with the county's local overrides for the org applied."""
    return rules.rule_values("meetings", "meetings", on=on, org_path=org_path)["kinds"]


def public_kinds(*, on: dt.date, org_path: str = "") -> set[str]:
    """Kinds the rules mark as public (open lectures): the only ones a public live page may show."""
    return {kind for kind, rule in kind_rules(on=on, org_path=org_path).items() if rule.get("public")}


def reminder_rules(*, on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("meetings", "meetings", on=on, org_path=org_path)["reminders"]


def review_rules(*, on: dt.date, org_path: str = "") -> dict:
    return rules.rule_values("meetings", "review", on=on, org_path=org_path)


def more_than(count: int, base: int, fraction: list[int] | tuple[int, int]) -> bool:
    """count > base × num/den, in integers ("半数以上"/"超过半数": strictly more than half)."""
    num, den = fraction
    return count * den > base * num


@dataclass(frozen=True)
class Row:
    """One attendee as the rules see them."""

    status: str
    is_voting: bool = False
    is_committee: bool = False

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


def quorum_met(rule: dict, rows: Iterable[Row]) -> bool | None:
    """Whether the meeting could proceed: None when the kind has no quorum rule.

    general_assembly: more than half of the voting (full) members present (第十一条);
    committee_meeting: more than half of the committee present (第十二条)."""
    quorum = rule.get("quorum")
    if not quorum:
        return None
    rows = list(rows)
    base = [r for r in rows if (r.is_voting if quorum["of"] == "voting" else r.is_committee)]
    present = sum(1 for r in base if r.attended)
    return bool(base) and more_than(present, len(base), quorum["more_than"])


@dataclass(frozen=True)
class Outcome:
    valid: bool
    passed: bool
    entitled: int
    present_voting: int
    message: str


def motion_outcome(rule: dict, rows: Iterable[Row], *, yes: int, no: int, abstain: int) -> Outcome:
    """A vote at a general assembly. Probationary members have no vote (党章第七条): only is_voting rows count.

    Valid only when the assembly has quorum; passed when yes > 1/2 of the voting members entitled to attend."""
    rows = list(rows)
    entitled = sum(1 for r in rows if r.is_voting)
    present_voting = sum(1 for r in rows if r.is_voting and r.attended)
    valid = bool(quorum_met(rule, rows))
    if not valid:
        return Outcome(
            False,
            False,
            entitled,
            present_voting,
            _("到会有表决权党员%(p)d人，未超过应到%(e)d人的半数，表决无效。") % {"p": present_voting, "e": entitled},
        )
    passed = more_than(yes, entitled, rule["pass"]["more_than"])
    if passed:
        message = _("赞成%(y)d票，超过应到会有表决权党员%(e)d人的半数，通过。") % {"y": yes, "e": entitled}
    else:
        message = _("赞成%(y)d票，未超过应到会有表决权党员%(e)d人的半数，未通过。") % {"y": yes, "e": entitled}
    return Outcome(True, passed, entitled, present_voting, message)


def vote_problem(*, yes: int, no: int, abstain: int, present_voting: int) -> str | None:
    """Votes cast cannot exceed the voting members present."""
    if min(yes, no, abstain) < 0:
        return _("票数不能为负数。")
    if yes + no + abstain > present_voting:
        return _("赞成、反对、弃权合计%(t)d票，超过了到会有表决权党员%(p)d人。") % {
            "t": yes + no + abstain,
            "p": present_voting,
        }
    return None


def excellent_problem(rule: dict, *, excellent: int, participants: int) -> str | None:
    """优秀一般不超过党员总数的1/3: a message when the cap is exceeded, else None. `participants` is the base the
    rule's excellent_share_of names (all members taking part, or those graded)."""
    num, den = rule["excellent_max_share"]
    if excellent * den > participants * num:
        cap = participants * num // den
        base = (
            _("参加评议党员")
            if rule.get("excellent_share_of", "participants") == "participants"
            else _("评定等次的党员")
        )
        return _("评为“优秀”的有%(n)d人，超过了%(b)s%(p)d人的1/3（最多%(c)d人），请调整。") % {
            "n": excellent,
            "b": base,
            "p": participants,
            "c": cap,
        }
    return None
