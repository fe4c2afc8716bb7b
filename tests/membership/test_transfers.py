"""组织关系转接: in the county one request and one acceptance; out of the county a letter and its 回执; incoming
members with their paid-up month; 流动党员 with their period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.meetings import compliance
from dangjian.membership import documents, selectors, services
from dangjian.membership.models import Payment, TransferStatus
from dangjian.orgs import selectors as org_selectors
from tests.factories import GrantFactory, PersonFactory, UserFactory
from tests.membership.helpers import pdf_text


def _pay(world, person):
    services.set_base(actor=world.secretary, person=person, year=2026, category="employed", base=Decimal("4000"))
    services.record_payment(
        actor=world.secretary,
        person=person,
        first_month=dt.date(2026, 1, 1),
        months=6,
        amount=Decimal("240"),
        paid_on=dt.date(2026, 1, 8),
    )


def test_in_county_transfer_moves_the_member_with_history(world):
    person = world.members_a[2]
    _pay(world, person)
    transfer = services.request_transfer(
        actor=world.secretary, person=person, to_org=world.branch_b, to_school=world.school_b, on=dt.date(2026, 6, 20)
    )
    # The sending branch still manages the member until the receiving branch accepts.
    assert person in org_selectors.roster(world.county_admin, world.branch_a)
    with pytest.raises(PermissionDenied):
        services.accept_transfer(actor=world.secretary, transfer=transfer)
    assert transfer in selectors.transfers(world.outsider)  # the receiving secretary sees it
    services.accept_transfer(actor=world.outsider, transfer=transfer, on=dt.date(2026, 6, 25))
    person.refresh_from_db()
    assert person.org == world.branch_b and person.school == world.school_b
    # Both rosters
    assert person not in org_selectors.roster(world.county_admin, world.branch_a)
    assert person in org_selectors.roster(world.county_admin, world.branch_b)
    # The dues ledger: the new branch sees the months already paid; the old one keeps the money it received.
    ledger_b = {r.person.pk: r for r in selectors.ledger(world.outsider, world.branch_b, dt.date(2026, 6, 1))}
    assert ledger_b[person.pk].paid is not None and ledger_b[person.pk].standing.unpaid == []
    assert person.pk not in {
        r.person.pk for r in selectors.ledger(world.secretary, world.branch_a, dt.date(2026, 6, 1))
    }
    summary_a = {r["org"].pk: r for r in selectors.upper_summary(world.secretary, world.branch_a, 2026)}
    assert summary_a[world.branch_a.pk]["total"] == Decimal("240")
    services.record_payment(
        actor=world.outsider,
        person=person,
        first_month=dt.date(2026, 7, 1),
        amount=Decimal("40"),
        paid_on=dt.date(2026, 7, 5),
    )
    assert Payment.all_objects.filter(person=person).count() == 2
    # Compliance counts the member in the new branch only.
    facts = {f.org_id: f for f in compliance.org_facts([world.branch_a.pk, world.branch_b.pk])}
    assert person.pk in facts[world.branch_b.pk].member_ids and person.pk not in facts[world.branch_a.pk].member_ids
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.decided_on == dt.date(2026, 6, 25)


def test_refusal_needs_a_reason_and_a_second_request_waits(world):
    person = world.members_a[3]
    transfer = services.request_transfer(actor=world.secretary, person=person, to_org=world.branch_b)
    with pytest.raises(ValidationError, match="已有一项待接收"):
        services.request_transfer(actor=world.secretary, person=person, to_org=world.branch_b)
    with pytest.raises(ValidationError, match="不得无故拒转拒接"):
        services.refuse_transfer(actor=world.outsider, transfer=transfer, reason=" ")
    services.refuse_transfer(actor=world.outsider, transfer=transfer, reason="该同志未调入我校")
    person.refresh_from_db()
    assert person.org == world.branch_a


def test_overdue_transfers_are_counted_for_the_county(world):
    services.request_transfer(
        actor=world.secretary, person=world.members_a[2], to_org=world.branch_b, on=dt.date(2026, 1, 5)
    )
    letter = services.issue_letter(
        actor=world.secretary,
        person=world.members_a[3],
        outside_org="外县某中学党支部",
        letter_number="2026-001",
        dues_paid_until=dt.date(2026, 3, 1),
        on=dt.date(2026, 3, 10),
    )
    assert letter.receipt_due == dt.date(2026, 4, 10) and letter.valid_days == 30
    counts = selectors.overdue_transfers(world.county_admin, today=dt.date(2026, 4, 11))
    assert counts == {"waiting": 1, "receipts": 1}
    services.record_receipt(actor=world.secretary, transfer=letter, on=dt.date(2026, 4, 1))
    assert selectors.overdue_transfers(world.county_admin, today=dt.date(2026, 4, 11))["receipts"] == 0
    text = pdf_text(documents.letter_pdf(letter))
    assert "存根" in text and "回执" in text and "2026-001" in text and "2026年3月" in text
    world.members_a[3].refresh_from_db()
    assert not world.members_a[3].is_active  # left the roster with the letter


def test_incoming_member_with_paid_up_month(world):
    newcomer = PersonFactory(name="外县调入教师", org=world.branch_a, school=world.school_a)
    services.accept_incoming(
        actor=world.secretary,
        to_org=world.branch_a,
        person=newcomer,
        stage="full",
        letter_number="X-9",
        outside_org="外县某小学党支部",
        dues_paid_until=dt.date(2026, 4, 1),
        probationary_on=dt.date(2010, 6, 1),
        full_on=dt.date(2011, 6, 1),
        on=dt.date(2026, 5, 3),
    )
    services.set_base(actor=world.secretary, person=newcomer, year=2026, category="employed", base=Decimal("5000"))
    rows = {r.person.pk: r for r in selectors.ledger(world.secretary, world.branch_a, dt.date(2026, 5, 1))}
    assert rows[newcomer.pk].standing.unpaid == [dt.date(2026, 5, 1)]  # January–April came paid
    summary = {r["org"].pk: r for r in selectors.upper_summary(world.secretary, world.branch_a, 2026)}
    assert summary[world.branch_a.pk]["total"] == Decimal("0")  # carried months are not this branch's receipts


def test_flowing_member_period(world):
    person = world.members_a[2]
    with pytest.raises(ValidationError, match="应当转移组织关系"):
        services.record_flowing(
            actor=world.secretary,
            person=person,
            destination="省城",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 9, 1),
        )
    row = services.record_flowing(
        actor=world.secretary,
        person=person,
        destination="省城",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 5, 1),
    )
    assert list(selectors.flowing(world.secretary)) == [row]
    assert list(selectors.flowing(world.outsider)) == []


def test_transfer_pages(world, login):
    transfer = services.request_transfer(actor=world.secretary, person=world.members_a[2], to_org=world.branch_b)
    officer = UserFactory(username="officer_b")
    GrantFactory(user=officer, org=world.branch_b, role="organization_officer")
    client = login(officer)
    assert client.get("/membership/transfers/").status_code == 200
    assert client.get(f"/membership/transfers/{transfer.pk}/").status_code == 200
    assert client.post(f"/membership/transfers/{transfer.pk}/accept/").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
