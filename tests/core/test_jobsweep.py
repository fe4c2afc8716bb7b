"""A job whose worker died mid-job is queued again once, then failed, and its ledger says 生成失败 instead of
生成中 for ever (embedded mode, django-tasks-db)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangjian.core import jobsweep, periodic
from dangjian.ledgers import jobs
from dangjian.ledgers.models import Ledger, LedgerStatus

DATABASE_TASKS = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _host() -> str:
    return jobsweep.worker_id().split(":")[0]


def _ledger(world, year: int = 2026) -> Ledger:
    Ledger.all_objects.bulk_create([Ledger(org=world.branch_a, year=year, status=LedgerStatus.RUNNING)])
    return Ledger.all_objects.get(org=world.branch_a, year=year)


def _claimed(ledger, worker: str) -> DBTaskResult:
    result = jobs.build_ledger.enqueue(ledger_id=ledger.pk)
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker)
    return job


@DATABASE_TASKS
def test_a_job_whose_worker_died_is_requeued_then_failed_and_the_ledger_page_says_so(world, login, dead_pid):
    ledger = _ledger(world)
    job = _claimed(ledger, f"{_host()}:{dead_pid}:abcdefgh")
    assert jobsweep.sweep_stale_jobs() == "requeued 1, failed 0"
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY and job.started_at is None

    job.claim(f"{_host()}:{dead_pid}:ijklmnop")  # its second run dies too
    assert jobsweep.sweep_stale_jobs() == "requeued 0, failed 1"
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED and job.exception_class_path == jobsweep.WORKER_LOST
    ledger.refresh_from_db()
    assert ledger.status == LedgerStatus.FAILED
    page = login(world.secretary).get(reverse("ledgers:detail", args=[ledger.pk])).content.decode()
    assert "生成失败" in page and "请重新生成" in page and "生成中" not in page


@DATABASE_TASKS
def test_a_live_worker_keeps_its_job_until_the_time_limit(world, settings):
    ledger = _ledger(world)
    job = _claimed(ledger, f"{_host()}:{os.getpid()}:abcdefgh")  # this very process: alive
    assert jobsweep.sweep_stale_jobs() == "requeued 0, failed 0"
    # A worker on another machine cannot be asked; past JOB_TIMEOUT the job is stale all the same.
    later = job.started_at + dt.timedelta(seconds=settings.JOB_TIMEOUT + 1)
    assert jobsweep.sweep_stale_jobs(now=later) == "requeued 1, failed 0"
    other = _claimed(_ledger(world, 2025), "elsewhere:123:abcdefgh")
    assert jobsweep.sweep_stale_jobs() == "requeued 0, failed 0"
    later = other.started_at + dt.timedelta(seconds=settings.JOB_TIMEOUT + 1)
    assert jobsweep.sweep_stale_jobs(now=later) == "requeued 1, failed 0"


def test_the_sweep_is_a_periodic_duty_every_minute():
    duty = next(d for d in periodic.duties() if d.name == "core.sweep_stale_jobs")
    assert duty.interval == dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_sweep_does_nothing_with_other_backends():
    assert jobsweep.sweep_stale_jobs(now=timezone.now()) == "not the database backend"
