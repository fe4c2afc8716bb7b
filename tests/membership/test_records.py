"""党员档案: one page per member from the records; the member sees their own, the secretary the branch's."""

import datetime as dt
from decimal import Decimal

from dangjian.membership import services


def test_member_sees_own_record_and_secretary_the_branch(world, login):
    member = world.people["member"]
    services.set_base(actor=world.secretary, person=member, year=2026, category="employed", base=Decimal("3000"))
    services.record_payment(
        actor=world.secretary,
        person=member,
        first_month=dt.date(2026, 1, 1),
        months=2,
        amount=Decimal("30"),
        paid_on=dt.date(2026, 1, 3),
    )
    services.request_transfer(actor=world.secretary, person=member, to_org=world.branch_b)
    own = login(world.member).get("/membership/records/mine/")
    body = own.content.decode()
    assert own.status_code == 200 and "甲党员的党员档案" in body and "30.00" in body and "乙校党支部" in body
    me = login(world.member).get("/me/")
    assert "我的党员档案" in me.content.decode() and "党费已交至2026年2月" in me.content.decode()
    assert login(world.member).get(f"/membership/records/{world.people['secretary'].pk}/").status_code == 404
    assert login(world.secretary).get(f"/membership/records/{member.pk}/").status_code == 200
    assert login(world.outsider).get(f"/membership/records/{member.pk}/").status_code == 404
    assert "我的党员档案" not in login(world.teacher).get("/me/").content.decode()
