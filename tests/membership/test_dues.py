"""党费: the 2008 rates at every boundary against an independent computation, payments, ledger, arrears, Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dangjian.membership import dues, dues_io, selectors, services
from dangjian.membership.models import DuesBase, Payment
from tests.factories import xlsx_bytes

DAY = dt.date(2026, 1, 1)
CENT = Decimal("0.01")


def employed_by_hand(base: Decimal) -> Decimal:
    """中组发〔2008〕3号第二条, written as the table reads: 3000 and below 0.5%, to 5000 1%, to 10000 1.5%, above 2%."""
    if base > 10000:
        percent = Decimal(2)
    elif base > 5000:
        percent = Decimal("1.5")
    elif base > 3000:
        percent = Decimal(1)
    else:
        percent = Decimal("0.5")
    return (base * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def retired_by_hand(base: Decimal) -> Decimal:
    percent = Decimal("0.5") if base <= 5000 else Decimal(1)
    return (base * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


EDGES = [
    Decimal(x)
    for x in (
        "0",
        "0.01",
        "2999.99",
        "3000",
        "3000.01",
        "4999.99",
        "5000",
        "5000.01",
        "9999.99",
        "10000",
        "10000.01",
        "99999.99",
    )
]
money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(base=st.one_of(st.sampled_from(EDGES), money))
@example(base=Decimal("3000"))
@example(base=Decimal("3000.01"))
@example(base=Decimal("10000"))
def test_employed_brackets_match_the_table(base):
    assert dues.monthly_amount(category="employed", base=base, on=DAY) == employed_by_hand(base)


@given(base=st.one_of(st.sampled_from(EDGES), money))
@example(base=Decimal("5000"))
@example(base=Decimal("5000.01"))
def test_retired_rates_match_the_table(base):
    assert dues.monthly_amount(category="retired", base=base, on=DAY) == retired_by_hand(base)


def test_boundaries_are_inclusive_on_the_upper_side():
    assert dues.monthly_amount(category="employed", base=Decimal("3000"), on=DAY) == Decimal("15.00")
    assert dues.monthly_amount(category="employed", base=Decimal("3000.01"), on=DAY) == Decimal("30.00")
    assert dues.monthly_amount(category="employed", base=Decimal("10000"), on=DAY) == Decimal("150.00")
    assert dues.monthly_amount(category="employed", base=Decimal("10000.01"), on=DAY) == Decimal("200.00")


@pytest.mark.parametrize("category", ["student", "unemployed", "relief", "subsistence"])
def test_fixed_minimum_amounts(category):
    assert dues.monthly_amount(category=category, base=Decimal("5000"), on=DAY) == Decimal("0.20")


def test_money_is_never_float():
    with pytest.raises(TypeError):
        dues.monthly_amount(category="employed", base=3000.0, on=DAY)
    assert services.money(0.1) == Decimal("0.1")
    with pytest.raises(ValidationError):
        services.money("1.234")
    with pytest.raises(ValidationError):
        services.money("abc")


@given(
    paid=st.sets(st.integers(min_value=0, max_value=23)),
)
def test_longest_unpaid_run_is_the_longest_gap(paid):
    owed = dues.months_between(dt.date(2025, 1, 1), dt.date(2026, 12, 1))
    covered = {owed[i] for i in paid}
    # Independent: walk the flags as a string of 0/1 and split on paid months.
    flags = "".join("1" if m in covered else "0" for m in owed)
    expected = max((len(chunk) for chunk in flags.split("1")), default=0)
    assert dues.longest_unpaid_run(owed, covered) == expected


def _base(world, person, amount="6000", year=2026):
    return services.set_base(actor=world.secretary, person=person, year=year, category="employed", base=Decimal(amount))


def test_base_and_lump_sum_payment(world, today):
    member = world.people["member"]
    row = _base(world, member)
    assert row.monthly == Decimal("90.00")
    p = services.record_payment(
        actor=world.secretary,
        person=member,
        first_month=dt.date(2026, 1, 1),
        months=3,
        amount=Decimal("270"),
        paid_on=dt.date(2026, 1, 10),
    )
    assert p.last_month == dt.date(2026, 3, 1)
    with pytest.raises(ValidationError, match="不能重复交纳"):
        services.record_payment(
            actor=world.secretary,
            person=member,
            first_month=dt.date(2026, 3, 1),
            amount=Decimal("90"),
            paid_on=dt.date(2026, 3, 10),
        )
    with pytest.raises(ValidationError, match="少于应交"):
        services.record_payment(
            actor=world.secretary,
            person=member,
            first_month=dt.date(2026, 4, 1),
            amount=Decimal("89.99"),
            paid_on=dt.date(2026, 4, 10),
        )
    assert Payment.all_objects.count() == 1


def test_probationary_member_pays_from_admission(world):
    from dangjian.orgs import services as org_services

    person = world.members_a[2]
    org_services.set_membership(
        actor=world.county_admin,
        person=person,
        stage="probationary",
        applied_on=dt.date(2023, 1, 1),
        activist_on=dt.date(2023, 3, 1),
        candidate_on=dt.date(2024, 4, 1),
        probationary_on=dt.date(2026, 5, 20),
        full_on=None,
    )
    _base(world, person, "2000")
    with pytest.raises(ValidationError, match="支部大会通过之日"):
        services.record_payment(
            actor=world.secretary,
            person=person,
            first_month=dt.date(2026, 4, 1),
            amount=Decimal("10"),
            paid_on=dt.date(2026, 5, 21),
        )
    services.record_payment(
        actor=world.secretary,
        person=person,
        first_month=dt.date(2026, 5, 1),
        amount=Decimal("10"),
        paid_on=dt.date(2026, 5, 21),
    )
    rows = {r.person.pk: r for r in selectors.ledger(world.secretary, world.branch_a, dt.date(2026, 6, 1))}
    assert rows[person.pk].standing.unpaid == [dt.date(2026, 6, 1)]


def test_six_months_unpaid_is_flagged_never_applied(world):
    member = world.people["member"]
    _base(world, member)
    services.record_payment(
        actor=world.secretary,
        person=member,
        first_month=dt.date(2026, 1, 1),
        amount=Decimal("90"),
        paid_on=dt.date(2026, 1, 5),
    )
    rows = {r.person.pk: r for r in selectors.ledger(world.secretary, world.branch_a, dt.date(2026, 7, 1))}
    assert rows[member.pk].standing.longest_run == 6 and rows[member.pk].standing.lapse_flag
    rows = {r.person.pk: r for r in selectors.ledger(world.secretary, world.branch_a, dt.date(2026, 6, 1))}
    assert not rows[member.pk].standing.lapse_flag
    member.refresh_from_db()
    assert member.is_active and member.membership.stage == "full"  # flagged only


def test_a_member_cannot_record_dues(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_base(
            actor=world.member, person=world.people["member"], year=2026, category="employed", base=Decimal("1")
        )


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = xlsx_bytes(["姓名", "身份证号后6位", "类别", "月计算基数（元）"], *rows)
    return SimpleUploadedFile("bases.xlsx", content)


def test_import_is_all_or_nothing_with_chinese_row_errors(world):
    people = list(selectors.members(world.secretary, world.branch_a))
    result = dues_io.import_bases(
        actor=world.secretary,
        org=world.branch_a,
        year=2026,
        people=people,
        upload=_upload([["甲党员", "", "在职", "4000"], ["无此人", "", "在职", "4000"], ["甲书记", "", "兼职", "x"]]),
    )
    assert not result.ok and DuesBase.all_objects.count() == 0
    messages = [(e.row, e.column, e.message) for e in result.errors]
    assert (3, "姓名", "本支部没有党员“无此人”") in messages
    assert any(row == 4 and column == "类别" for row, column, _m in messages)
    assert any(row == 4 and "数字" in message for row, _c, message in messages)
    result = dues_io.import_bases(
        actor=world.secretary,
        org=world.branch_a,
        year=2026,
        people=people,
        upload=_upload([["甲党员", "", "在职", "4000"], ["甲书记", "", "离退休", "5000.01"]]),
    )
    assert result.ok and result.updated == 2
    assert DuesBase.all_objects.get(person=world.people["secretary"]).monthly == Decimal("50.00")


def test_exports_hold_decimal_amounts(world, login):
    member = world.people["member"]
    _base(world, member)
    services.record_payment(
        actor=world.secretary,
        person=member,
        first_month=dt.date(2026, 1, 1),
        amount=Decimal("90"),
        paid_on=dt.date(2026, 1, 5),
    )
    client = login(world.secretary)
    response = client.get(f"/membership/dues/{world.branch_a.pk}/ledger.xlsx?month=2026-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert values["甲党员"][3] == 90 and values["甲党员"][4] == "是"
    response = client.get(f"/membership/dues/{world.branch_a.pk}/summary.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(min_row=2, values_only=True))[1] == 90
