"""A secretary on a phone (375 px): records a member's dues for the month and looks at a dossier."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.membership import services
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.membership.helpers import run_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url, username):
    page.goto(f"{url}/login/?next=/membership/dues/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "dangjian-test-pw")
    page.click("button[type=submit]")


def test_secretary_records_dues_and_reads_a_dossier_on_a_phone(live_server, phone):
    world = build_world()
    member = world.people["member"]
    services.set_base(actor=world.secretary, person=member, year=2026, category="employed", base=Decimal("6000"))
    dossier = run_dossier(world, until="candidate")
    _login(phone, live_server.url, "secretary")
    phone.wait_for_url(f"**/membership/dues/{world.branch_a.pk}/")
    assert fits(phone)
    phone.select_option("#id_pay-person", str(member.pk))
    phone.fill("#id_pay-first_month", "2026-11")
    phone.fill("#id_pay-amount", "90")
    phone.fill("#id_pay-paid_on", dt.date(2026, 11, 5).isoformat())
    phone.click("form[action$='/payment/'] button[type=submit]")
    phone.wait_for_load_state()
    assert "已登记党费交纳" in phone.content()
    assert fits(phone)
    screenshot(phone, "membership-dues-375")
    phone.goto(f"{live_server.url}/membership/dossiers/{dossier.pk}/")
    assert "确定发展对象" in phone.content()
    assert fits(phone)
    screenshot(phone, "membership-dossier-375")
