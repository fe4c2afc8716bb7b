"""The API fuzzer: schemathesis generates requests from /api/v1/openapi.json and sends them in-process to the WSGI
app, as the county's secretary (bearer token) and anonymously. Any 5xx, or any answer that breaks the documented
schema (body, status code, content type), fails the run.

Deterministic (derandomized Hypothesis, no example database) and bounded (a fixed number of examples per
operation and mode), so it runs the same every time in a few minutes. Marker `fuzz`: CI decides which leg runs it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangjian.api.main import api
from dangjian.core.models import ApiToken
from dangjian.core.scoping import unscoped
from dangjian.ledgers.models import Ledger
from dangjian.meetings import services as meetings
from tests.care.conftest import make_student

pytestmark = pytest.mark.fuzz

EXAMPLES = 6  # per operation, mode and caller: about 1,500 requests over the whole schema
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def _existing(world) -> dict[str, int]:
    """Ids of real rows of school A, so that half the generated requests reach past the 404 of a random id."""
    meeting = meetings.plan_meeting(
        actor=world.secretary,
        org=world.branch_a,
        kind="theme_day",
        topic="主题党日",
        starts_at=timezone.make_aware(dt.datetime(2026, 11, 3, 15, 0)),
    )
    with unscoped("fuzz: rows to aim at"):
        ledger = Ledger.objects.create(org=world.branch_a, year=2026, requested_by=world.secretary)
    return {
        "org_id": world.branch_a.pk,
        "person_id": world.people["teacher"].pk,
        "meeting_id": meeting.pk,
        "ledger_id": ledger.pk,
        "student_id": make_student(world).pk,
    }


def _strategy(operation, mode: GenerationMode, existing: dict[str, int]):
    generated = operation.as_strategy(generation_mode=mode)
    aimed = {name: existing[name] for name in re.findall(r"{(\w+)}", operation.path) if name in existing}
    if not aimed:
        return generated
    return st.one_of(generated, operation.as_strategy(generation_mode=mode, path_parameters=aimed))


def _fuzz(operation, strategy, headers: dict, mode: GenerationMode, failures: list[str]) -> int:
    sent = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=["explicit", "generate"],
    )
    @given(case=strategy)
    def run(case):
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, FailureGroup) as exc:  # collected: one run reports every failing operation
            failures.append(f"{operation.label} [{mode.value}, {'token' if headers else 'anonymous'}]: {exc}"[:1500])

    run()
    return sent


@pytest.mark.django_db(transaction=False)
def test_api_fuzz_finds_no_server_error_and_no_schema_break(world):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    app = get_wsgi_application()
    _token, raw = ApiToken.issue(world.secretary)
    callers = [{"Authorization": f"Bearer {raw}"}, {}]
    existing = _existing(world)
    failures: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operation.app = app
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = _strategy(operation, mode, existing)
            for headers in callers:
                sent += _fuzz(operation, strategy, headers, mode, failures)
    assert sent >= 1000, sent
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
