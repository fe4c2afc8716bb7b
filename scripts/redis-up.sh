#!/usr/bin/env bash
# Starts a local Redis on 127.0.0.1:6379 if none answers (the job-queue tests and the distributed mode need it).
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
if ! command -v redis-server >/dev/null; then
  bash "$(dirname "$0")/system-deps.sh" redis-server
fi
mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp --logfile /tmp/dangjian-redis.log
for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.5; done
echo "Redis is not reachable on 127.0.0.1:6379" >&2
exit 1
