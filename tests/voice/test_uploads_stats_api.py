"""Attachments refused before anything is stored; on-time and satisfaction figures; the API."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core import indicators
from dangjian.core.scoping import unscoped
from dangjian.voice import selectors
from dangjian.voice.models import Concern
from tests.factories import OrgFactory, SchoolFactory
from tests.voice.conftest import at, make_concern

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "voice"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


BAD_FILES = [
    ("exe", "申请材料.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "可执行文件"),
    ("html", "说明.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "网页代码"),
    ("svg", "图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "网页代码"),
]


@pytest.mark.parametrize(("kind", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_attachment_is_refused_and_nothing_stored(world, client, kind, name, content, message):
    before = set(_stored_files())
    response = client.post(
        reverse("voice:public_submit"),
        {
            "school": world.school_a.pk,
            "submitter_kind": "teacher",
            "category": "other",
            "title": "带附件",
            "body": "内容",
            "attachment": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    with unscoped("test"):
        assert not Concern.objects.exists()
    assert set(_stored_files()) == before


def test_oversized_attachment_is_refused(world, login, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = set(_stored_files())
    response = login(world.teacher).post(
        reverse("voice:submit"),
        {
            "school": world.school_a.pk,
            "submitter_kind": "teacher",
            "category": "other",
            "title": "大附件",
            "body": "内容",
            "attachment": SimpleUploadedFile("大.png", PNG + b"\x00" * 4096),
        },
    )
    assert response.status_code == 400
    assert "过大" in response.content.decode()
    with unscoped("test"):
        assert not Concern.objects.exists()
    assert set(_stored_files()) == before


def test_good_attachment_is_kept_and_served_to_the_handler_only(world, login):
    login(world.teacher).post(
        reverse("voice:submit"),
        {
            "school": world.school_a.pk,
            "submitter_kind": "teacher",
            "category": "other",
            "title": "有图",
            "body": "内容",
            "attachment": SimpleUploadedFile("现场.png", PNG),
        },
    )
    with unscoped("test"):
        concern = Concern.objects.get(title="有图")
    assert concern.submitter == world.teacher and concern.attachment
    url = reverse("voice:attachment", args=[concern.pk])
    assert login(world.secretary).get(url).content == PNG
    assert login(world.outsider).get(url).status_code == 404


def _scenario(world):
    """School A: 3 on time, 1 late, 1 unanswered past its limit, 1 not yet due. School B: 1 on time."""
    now = at(2026, 11, 25, 12)
    sub = at(2026, 11, 2, 9)  # answer due 9 Nov
    for rating in ("satisfied", "basically", "unsatisfied"):
        make_concern(world, submitted_at=sub, status="closed", first_answered_at=at(2026, 11, 5), rating=rating)
    make_concern(world, submitted_at=sub, status="answered", first_answered_at=at(2026, 11, 12))
    make_concern(world, submitted_at=sub, status="acknowledged")
    make_concern(world, submitted_at=at(2026, 11, 24, 9))
    make_concern(
        world,
        school=world.school_b,
        submitted_at=sub,
        status="closed",
        first_answered_at=at(2026, 11, 3),
        rating="satisfied",
    )
    return now


def test_on_time_rate_and_satisfaction_per_school(world):
    now = _scenario(world)
    stats = selectors.stats_for_schools(
        [world.school_a.pk, world.school_b.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31), now
    )
    a, b = stats[world.school_a.pk], stats[world.school_b.pk]
    assert (a.total, a.due, a.on_time) == (6, 5, 3)
    assert a.on_time_rate == pytest.approx(0.6)
    assert a.satisfaction_rate == pytest.approx(2 / 3)
    assert (b.total, b.on_time_rate, b.satisfaction_rate) == (1, 1.0, 1.0)


def test_stats_page_scoped(world, login):
    _scenario(world)
    county = login(world.county_admin).get(reverse("voice:stats") + "?year=2026").content.decode()
    assert "甲校" in county and "乙校" in county
    school = login(world.secretary).get(reverse("voice:stats") + "?year=2026").content.decode()
    assert "甲校" in school and "乙校" not in school


def test_indicator_formulas_fixed_query_count(world, django_assert_max_num_queries):
    _scenario(world)
    many = [SchoolFactory(name=f"学校{i}", org=OrgFactory(parent=world.county)) for i in range(15)]
    schools = [world.school_a, world.school_b, *many]
    with django_assert_max_num_queries(1):
        result = indicators.compute(
            "voice.reply_on_time_rate", schools=schools, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
    assert result[world.school_b.pk].value == 1.0
    assert "按时答复1件" in result[world.school_b.pk].detail
    with django_assert_max_num_queries(1):
        sat = indicators.compute(
            "voice.satisfaction_rate", schools=schools, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
    assert sat[world.school_a.pk].value == pytest.approx(2 / 3)


def test_public_stats_show_figures_only(world, client):
    _scenario(world)
    make_concern(world, title="绝不能公开的标题", submitted_at=at(2026, 11, 2, 9))
    page = client.get(reverse("voice:public_stats") + "?year=2026").content.decode()
    assert "8" in page and "绝不能公开的标题" not in page and "甲校" not in page


# --- API ---------------------------------------------------------------------------------------


def _post(client, path, data):
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_api_anonymous_submit_follow_rate(world, api_client):
    anon = api_client(None)
    created = _post(
        anon,
        "/api/v1/voice/public/concerns",
        {
            "school_id": world.school_a.pk,
            "category": "fees",
            "submitter_kind": "parent",
            "title": "收费",
            "body": "秘密正文",
        },
    )
    assert created.status_code == 200
    code = created.json()["receipt_code"]
    assert len(code) == 16

    followed = _post(anon, "/api/v1/voice/public/follow", {"code": code}).json()
    assert followed["status"] == "submitted" and "body" not in followed and "title" not in followed

    secretary = api_client(world.secretary)
    cid = created.json()["id"]
    assert _post(secretary, f"/api/v1/voice/concerns/{cid}/reply", {"text": "已退费"}).status_code == 200
    rated = _post(anon, "/api/v1/voice/public/rate", {"code": code, "rating": "basically"}).json()
    assert rated["status"] == "closed" and rated["reply"] == "已退费"
    assert _post(anon, "/api/v1/voice/public/follow", {"code": "WRONGWRONGWRONG2"}).status_code == 404


def test_api_list_scoped_and_query_count(world, api_client, django_assert_max_num_queries):
    for i in range(30):
        make_concern(world, title=f"甲{i}")
    make_concern(world, school=world.school_b, title="乙")
    with django_assert_max_num_queries(8):
        data = api_client(world.secretary).get("/api/v1/voice/concerns?limit=50").json()
    assert data["count"] == 30
    out = api_client(world.outsider).get("/api/v1/voice/concerns").json()
    assert [c["title"] for c in out["items"]] == ["乙"]
