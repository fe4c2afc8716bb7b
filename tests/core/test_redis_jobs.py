"""The distributed job path, for real: Redis at 127.0.0.1:6379, RQ workers as separate processes.

`make test` starts Redis if it is not running (scripts/redis-up.sh)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of this test process's own (1–15), so that runs side by side (CI and a developer, or the
# SQLite and PostgreSQL runs) do not take each other's jobs.
pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}")


def job_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DANGJIAN_TESTING"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dangjian.settings",
            "REDIS_URL": REDIS_URL,
            "VAR_DIR": str(tmp_path),
            "JOB_TIMEOUT": "10",
            "JOB_MAINTENANCE_SECONDS": "10",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        }
    )
    return env


def manage(env, *args, **popen):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, start_new_session=True, **popen)


def enqueue(env, marker: Path, seconds: float) -> None:
    code = f"from dangjian.core.jobs import heartbeat; heartbeat.enqueue(marker={str(marker)!r}, seconds={seconds})"
    assert manage(env, "shell", "-c", code).wait(timeout=60) == 0


def wait_for(marker: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().count(text):
            return True
        time.sleep(0.3)
    return False


def descendants(pid: int) -> list[int]:
    """Child processes, found through /proc: RQ's work-horse leaves the worker's process group (setsid)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            children += [child, *descendants(child)]
    return children


def stop(process) -> None:
    """SIGKILL the worker and everything it started, as a machine losing power would."""
    for pid in [*descendants(process.pid), process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=10)


@pytest.fixture
def env(tmp_path):
    subprocess.run(["bash", str(ROOT / "scripts" / "redis-up.sh")], check=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    yield job_env(tmp_path)
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_a_job_runs_in_a_separate_worker_through_redis(env, tmp_path):
    marker = tmp_path / "marker"
    enqueue(env, marker, 0)
    assert not marker.exists()  # enqueued only: nothing ran in this process
    worker = manage(env, "jobworker", "--burst")
    try:
        assert worker.wait(timeout=60) == 0
    finally:
        stop(worker)
    assert marker.read_text() == "start\ndone\n"


def test_a_killed_worker_loses_no_job(env, tmp_path):
    marker = tmp_path / "marker"
    enqueue(env, marker, 3)
    first = manage(env, "jobworker")
    try:
        assert wait_for(marker, "start", 60), "the first worker never started the job"
    finally:
        stop(first)  # worker and work-horse die mid-job
    assert "done" not in marker.read_text()
    # RQ sees the job abandoned once its heartbeat lapses (job timeout 10 s + RQ's fixed 60 s grace); the next
    # maintenance pass of a live worker (every JOB_MAINTENANCE_SECONDS) re-queues it, since it has retries.
    second = manage(env, "jobworker")
    try:
        assert wait_for(marker, "done", 150), marker.read_text()
    finally:
        stop(second)
    assert marker.read_text().count("start") == 2


def test_jobs_check_reports_a_running_worker(env):
    worker = manage(env, "jobworker")
    try:
        check = manage(env, "jobs_check", "--timeout", "60", stdout=subprocess.PIPE, text=True)
        out, _err = check.communicate(timeout=90)
        assert check.returncode == 0 and "a worker ran the job" in out and "RQBackend" in out
    finally:
        stop(worker)
