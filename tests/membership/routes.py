import datetime as dt
from decimal import Decimal

from dangjian.membership import development, services
from dangjian.orgs.models import OrgKind
from tests.factories import OrgFactory
from tests.meetings.helpers import at, committed
from tests.membership.helpers import applicant
from tests.routes import Route


def _election(world):
    from dangjian.meetings import services as meeting_services

    with committed():
        meeting = meeting_services.record_new_meeting(
            actor=world.secretary,
            org=world.branch_a,
            kind="general_assembly",
            topic="换届选举",
            starts_at=at(dt.date(2026, 9, 1)),
            roster=None,
            statuses={},
            minutes="选举",
        )
    voters = {p.pk: 2 for p in world.members_a[:2]}
    return services.record_election(actor=world.secretary, meeting=meeting, seats=2, votes=voters)


def routes(world):
    secretary = world.secretary
    dossier = development.open_dossier(actor=secretary, person=applicant(world))
    development.record_step(actor=secretary, dossier=dossier, code="application", done_on=dt.date(2025, 1, 10))
    branch_c = OrgFactory(kind=OrgKind.BRANCH, name="丙校党支部", parent=world.county)
    transfer = services.request_transfer(actor=secretary, person=world.members_a[2], to_org=branch_c)
    letter = services.issue_letter(
        actor=secretary,
        person=world.members_a[4],
        outside_org="外县党支部",
        letter_number="L-1",
        dues_paid_until=dt.date(2026, 1, 1),
    )
    services.set_base(
        actor=secretary, person=world.people["member"], year=2026, category="employed", base=Decimal("3000")
    )
    election = _election(world)
    a = {"org_pk": world.branch_a.pk}
    d = {"pk": dossier.pk}
    t = {"pk": transfer.pk}
    hidden = {"member_hidden": True}
    month = {"first_month": "2026-02", "months": 1, "amount": "15", "paid_on": "2026-02-03"}
    return [
        Route("membership:dossiers", object_route=False, member_forbidden=True),
        Route("membership:dossier_new", a, **hidden),
        Route("membership:dossier", d, **hidden),
        Route("membership:dossier_step", d, method="POST", data={"code": "first_talk"}, write=True, **hidden),
        Route("membership:dossier_close", d, method="POST", data={"reason": "x"}, write=True, **hidden),
        Route("membership:dossier_withdraw", d, method="POST", data={"withdraw-reason": "x"}, write=True, **hidden),
        Route("membership:dossier_pdf", {"pk": dossier.pk, "kind": "notice"}, **hidden),
        Route("membership:timeline", object_route=False, member_forbidden=True),
        Route("membership:pipeline", object_route=False, member_forbidden=True),
        Route("membership:dues", object_route=False, member_forbidden=True),
        Route("membership:dues_template", object_route=False, member_forbidden=True),
        Route("membership:dues_branch", a, **hidden),
        Route("membership:dues_base", a, method="POST", data={"category": "employed"}, write=True, **hidden),
        Route(
            "membership:dues_payment",
            a,
            method="POST",
            data={"person": world.people["member"].pk, **month},
            write=True,
            **hidden,
        ),
        Route("membership:dues_import", a, **hidden),
        Route("membership:dues_ledger_xlsx", a, **hidden),
        Route("membership:dues_summary", a, **hidden),
        Route("membership:dues_summary_xlsx", a, **hidden),
        Route("membership:transfers", object_route=False, member_forbidden=True),
        Route("membership:transfer_request", a, method="POST", write=True, **hidden),
        Route("membership:transfer_letter_new", a, method="POST", write=True, **hidden),
        Route("membership:transfer_incoming", a, method="POST", write=True, **hidden),
        Route("membership:flowing_new", a, method="POST", write=True, **hidden),
        Route("membership:transfer", t, **hidden),
        Route("membership:transfer_accept", t, method="POST", write=True, **hidden),
        Route("membership:transfer_refuse", t, method="POST", data={"reason": "x"}, write=True, **hidden),
        Route("membership:transfer_receipt", {"pk": letter.pk}, method="POST", write=True, **hidden),
        Route("membership:transfer_letter", {"pk": letter.pk}, **hidden),
        Route("membership:terms", object_route=False, member_forbidden=True),
        Route("membership:election_new", a, **hidden),
        Route("membership:election", {"pk": election.pk}, **hidden),
        Route("membership:election_apply", {"pk": election.pk}, method="POST", write=True, **hidden),
        Route("membership:record", {"pk": world.members_a[3].pk}, **hidden),
        Route("membership:my_record", object_route=False),
        Route("GET /api/v1/membership/dossiers", api=True, object_route=False),
        Route("GET /api/v1/membership/dossiers/{dossier_id}", {"dossier_id": dossier.pk}, api=True, **hidden),
        Route(
            "POST /api/v1/membership/dossiers",
            method="POST",
            api=True,
            data={"person_id": world.people["teacher"].pk},
            write=True,
            **hidden,
        ),
        Route(
            "POST /api/v1/membership/dossiers/{dossier_id}/steps",
            {"dossier_id": dossier.pk},
            method="POST",
            api=True,
            data={"code": "first_talk", "done_on": "2025-01-20"},
            write=True,
            **hidden,
        ),
        Route(
            "POST /api/v1/membership/dossiers/{dossier_id}/withdraw-last-step",
            {"dossier_id": dossier.pk},
            method="POST",
            api=True,
            data={"reason": "x"},
            write=True,
            **hidden,
        ),
        Route("GET /api/v1/membership/dues/{org_id}/ledger", {"org_id": world.branch_a.pk}, api=True, **hidden),
        Route(
            "POST /api/v1/membership/dues/bases",
            method="POST",
            api=True,
            data={"person_id": world.people["member"].pk, "year": 2026, "base": "3000"},
            write=True,
        ),
        Route(
            "POST /api/v1/membership/dues/payments",
            method="POST",
            api=True,
            data={"person_id": world.people["member"].pk, "first_month": "2026-03-01", "amount": "15"},
            write=True,
        ),
        Route("GET /api/v1/membership/transfers", api=True, object_route=False),
        Route(
            "POST /api/v1/membership/transfers",
            method="POST",
            api=True,
            data={"person_id": world.people["member"].pk, "to_org_id": world.branch_b.pk},
            write=True,
        ),
        Route(
            "POST /api/v1/membership/transfers/{transfer_id}/accept",
            {"transfer_id": transfer.pk},
            method="POST",
            api=True,
            write=True,
            **hidden,
        ),
        Route("GET /api/v1/membership/terms", api=True, object_route=False, member_forbidden=True),
        Route("GET /api/v1/membership/elections", api=True, object_route=False, member_forbidden=True),
        Route("GET /api/v1/membership/elections/{election_id}", {"election_id": election.pk}, api=True, **hidden),
        Route(
            "POST /api/v1/membership/orgs/{org_id}/elections",
            {"org_id": world.branch_a.pk},
            method="POST",
            api=True,
            data={"meeting_id": election.meeting_id, "seats": 1, "candidates": []},
            write=True,
            **hidden,
        ),
        Route(
            "POST /api/v1/membership/elections/{election_id}/apply",
            {"election_id": election.pk},
            method="POST",
            api=True,
            write=True,
            **hidden,
        ),
    ]
