"""Jobs abandoned by a worker that died mid-job (embedded mode: the django-tasks-db backend).

django-tasks-db marks a job RUNNING when a worker claims it and nothing else ever looks at it again: a
worker killed mid-job (OOM, a restart, a power cut) leaves it RUNNING for ever, and the page that waits
for it (a ledger 生成中) with it. `manage.py periodic` runs `sweep_stale_jobs` every minute. A running job
is stale when
  - its worker ran on this machine and that process is gone (`manage.py jobworker` names its worker
    `<host>:<pid>:<random>` so that this can be told without a heartbeat), or
  - it has run longer than JOB_TIMEOUT seconds (workers elsewhere, or a hung job).
A stale job is queued again while it has had fewer than JOB_ATTEMPTS runs; after that it is marked failed
and `django_tasks.signals.task_finished` is sent, as a worker sends it, so that the app that waits for
it records the failure on its page (ledgers.signals). The distributed mode (RQ) has its own equivalent
(core.jobqueue)."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task_backends
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

WORKER_LOST = "dangjian.core.jobsweep.WorkerLost"


class WorkerLost(Exception):
    """The worker running the job stopped before the job finished."""


def _host() -> str:
    return socket.gethostname()[:40]


def worker_id() -> str:
    """Unique per worker process (django-tasks-db requires it), and telling which process it is."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def _worker_gone(worker: str) -> bool:
    """True only when the worker ran on this machine and its process no longer exists."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's process
        return False
    return False


def sweep_stale_jobs(now: dt.datetime | None = None) -> str:
    backend = task_backends["default"]
    if not str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db"):
        return "not the database backend"

    now = now or timezone.now()
    too_old = now - dt.timedelta(seconds=settings.JOB_TIMEOUT)
    requeued = failed = 0
    for job in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        last_worker = job.worker_ids[-1] if job.worker_ids else ""
        if not (_worker_gone(last_worker) or (job.started_at and job.started_at < too_old)):
            continue
        # Conditional: a worker that finishes the job meanwhile wins, and so does another sweep.
        still = DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        if len(job.worker_ids) < settings.JOB_ATTEMPTS:
            requeued += still.update(status=TaskResultStatus.READY, started_at=None, run_after=now)
            continue
        reason = f"worker {last_worker or '?'} stopped, or the job ran past JOB_TIMEOUT={settings.JOB_TIMEOUT}s"
        if still.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=f"{WORKER_LOST}: {reason}",
            return_value=None,
        ):
            failed += 1
            job.refresh_from_db()
            task_finished.send(sender=type(backend), task_result=job.task_result)
    return f"requeued {requeued}, failed {failed}"
