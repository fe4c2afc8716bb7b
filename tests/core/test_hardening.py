"""Issue 14, the core pieces: start-up without a secret key, /healthz, year parameters, NUL bytes, API errors
as JSON, the API docs page and unique schema names."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client
from ninja import Schema

from dangjian.api.main import api
from dangjian.core import pagination


def _settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    unset = ("DANGJIAN_TESTING", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    code = "import dangjian.settings as s; print(s.SECRET_KEY, s.PRODUCTION)"
    return subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True)


def test_a_production_start_without_secret_key_refuses_to_run(tmp_path):
    refused = _settings_in_subprocess(ALLOWED_HOSTS="dangjian.example.gov.cn", VAR_DIR=str(tmp_path))
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr and "SECRET_KEY" in refused.stderr
    chosen = _settings_in_subprocess(ALLOWED_HOSTS="dangjian.example.gov.cn", SECRET_KEY="k" * 50)
    assert chosen.stdout.split() == ["k" * 50, "True"]


def test_a_local_run_without_secret_key_makes_its_own_and_keeps_it(tmp_path):
    first = _settings_in_subprocess(VAR_DIR=str(tmp_path)).stdout.split()
    second = _settings_in_subprocess(VAR_DIR=str(tmp_path)).stdout.split()
    key_file = tmp_path / "secret_key"
    assert first == second and first[1] == "False"  # one key for every process of this machine; not production
    assert len(first[0]) >= 50 and "demo" not in first[0] and key_file.read_text() == first[0]
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    other = tmp_path / "other"
    other.mkdir()
    assert _settings_in_subprocess(VAR_DIR=str(other)).stdout.split()[0] != first[0]  # no key shared between machines


def test_healthz_never_shows_the_database_connection(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise Exception('connection to server at "db.internal" (10.0.0.7), port 5432 failed: role "dangjian_rw"')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    text = response.content.decode()
    assert "db.internal" not in text and "5432" not in text and "dangjian_rw" not in text and "10.0.0.7" not in text


BAD_YEARS = ["-1", "0", "634", "99999", "9" * 30]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_out_of_range_years_are_4xx_in_the_api(world, api_client, year):
    secretary = api_client(world.secretary)
    for client, path in (
        (Client(), "/api/v1/voice/public/stats"),
        (secretary, "/api/v1/voice/stats"),
        (secretary, "/api/v1/meetings/compliance"),
    ):
        response = client.get(path, {"year": year})
        assert 400 <= response.status_code < 500, (path, year, response.status_code)


@pytest.mark.parametrize("year", BAD_YEARS)
def test_out_of_range_years_are_400_on_pages(world, login, year):
    secretary = login(world.secretary)
    for client, path in (
        (Client(), "/voice/public/stats/"),
        (secretary, f"/meetings/compliance/{world.branch_a.pk}/"),
        (login(world.county_admin), "/meetings/county/"),
    ):
        response = client.get(path, {"year": year})
        assert response.status_code == 400, (path, year, response.status_code)
        assert "年份" in response.content.decode()


def test_a_year_before_the_first_rule_version_is_bad_input_not_a_crash(world, api_client):
    response = Client().get("/api/v1/voice/public/stats", {"year": "2001"})  # the service rules begin in 2024
    assert response.status_code == 400 and "生效" in response.json()["detail"]


def test_offsets_beyond_64_bits_are_422(world, api_client):
    query = "offset=99999999999999999999"
    assert api_client(world.secretary).get(f"/api/v1/orgs/people?{query}").status_code == 422
    assert Client().get(f"/api/v1/publishing/public/posts?{query}").status_code == 422


@pytest.mark.parametrize("limit", ["501", "100000000000000000000", "2432492479662734062911488"])
def test_a_limit_beyond_the_maximum_is_served_as_the_maximum(world, api_client, limit, monkeypatch):
    monkeypatch.setattr(pagination, "API_MAX_PER_PAGE", 2)
    people = api_client(world.secretary).get(f"/api/v1/orgs/people?limit={limit}")
    assert people.status_code == 200 and len(people.json()["items"]) == 2 < people.json()["count"]
    assert Client().get(f"/api/v1/publishing/public/posts?limit={limit}").status_code == 200


def test_api_pages_have_a_maximum_size(world, api_client):
    assert pagination.API_MAX_PER_PAGE == 500
    assert api_client(world.secretary).get("/api/v1/orgs/people?limit=500").status_code == 200


def test_nul_bytes_are_refused_with_400(world, api_client, login):
    secretary = api_client(world.secretary)
    assert secretary.get("/api/v1/orgs/people", {"q": "甲\x00"}).status_code == 400
    response = secretary.post("/api/v1/voice/public/follow", {"code": "AB\x00CD"}, content_type="application/json")
    assert response.status_code == 400 and "空字符" in response.json()["detail"]
    page = login(world.county_admin).get("/orgs/county/", {"q": "\x00"})
    assert page.status_code == 400
    teacher = world.people["teacher"]
    form = login(world.secretary).post(f"/orgs/people/{teacher.pk}/edit/", {"name": "甲\x00", "job": "x"})
    assert form.status_code == 400 and "空字符" in form.content.decode()


def test_unexpected_api_errors_are_json_500_in_chinese(world, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("dangjian.voice.selectors.public_figures", broken)
    response = Client(raise_request_exception=False).get("/api/v1/voice/public/stats")
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert "服务器" in response.json()["detail"] and "a bug" not in response.content.decode()
    assert "a bug" in caplog.text  # logged with its traceback


def test_login_lockout_on_the_api_is_json_429(world, settings):
    client = Client()
    body = {"username": "secretary", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 429  # axes answers its lockout page (HTML) itself, outside ninja
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


def test_api_docs_are_for_signed_in_users_and_the_schema_stays_public(world, login):
    anonymous = Client().get("/api/v1/docs")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert login(world.teacher).get("/api/v1/docs").status_code == 200
    assert Client().get("/api/v1/openapi.json").status_code == 200


def test_every_schema_name_in_the_api_names_one_model():
    """ninja names a component after the class: two classes with one name would document one route with the
    other's fields (meetings' record input was shown as learning's)."""
    components = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    used: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        kind = field.annotation
                        if isinstance(kind, type) and issubclass(kind, Schema):
                            used.setdefault(kind.__name__, set()).add(f"{kind.__module__}.{kind.__qualname__}")
    reused = {name: sorted(models) for name, models in used.items() if len(models) > 1}
    assert not reused, reused
    assert set(used) <= set(components)
