"""Reads for care records. Who reaches a student (and nobody else):
- the care officer of the student's school or of the county (care.view over the school's subtree);
- the secretary of a paired member's branch, for that member's current pairings (care.view_pairings);
- the paired member themself (their own pairing).
Every list, detail, search, export and API route goes through `students()`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dangjian.care.models import Pairing, Round, Student
from dangjian.core import rules
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import path_q, prefixes, scoped
from dangjian.orgs.models import Person, School


def pairings(user, *, current: bool = True) -> QuerySet[Pairing]:
    qs = scoped(user, Pairing).select_related("student", "student__school", "member", "member__org")
    return qs.filter(ended_on__isnull=True) if current else qs


def students(user, *, q: str = "", archived: bool | None = False) -> QuerySet[Student]:
    through_pairing = Q(pk__in=pairings(user).values("student_id"))
    qs = scoped(user, Student, extra=through_pairing).select_related("school__org")
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(grade__contains=q) | name_match(user, q))
    return qs.order_by("school__name", "grade", "id")


def name_match(user, q: str) -> Q:
    """Names are shown masked, so a search must not reveal hidden characters one at a time: a user matches a
    student's full name only, except where they may reveal the name anyway (care.reveal), where part of a name
    matches too (and the search is audited: services.record_search)."""
    match = Q(name=q)
    roots = prefixes(user, "care.reveal")
    if roots:
        match |= Q(name__contains=q) & path_q(Student.SCOPE_PATH, roots)
    return match


def searches_hidden_names(user, q: str) -> bool:
    """Whether `q` is a partial name search over names the user would otherwise see masked."""
    return bool((q or "").strip()) and bool(prefixes(user, "care.reveal"))


def students_as_officer(user) -> QuerySet[Student]:
    """Students the user reaches as a care officer (not through a pairing): what exports may contain."""
    return scoped(user, Student, "care.view", own=False)


def rounds(user) -> QuerySet[Round]:
    return scoped(user, Round, "care.manage").select_related("school").order_by("-notice_on", "-id")


def tiers(on=None, org_path: str = "") -> dict[str, str]:
    return {t["key"]: t["label"] for t in rules.rule_values("care", "care", on=on, org_path=org_path)["tiers"]}


def schools_managed(user) -> QuerySet[School]:
    return scoped(user, School, "care.manage").order_by("name")


def members_for_pairing(user, student: Student) -> QuerySet[Person]:
    """Party members of the student's school the care officer may pair (active people in its subtree)."""

    return (
        scoped(user, Person, "care.manage", own=False)
        .filter(
            org__path__startswith=student.school.org.path,
            is_active=True,
            membership__stage__in=["probationary", "full"],
        )
        .order_by("name")
    )


def care_audit(user) -> QuerySet[AuditEntry]:
    """Reveals, exports and other writes on care records, for the care officers over those records."""
    roots = prefixes(user, "care.view_audit")
    if not roots:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(model__startswith="care.").filter(path_q("org_path", roots)).order_by("-at", "-id")
