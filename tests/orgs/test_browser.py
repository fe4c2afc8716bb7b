"""Day one on a phone (375 px): a freshly bootstrapped county administrator lands on the set-up checklist, sets
up a school with its 党支部 in one form, and sees it in the tree."""

import io

import pytest
from django.core.management import call_command

from tests.browser_support import fits, screenshot
from tests.factories import SETUP_HEADERS, county_rows, xlsx_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_county_sets_up_its_first_school_on_a_phone(live_server, phone, tmp_path):
    out = io.StringIO()
    call_command("bootstrap", "--name", "测试县", "--admin", "chief", stdout=out)
    password = next(line for line in out.getvalue().splitlines() if line.startswith("One-time password"))
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "chief")
    phone.fill("input[name=password]", password.rsplit(": ", 1)[1])
    phone.click("button[type=submit]")
    # A one-time password is changed first; then the county lands on its set-up checklist.
    phone.wait_for_url("**/password/")
    assert fits(phone)
    phone.fill("input[name=old_password]", password.rsplit(": ", 1)[1])
    phone.fill("input[name=new_password1]", "Xin-xian-2026-admin")
    phone.fill("input[name=new_password2]", "Xin-xian-2026-admin")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/orgs/setup/")
    assert "尚未建立任何学校" in phone.content()
    assert fits(phone)
    screenshot(phone, "setup-fresh-375")

    phone.click("#schools >> text=新建学校及其党支部")
    phone.wait_for_url("**/orgs/schools/new/")
    assert fits(phone)
    phone.select_option("#id_org", label="测试县教育党工委")
    phone.fill("#id_name", "城关小学")
    phone.select_option("#id_stage", "primary")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/orgs/*/")
    assert "城关小学党支部" in phone.inner_text("h1")

    phone.goto(f"{live_server.url}/orgs/tree/")
    assert "城关小学党支部" in phone.inner_text(".tree")
    assert fits(phone)
    screenshot(phone, "tree-375")
    phone.goto(f"{live_server.url}/orgs/setup/")
    assert "已建学校1所" in phone.content()
    assert fits(phone)
    screenshot(phone, "setup-375")

    # The rest of the county in one file: 30 schools with their Party organizations.
    phone.click("#schools >> text=批量建制导入")
    phone.wait_for_url("**/orgs/setup/import/")
    assert fits(phone)
    upload = tmp_path / "建制.xlsx"
    upload.write_bytes(xlsx_upload(county_rows(30), SETUP_HEADERS).read())
    phone.set_input_files("input[type=file]", str(upload))
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/orgs/setup/")
    assert "已建学校31所" in phone.content()
    assert fits(phone)
    screenshot(phone, "setup-imported-375")
