"""Periodic duties: each runs once per interval however many callers; a failing one is logged and the
others still run; every app's duty is listed and runs against the real services."""

import datetime as dt
import logging
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from dangjian.core import periodic
from dangjian.core.models import PeriodicRun

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def fake_duties(monkeypatch):
    calls: list[str] = []

    def ok(name):
        return lambda: calls.append(name) or f"{name} done"

    def boom():
        calls.append("boom")
        raise RuntimeError("磁盘已满")

    listed = [
        periodic.Duty("t.hourly", dt.timedelta(hours=1), ok("hourly"), order=1),
        periodic.Duty("t.boom", dt.timedelta(hours=1), boom, order=2),
        periodic.Duty("t.daily", dt.timedelta(days=1), ok("daily"), order=3),
    ]
    monkeypatch.setattr(periodic, "duties", lambda: listed)
    return calls


@pytest.mark.django_db
def test_a_duty_runs_once_per_interval_even_if_called_twice(fake_duties):
    periodic.run_due(T0)
    periodic.run_due(T0)  # a second web node, or cron overlapping itself
    periodic.run_due(T0 + dt.timedelta(minutes=59))
    assert fake_duties == ["hourly", "boom", "daily"]
    periodic.run_due(T0 + dt.timedelta(hours=1))
    assert fake_duties[3:] == ["hourly", "boom"]
    periodic.run_due(T0 + dt.timedelta(days=1))
    assert fake_duties[5:] == ["hourly", "boom", "daily"]
    assert PeriodicRun.objects.get(name="t.daily").next_due == T0 + dt.timedelta(days=2)


@pytest.mark.django_db
def test_force_runs_only_the_named_duty_now_even_if_not_due(fake_duties):
    periodic.run_due(T0)
    later = T0 + dt.timedelta(minutes=10)
    assert periodic.run_due(later, only={"t.daily"}) == []  # not due: the claim holds
    outcomes = periodic.run_due(later, only={"t.daily"}, force=True)
    assert [o.name for o in outcomes] == ["t.daily"] and fake_duties[3:] == ["daily"]
    assert PeriodicRun.objects.get(name="t.daily").next_due == later + dt.timedelta(days=1)
    assert periodic.run_due(later, force=True) == []  # without --only, force changes nothing


@pytest.mark.django_db
def test_a_claim_is_taken_once():
    duty = periodic.Duty("t.claim", dt.timedelta(minutes=5), lambda: None)
    assert periodic.claim(duty, T0)
    assert not periodic.claim(duty, T0)
    assert not periodic.claim(duty, T0 + dt.timedelta(minutes=4))
    assert periodic.claim(duty, T0 + dt.timedelta(minutes=5))


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_run_a_duty_once():
    """Eight threads (eight database connections) claim the same duty at the same moment: one wins.
    Under PostgreSQL the losers' UPDATE waits for the winner's row lock, then finds the duty no longer due."""
    duty = periodic.Duty("t.race", dt.timedelta(hours=1), lambda: None)
    periodic.claim(periodic.Duty("t.race", dt.timedelta(0), lambda: None), T0 - dt.timedelta(days=1))  # the row
    won: list[bool] = []
    barrier = threading.Barrier(8)

    def node():
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    won.append(periodic.claim(duty, T0))
                    return
                except OperationalError:  # the test's in-memory SQLite locks instead of waiting (busy_timeout)
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=node) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [False] * 7 + [True]


@pytest.mark.django_db
def test_a_failing_duty_does_not_stop_the_others_and_is_logged(fake_duties, caplog):
    with caplog.at_level(logging.ERROR, logger="dangjian.periodic"):
        outcomes = periodic.run_due(T0)
    assert [(o.name, o.ok) for o in outcomes] == [("t.hourly", True), ("t.boom", False), ("t.daily", True)]
    assert fake_duties == ["hourly", "boom", "daily"]
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "t.boom" in failed[0].getMessage() and failed[0].exc_info
    run = PeriodicRun.objects.get(name="t.boom")
    assert run.last_ok is False and "磁盘已满" in run.last_result and run.last_finished_at
    assert PeriodicRun.objects.get(name="t.daily").last_ok is True


@pytest.mark.django_db
def test_the_command_reports_a_failure_with_a_non_zero_exit(fake_duties, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("periodic")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "t.hourly: hourly done" in out and "t.boom: RuntimeError: 磁盘已满" in out and "t.daily" in out


def test_every_app_duty_is_listed():
    names = {d.name for d in periodic.duties()}
    assert {
        "meetings.send_reminders",
        "meetings.refresh_compliance",
        "voice.escalate_overdue",
        "care.purge_care_records",
    } <= names
    assert all(d.interval >= dt.timedelta(minutes=1) for d in periodic.duties())


@pytest.mark.django_db
def test_the_real_duties_run_on_the_world(world, capsys):
    call_command("periodic")
    out = capsys.readouterr().out
    assert "voice.escalate_overdue: escalated 0" in out and "care.purge_care_records: purged 0" in out
    assert PeriodicRun.objects.filter(last_ok=True).count() == len(periodic.duties())
    call_command("periodic")
    assert capsys.readouterr().out == ""  # nothing due again within the interval
