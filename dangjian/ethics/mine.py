"""The 我的 page section: the signed-in teacher's own appraisals and own cases (after notice)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.mypage import Section
from dangjian.core.scoping import scoped
from dangjian.ethics import selectors
from dangjian.ethics.eligibility import eligible
from dangjian.ethics.models import EthicsAppraisal


def sections(request) -> list[Section]:
    user = request.user
    person = getattr(user, "person", None)
    if person is None:
        return []
    today = timezone.localdate()
    appraisals = list(scoped(user, EthicsAppraisal).filter(person=person).order_by("-year_key")[:3])
    cases = list(selectors.visible_cases(user).filter(person=person).order_by("-reported_on")[:5])
    grades = selectors.grade_labels(org_path=person.org.path, on=today)
    context = {
        "appraisals": [(a, grades.get(a.grade, a.grade)) for a in appraisals],
        "cases": cases,
        "award": eligible(person, on=today, purpose="award"),
    }
    return [Section(_("师德"), "ethics/_mine.html", context, order=40)]
