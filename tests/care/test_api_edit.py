"""Issue 17 item 10: the API reaches what the pages do, with the same scoping: care-student edits, learning
materials, concern attachments."""

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile

from dangjian.care.models import Student
from dangjian.core.scoping import unscoped
from tests.care.conftest import make_student
from tests.factories import new_id_number
from tests.learning.helpers import build
from tests.voice.conftest import make_concern

pytestmark = pytest.mark.django_db


def patch(client, path, data):
    return client.patch(path, data=json.dumps(data), content_type="application/json")


def test_a_care_officer_edits_a_student_through_the_api(world, api_client, care):
    student = make_student(world, id_number=new_id_number(dt.date(2013, 6, 20)))
    url = f"/api/v1/care/students/{student.pk}"
    response = patch(api_client(care["officer_a"]), url, {"grade": "六年级一班"})
    assert response.status_code == 200 and response.json()["grade"] == "六年级一班"
    # Still masked: the full name only comes from the audited reveal.
    assert response.json()["name"] == student.name_masked != student.name
    assert patch(api_client(care["officer_a"]), url, {"support_mode": "nonsense"}).status_code == 400
    assert patch(api_client(world.member), url, {"grade": "x"}).status_code in (403, 404)
    assert patch(api_client(world.outsider), url, {"grade": "x"}).status_code == 404
    with unscoped("test"):
        assert Student.objects.get(pk=student.pk).grade == "六年级一班"


def test_learning_materials_through_the_api(world, api_client):
    material = build(world).material
    listing = api_client(world.teacher).get("/api/v1/learning/materials").json()
    assert material.pk in [row["id"] for row in listing["items"]]
    detail = api_client(world.teacher).get(f"/api/v1/learning/materials/{material.pk}")
    assert detail.status_code == 200 and detail.json()["title"] == material.title


def test_a_concern_attachment_through_the_api(world, api_client):
    concern = make_concern(world, submitter=world.users["member"])
    concern.attachment.save("note.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    url = f"/api/v1/voice/concerns/{concern.pk}/attachment"
    response = api_client(world.secretary).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert api_client(world.outsider).get(url).status_code == 404
