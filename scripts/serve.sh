#!/usr/bin/env bash
# Serves the platform on 127.0.0.1:$1 with gunicorn, with a background-job worker and the periodic duties
# (`manage.py periodic` every minute) beside it. A worker that dies (a crash, an OOM kill) is started again;
# the job it was running is queued again by the periodic duty core.sweep_stale_jobs. Stopping this script
# (Ctrl-C, TERM) stops the server, the worker and the periodic loop, and the commands they are running.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8000}

# Runs a command again and again, PAUSE seconds after it ends, until this loop gets TERM; then it stops the
# command it is running too (killing the loop alone would leave that command behind).
supervise() {
  local pause=$1 child= status
  shift
  trap 'kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while true; do
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    [ "$status" -eq 0 ] || echo "$(date '+%F %T') $* ended with status $status; started again in ${pause}s" >&2
    sleep "$pause" &
    child=$!
    wait "$child" || true
  done
}

supervise 5 .venv/bin/python manage.py jobworker >>var/worker.log 2>&1 &
worker=$!
# Periodic duties (reminders, escalations, purges, nightly recounts, stale jobs): each runs when due.
supervise 60 .venv/bin/python manage.py periodic >>var/periodic.log 2>&1 &
periodic=$!
cat <<MSG

  示范县党建工作平台: http://127.0.0.1:${port}/
  演示账号（密码均为 dangjian-demo，仅限演示数据）:
    county     县教育党工委管理员
    secretary1 第一所学校党支部书记
    member1    该支部正式党员
    teacher1   该校非党员教师
    assessor1  县考核专家

MSG
.venv/bin/gunicorn dangjian.wsgi:application --bind "127.0.0.1:${port}" --workers "${WEB_WORKERS:-2}" --access-logfile - --log-level warning &
web=$!
# Not exec: this shell stays to stop everything it started, however it ends, and waits until they have.
stop() {
  trap - EXIT INT TERM
  kill "$web" "$worker" "$periodic" 2>/dev/null || true
  wait || true
}
trap stop EXIT INT TERM
wait "$web"
