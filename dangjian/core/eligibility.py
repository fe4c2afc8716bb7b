"""The one eligibility gateway: may these people be put forward for an award, a title… on a day?

Every award, assessment and title list asks here, never an app directly. An app that restricts eligibility
(the ethics app: sanctions, disqualifications, the 一票否决 of an appraisal) offers a module `eligibility.py`
with `eligible_many(person_ids, *, on, purpose) -> {person_id: answer}`, where an answer has `ok` and
`eligible_from` (the first day eligible again; None: never). This gateway asks every such app and combines
the answers: a person is eligible only if every app says so.

The combined `Verdict` carries no reasons, on purpose: whoever organizes an award learns only that a person
does not qualify now, never the case behind it (the handling roles read the reasons in the ethics app).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dangjian.core import extensions


@dataclass(frozen=True)
class Verdict:
    ok: bool
    # The first day eligible again as far as every app knows (== the day asked when ok; None: never).
    eligible_from: dt.date | None


def providers() -> list:
    """The apps' eligibility modules (not this gateway, which lives in an app of the same list)."""
    return [m for m in extensions.modules("eligibility") if hasattr(m, "eligible_many")]


def eligible_many(people: Iterable, *, on: dt.date, purpose: str) -> dict[int, Verdict]:
    """{person_id: Verdict} for Person objects or ids; a constant number of queries per providing app."""
    ids = list(dict.fromkeys(getattr(p, "pk", p) for p in people))
    verdicts = {pk: Verdict(True, on) for pk in ids}
    if not ids:
        return verdicts
    for module in providers():
        answers = module.eligible_many(ids, on=on, purpose=purpose)
        for pk in ids:
            answer = answers.get(pk)
            if answer is None or answer.ok:
                continue
            before = verdicts[pk]
            if before.ok:
                verdicts[pk] = Verdict(False, answer.eligible_from)
            else:
                ends = (before.eligible_from, answer.eligible_from)
                verdicts[pk] = Verdict(False, None if None in ends else max(ends))
    return verdicts


def eligible(person, *, on: dt.date, purpose: str) -> Verdict:
    """Whether `person` (a Person or its id) may be put forward for `purpose` on the day `on`."""
    pk = getattr(person, "pk", person)
    return eligible_many([pk], on=on, purpose=purpose)[pk]
