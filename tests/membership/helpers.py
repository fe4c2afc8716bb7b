"""Membership test helpers: a dossier run through the services as a branch secretary would."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from dangjian.meetings import services as meeting_services
from dangjian.membership import development
from dangjian.orgs.models import Stage
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.helpers import at, committed


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assembly_vote(world, day: dt.date, title: str, *, org=None, yes: int | None = None):
    """A recorded 支部党员大会 with everyone present and one vote; returns the motion."""
    org = org or world.branch_a
    with committed():
        meeting = meeting_services.record_new_meeting(
            actor=world.users["secretary"],
            org=org,
            kind="general_assembly",
            topic=title,
            starts_at=at(day),
            roster=None,
            statuses={},
            minutes="会议记录",
        )
    voting = sum(1 for a in meeting.attendances.all() if a.is_voting)
    return meeting_services.add_motion(
        actor=world.users["secretary"],
        meeting=meeting,
        title=title,
        yes=voting if yes is None else yes,
        no=0,
        abstain=0,
    )


def applicant(world, name: str = "申请人甲"):
    return PersonFactory(name=name, org=world.branch_a, school=world.school_a, birth_date=dt.date(1995, 3, 1))


def full_member(world, name: str):
    person = PersonFactory(name=name, org=world.branch_a, school=world.school_a)
    MembershipFactory(person=person, stage=Stage.FULL)
    return person


def run_dossier(world, person=None, *, until: str = "archived"):
    """A whole dossier with the 2014 time rules kept, from the application (2024-01-10) to the archive."""
    secretary = world.users["secretary"]
    person = person or applicant(world)
    dossier = development.open_dossier(actor=secretary, person=person)
    contacts = world.members_a[2:4]
    plan = [
        ("application", dt.date(2024, 1, 10), {}),
        ("first_talk", dt.date(2024, 2, 5), {}),
        ("activist", dt.date(2024, 3, 1), {}),
        ("activist_filed", dt.date(2024, 3, 10), {}),
        ("contacts", dt.date(2024, 3, 10), {"people": contacts}),
        ("activist_review", dt.date(2024, 9, 1), {"note": "表现良好"}),
        ("activist_review", dt.date(2025, 2, 20), {"note": "积极参加组织活动"}),
        ("candidate", dt.date(2025, 3, 5), {}),
        ("candidate_filed", dt.date(2025, 3, 10), {}),
        ("introducers", dt.date(2025, 3, 10), {"people": contacts}),
        ("political_review", dt.date(2025, 3, 20), {"note": "政审合格"}),
        ("training", dt.date(2025, 3, 28), {"hours": 24}),
        ("committee_review", dt.date(2025, 4, 2), {}),
        ("pre_review", dt.date(2025, 4, 10), {}),
        ("application_form", dt.date(2025, 4, 20), {}),
        ("admission_meeting", None, {"motion": dt.date(2025, 5, 10)}),
        ("upper_talk", dt.date(2025, 5, 20), {}),
        ("approval", dt.date(2025, 6, 15), {}),
        ("approval_filed", dt.date(2025, 6, 20), {}),
        ("placed", dt.date(2025, 6, 20), {}),
        ("oath", dt.date(2025, 7, 1), {}),
        ("probation_review", dt.date(2025, 11, 10), {"note": "考察合格"}),
        ("conversion_application", dt.date(2026, 5, 1), {}),
        ("conversion_meeting", None, {"motion": dt.date(2026, 5, 12), "outcome": "convert"}),
        ("conversion_approval", dt.date(2026, 6, 1), {}),
        ("archived", dt.date(2026, 6, 10), {}),
    ]
    for code, day, extra in plan:
        if "motion" in extra:
            extra = dict(extra, motion=assembly_vote(world, extra["motion"], f"讨论{person.name}{code}"))
        development.record_step(actor=secretary, dossier=dossier, code=code, done_on=day, **extra)
        if code == until:
            break
    return dossier
