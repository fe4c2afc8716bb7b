"""`make bench`: the province profile on PostgreSQL, measured against baselines taken in the same run.

Steps (each prints as it goes; the table comes last and is written to bench/results/latest.json):
  1. a fresh database, `generate --profile province` (load time)
  2. gunicorn with production settings; wrk, 32 connections for 20 s, against a hello-world view of the same
     project (the ceiling) and the platform's pages; throughput as a ratio of the ceiling, p50/p95/p99
  3. derived figures: a full recompute against one hand-written SQL aggregate over the same rows (the floor),
     and the incremental refresh after recording one meeting
  4. the ledger PDF of one branch-year; a 50,000-row roster import

Machines here are noisy (2 shared cores): only ratios within one run are comparable across runs.
Options: --reuse (keep an existing bench database), --duration S, --connections N, --only pages,derived,documents
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DB_NAME = os.environ.get("BENCH_DB", "dangjian_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8123"))
PY = str(ROOT / ".venv" / "bin" / "python")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def env() -> dict[str, str]:
    values = dict(os.environ)
    values.update(
        {
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "dangjian.settings",
            "SECRET_KEY": "bench-" + "x" * 60,  # production settings: DEBUG off, compressed static files
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",  # wrk speaks plain HTTP on loopback
            "BENCH_ENDPOINTS": "1",
            "AXES_ENABLED": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    values.pop("DANGJIAN_TESTING", None)
    return values


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env(), check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)


def prepare_database(reuse: bool) -> float | None:
    if reuse:
        log(f"reusing database {DB_NAME}")
        return None
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "--no-input", "-v0")
    log("generating the province profile (this is the load-time measurement)")
    started = time.perf_counter()
    manage("generate", "--profile", "province", "--seed", "1")
    seconds = time.perf_counter() - started
    manage("collectstatic", "--no-input", "-v0")
    return seconds


def django_setup() -> None:
    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, headers: dict[str, str], duration: int, connections: int) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(ROOT / "bench" / "latency.lua")]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    return json.loads(line)


def run_pages(duration: int, connections: int) -> list[dict]:
    from bench import cases

    targets = cases.page_targets()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "dangjian.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env(),
        start_new_session=True,
    )
    rows = []
    try:
        wait_for(PORT)
        for target in targets:
            if target.get("missing"):
                rows.append({"case": target["label"], "note": target["missing"]})
                continue
            url = f"http://127.0.0.1:{PORT}{target['path']}"
            subprocess.run(["curl", "-s", "-o", "/dev/null", url], check=False)  # warm up
            log(f"wrk {target['label']}: {target['path']}")
            result = wrk(url, target["headers"], duration, connections)
            rows.append({"case": target["label"], "path": target["path"], **result})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ceiling = next((r["rps"] for r in rows if r.get("case", "").startswith("hello")), None)
    for row in rows:
        if ceiling and "rps" in row:
            row["ratio_to_ceiling"] = round(row["rps"] / ceiling, 3)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", default="pages,derived,documents")
    options = parser.parse_args()
    wanted = set(options.only.split(","))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (scripts/system-deps.sh wrk)")

    report = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()}",
        "profile": "province",
    }
    report["load_seconds"] = prepare_database(options.reuse)
    django_setup()
    from bench import cases

    report["data"] = cases.data_counts()
    log(f"data: {report['data']}")
    if "pages" in wanted:
        report["pages"] = run_pages(options.duration, options.connections)
    if "derived" in wanted:
        report["derived"] = cases.derived()
    if "documents" in wanted:
        report["documents"] = cases.documents()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    print(cases.table(report))


if __name__ == "__main__":
    main()
