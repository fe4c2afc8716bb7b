"""Plain functions for knowledge contests: drawing a paper by rules, shuffling options, grading.

Draw rules are a list of {"kind", "topic", "count"}: `count` questions of `kind`, from `topic` or, when the
topic is empty, from any topic. Topic-specific rules are drawn first, then the general ones from what is
left, so a rule set is feasible exactly when `check_rules` finds nothing wrong.

Grading: single choice, true/false and fill-in are right or wrong. Multiple choice is all-or-nothing (the
exact set of correct options); when a contest allows partial credit, choosing some of the correct options
and no wrong one earns the configured share of the points (rules/contests.yaml, partial_credit_multiple).
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

LETTERS = string.ascii_uppercase
KINDS = ("single", "multiple", "true_false", "fill")
TRUE_WORDS = {"T", "对", "正确", "√", "是", "TRUE", "Y"}
FALSE_WORDS = {"F", "错", "错误", "×", "否", "FALSE", "N", "X"}


@dataclass(frozen=True)
class Q:
    """What drawing and grading need to know of a question."""

    id: int
    kind: str
    topic: str
    answer: str = ""
    option_count: int = 0


def _merged(rules: Iterable[dict]) -> tuple[Counter, Counter]:
    specific: Counter = Counter()
    general: Counter = Counter()
    for rule in rules:
        count = int(rule.get("count") or 0)
        topic = (rule.get("topic") or "").strip()
        if topic:
            specific[(rule["kind"], topic)] += count
        else:
            general[rule["kind"]] += count
    return specific, general


def check_rules(rules: Sequence[dict], questions: Sequence[Q]) -> list[str]:
    """Why the rules cannot be drawn from these questions (Chinese messages); empty when they can."""
    problems = []
    if not rules:
        return [_("至少需要一条抽题规则。")]
    for rule in rules:
        if rule.get("kind") not in KINDS:
            problems.append(_("未知题型：%(k)s") % {"k": rule.get("kind")})
        try:
            if int(rule.get("count")) < 1:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(_("每条规则的题数须为正整数。"))
    if problems:
        return problems
    available = Counter((q.kind, q.topic) for q in questions)
    by_kind = Counter(q.kind for q in questions)
    specific, general = _merged(rules)
    used: Counter = Counter()
    for (kind, topic), count in specific.items():
        if available[(kind, topic)] < count:
            problems.append(
                _("专题“%(t)s”的%(k)s只有%(a)d道，规则要求%(n)d道。")
                % {"t": topic, "k": kind_label(kind), "a": available[(kind, topic)], "n": count}
            )
        used[kind] += count
    for kind, count in general.items():
        left = by_kind[kind] - used[kind]
        if left < count:
            problems.append(
                _("%(k)s可用%(a)d道，规则要求另抽%(n)d道。") % {"k": kind_label(kind), "a": max(left, 0), "n": count}
            )
    return problems


def kind_label(kind: str) -> str:
    return {
        "single": _("单选题"),
        "multiple": _("多选题"),
        "true_false": _("判断题"),
        "fill": _("填空题"),
    }.get(kind, kind)


def draw(rules: Sequence[dict], questions: Sequence[Q], rng: random.Random) -> list[Q]:
    """A paper: topic-specific rules first, then general ones from the rest; ordered by kind as exams are."""
    problems = check_rules(rules, questions)
    if problems:
        raise ValueError("；".join(problems))
    specific, general = _merged(rules)
    chosen: list[Q] = []
    taken: set[int] = set()
    for (kind, topic), count in sorted(specific.items()):
        pool = [q for q in questions if q.kind == kind and q.topic == topic]
        picked = rng.sample(pool, count)
        chosen += picked
        taken |= {q.id for q in picked}
    for kind, count in sorted(general.items()):
        pool = [q for q in questions if q.kind == kind and q.id not in taken]
        picked = rng.sample(pool, count)
        chosen += picked
        taken |= {q.id for q in picked}
    order = {kind: i for i, kind in enumerate(KINDS)}
    rng.shuffle(chosen)
    return sorted(chosen, key=lambda q: order[q.kind])


def shuffled_order(option_count: int, rng: random.Random) -> list[int]:
    order = list(range(option_count))
    rng.shuffle(order)
    return order


def to_original(displayed: str, order: Sequence[int]) -> str:
    """Letters as the person saw them → the question's own letters, sorted ("BA" → "AC")."""
    letters = set()
    for ch in displayed.upper():
        if ch in LETTERS[: len(order)]:
            letters.add(LETTERS[order[LETTERS.index(ch)]])
    return "".join(sorted(letters))


def normalize_text(text: str) -> str:
    """Full-width to half-width, no spaces, case folded: how a fill-in answer is compared."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def normalize_true_false(value: str) -> str:
    word = (value or "").strip().upper()
    if word in TRUE_WORDS:
        return "T"
    if word in FALSE_WORDS:
        return "F"
    return ""


def grade(question: Q, given: str, points: int, *, partial: bool = False, partial_share: float = 0.5) -> Decimal:
    """Points earned for one answer. `given` is in the question's own letters for choice questions."""
    full = Decimal(points)
    given = given or ""
    match question.kind:
        case "single" | "multiple":
            right = set(question.answer.upper())
            chosen = {ch for ch in given.upper() if ch in LETTERS}
            if chosen == right:
                return full
            if question.kind == "multiple" and partial and chosen and chosen < right:
                return (full * Decimal(str(partial_share))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            return Decimal(0)
        case "true_false":
            return full if normalize_true_false(given) == question.answer else Decimal(0)
        case "fill":
            accepted = {normalize_text(a) for a in question.answer.split("|") if a.strip()}
            return full if normalize_text(given) in accepted else Decimal(0)
    raise ValueError(question.kind)
