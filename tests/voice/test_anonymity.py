"""An anonymous concern keeps nothing that points back at its submitter: no address, no telling file name."""

import hashlib
import re
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.voice import services
from dangjian.voice.models import Concern
from tests.voice.conftest import public_post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ADDRESS = "203.0.113.77"


def test_no_address_is_stored_with_an_anonymous_concern_or_its_follow_up(world):
    client = Client(REMOTE_ADDR=ADDRESS)
    response = public_post(client, world, title="匿名反映")
    code = re.search(r'class="receipt">([A-Z2-9]{16})<', response.content.decode()).group(1)
    client.post(reverse("voice:follow"), {"code": code, "action": "reopen", "reason": "还没修"})
    with unscoped("test"):
        concern = Concern.objects.get(title="匿名反映")
    entries = AuditEntry.objects.filter(model="voice.Concern", object_id=str(concern.pk))
    assert entries.filter(action="submit").exists()
    assert not entries.exclude(ip=None).exists()


def test_a_signed_in_submission_keeps_its_address(world, login):
    client = login(world.teacher)
    client.defaults["REMOTE_ADDR"] = ADDRESS
    fields = {"school": world.school_a.pk, "submitter_kind": "teacher", "category": "other", "title": "实名"}
    response = client.post(reverse("voice:submit"), {**fields, "body": "内容"})
    assert response.status_code == 200  # the receipt page, rendered
    assert AuditEntry.objects.get(model="voice.Concern", action="submit").ip == ADDRESS


def test_the_throttle_keeps_only_a_salted_hash_for_an_hour(world):
    with mock.patch.object(services.cache, "add", wraps=services.cache.add) as add:
        services.throttle_anonymous(ADDRESS)
    (key, _initial, timeout), _kwargs = add.call_args
    assert ADDRESS not in key and timeout == 3600
    # Salted: the key is not the plain hash of the address, which anyone could recompute for every address.
    assert hashlib.sha256(ADDRESS.encode()).hexdigest() not in key


def test_attachment_names_are_neutral(world, login):
    public_post(
        Client(REMOTE_ADDR=ADDRESS), world, title="有图", attachment=SimpleUploadedFile("张三家长的举报材料.PNG", PNG)
    )
    with unscoped("test"):
        concern = Concern.objects.get(title="有图")
    stored = concern.attachment.name.rsplit("/", 1)[-1]
    assert stored.startswith("附件1") and stored.endswith(".png") and "张三" not in stored
    download = login(world.secretary).get(reverse("voice:attachment", args=[concern.pk]))
    assert "张三" not in download["Content-Disposition"]
