"""Issue 14 items 6 and 7: large roster imports run as a job with progress; failed imports are audited and
imports are rate-limited per user."""

from __future__ import annotations

from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import ImportStatus, RosterImport
from dangjian.orgs.roster import submit_import
from tests.factories import roster_row as row
from tests.factories import xlsx_upload


def _post(client, world, rows):
    return client.post(reverse("orgs:roster_import", kwargs={"pk": world.branch_a.pk}), {"file": xlsx_upload(rows)})


def _job() -> RosterImport:
    with unscoped("test"):
        return RosterImport.objects.get()


def test_a_large_import_is_not_checked_in_the_request_but_by_a_job(
    world, login, settings, django_capture_on_commit_callbacks, people_count
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login(world.secretary)
    before = people_count()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _post(client, world, [row(i) for i in range(12)])
    job = _job()
    assert response.status_code == 302 and response["Location"] == reverse("orgs:roster_import_job", args=[job.pk])
    assert job.status == ImportStatus.QUEUED and people_count() == before  # nothing checked or written yet
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'hx-trigger="every 2s"' in page  # the page polls itself
    for callback in queued:
        callback()  # the job runs (immediate backend in tests)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and (job.rows, job.checked, job.created) == (12, 12, 12)
    assert people_count() == before + 12
    assert not job.file  # the upload held ID numbers: deleted with the job's end
    page = client.get(response["Location"]).content.decode()
    assert "新增12人" in page and "hx-trigger" not in page


def test_a_large_import_with_one_bad_row_imports_nothing_and_lists_the_row(
    world, login, settings, django_capture_on_commit_callbacks, people_count
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    rows = [row(i) for i in range(12)]
    rows[7]["手机号"] = "1"
    client = login(world.secretary)
    before = people_count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, world, rows)
    job = _job()
    assert job.status == ImportStatus.FAILED and job.error_count == 1 and people_count() == before
    page = client.get(response["Location"]).content.decode()
    assert "第9行" in page and "11位" in page and "未导入任何数据" in page


def test_an_outsider_cannot_follow_someone_elses_import(world, login):
    with unscoped("test"):
        job = RosterImport.objects.create(org=world.branch_a, requested_by=world.secretary)
    assert login(world.outsider).get(reverse("orgs:roster_import_job", args=[job.pk])).status_code == 404


def test_failed_imports_are_audited_without_the_numbers(world):
    other = world.people["outsider"]
    result = submit_import(
        actor=world.secretary, org=world.branch_a, upload=xlsx_upload([row(1, 身份证号=other.id_number)])
    )
    assert not result.ok
    entry = AuditEntry.objects.get(action="import_failed")
    assert entry.actor == world.secretary and entry.changes == {"rows": 1, "errors": 1}
    assert other.id_number not in str(entry.changes) + entry.object_repr


def test_imports_are_rate_limited_per_user(world, login, settings):
    settings.IMPORTS_PER_HOUR = 2
    secretary = login(world.secretary)
    for _ in range(2):
        assert _post(secretary, world, [row(1, 手机号="1")]).status_code == 400
    refused = _post(secretary, world, [row(1)])
    assert refused.status_code == 400 and "过于频繁" in refused.content.decode()
    # Another user has their own allowance.
    assert "过于频繁" not in _post(login(world.county_admin), world, [row(2, 手机号="1")]).content.decode()
