#!/usr/bin/env bash
# Serves the platform on 127.0.0.1:$1 with gunicorn, with a background-job worker and the periodic duties
# (`manage.py periodic` every minute) beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8000}
.venv/bin/python manage.py jobworker >var/worker.log 2>&1 &
worker=$!
# Periodic duties (reminders, escalations, purges, nightly recounts): each runs when due, once per interval.
( while true; do .venv/bin/python manage.py periodic || true; sleep 60; done ) >var/periodic.log 2>&1 &
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
# Not exec: this shell stays to stop the worker and the periodic loop with the server, however it ends.
.venv/bin/gunicorn dangjian.wsgi:application --bind "127.0.0.1:${port}" --workers "${WEB_WORKERS:-2}" --access-logfile - --log-level warning &
web=$!
trap 'kill $web $worker $periodic 2>/dev/null || true' EXIT INT TERM
wait $web
