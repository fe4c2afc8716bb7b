"""What `make bench` measures, run inside Django against the bench database (see bench/run.py)."""

from __future__ import annotations

import datetime as dt
import io
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import get_random_string

from dangjian.core.models import ApiToken
from dangjian.core.scoping import unscoped

# Each page case: label, persona, and candidate URL names (the first that exists is used).
PAGES = [
    ("hello-world (ceiling)", None, ["bench_hello"]),
    ("member home page", "member1", ["core:home"]),
    ("secretary: my organization (roster)", "secretary1", ["orgs:detail"]),
    ("secretary: compliance page", "secretary1", ["meetings:compliance_org"]),
    ("county dashboard (one county of the province)", "bench_county", ["insights:dashboard"]),
    ("API list: people (20 a page)", "secretary1", ["api:list_people"]),
]


def _user(username: str):
    User = get_user_model()
    if username == "bench_county":
        user, created = User.objects.get_or_create(username="bench_county", defaults={"first_name": "县管理员（压测）"})
        if created:
            from dangjian.orgs.models import Grant, Org

            with unscoped("bench: a county-level administrator in the province"):
                county = Org.objects.filter(depth=1).order_by("path").first()
                Grant.objects.create(user=user, org=county, role="county_admin")
        return user
    return User.objects.get(username=username)


def _session_cookie(user) -> str:
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # the engine the server uses (Redis)
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    # A browser also holds the CSRF cookie set by its first page; signed-in pages are cached only for such a
    # browser (core.pagecache).
    return f"sessionid={session.session_key}; csrftoken={get_random_string(32)}"


def _kwargs_for(name: str, user) -> dict:
    if name in ("orgs:detail", "meetings:compliance_org"):
        from dangjian.orgs.selectors import home_org

        return {"pk": home_org(user).pk}
    return {}


def page_targets() -> list[dict]:
    targets = []
    for label, persona, names in PAGES:
        user = _user(persona) if persona else None
        path = None
        for name in names:
            try:
                path = reverse(name, kwargs=_kwargs_for(name, user) if user else {})
                break
            except NoReverseMatch:
                continue
        if path is None:
            targets.append({"label": label, "missing": f"not built in this version ({', '.join(names)})"})
            continue
        headers = {}
        if path.startswith("/api/"):
            _token, raw = ApiToken.issue(user)
            headers["Authorization"] = f"Bearer {raw}"
            path += "?limit=20"
        elif user is not None:
            headers["Cookie"] = _session_cookie(user)
        targets.append({"label": label, "path": path, "headers": headers})
    return targets


def data_counts() -> dict:
    from django.apps import apps

    counts = {}
    with unscoped("bench: counting rows"):
        for label in (
            "orgs.Org",
            "orgs.School",
            "orgs.Person",
            "orgs.Membership",
            "meetings.Meeting",
            "meetings.Attendance",
        ):
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            manager = getattr(model, "all_objects", model._default_manager)
            counts[label] = manager.count()
    with unscoped("bench"):
        from dangjian.orgs.models import Org

        counts["branches"] = Org.all_objects.filter(kind="branch").count()
    return counts


def derived() -> list[dict]:
    """Full recompute vs the SQL floor, and the incremental refresh: needs the meetings app's derived tables."""
    try:
        from dangjian.meetings import bench as meetings_bench  # provided by the meetings app
    except ImportError:
        return [{"case": "compliance recompute", "note": "not built in this version (meetings app)"}]
    return meetings_bench.measure()


def _roster_workbook(rows: int, school_name: str, branch_name: str) -> bytes:
    from openpyxl import Workbook

    from dangjian.orgs import idnumber
    from dangjian.orgs.roster import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名册")
    sheet.append([label for _key, label in COLUMNS])
    for i in range(rows):
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=i % 12000)
        number = idnumber.make("990101", birth, i // 12000 + 1)  # region 990101: never produced by the generator
        member = i % 3 == 0
        sheet.append(
            [
                f"压测{i}",
                "",
                number,
                "",
                "",
                school_name,
                branch_name if member else "",
                "教师",
                "",
                "正式党员" if member else "群众",
                "",
                "",
                "",
                "2010-07-01" if member else "",
                "2011-07-01" if member else "",
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def documents() -> list[dict]:
    from dangjian.orgs import services
    from dangjian.orgs.models import Org, OrgKind, School
    from dangjian.orgs.roster import import_xlsx

    results = []
    admin = _user("bench_county")
    with unscoped("bench: a school to import into"):
        county = Org.objects.filter(depth=1).order_by("path").first()
        branch = services.create_org(
            actor=None, kind=OrgKind.BRANCH, name=f"压测学校党支部{time.time_ns()}", parent=county
        )
        school = School.objects.create(name=f"压测学校{time.time_ns()}", stage="primary", org=branch)
    content = _roster_workbook(50_000, school.name, branch.name)
    started = time.perf_counter()
    result = import_xlsx(actor=admin, org=branch, upload=SimpleUploadedFile("roster.xlsx", content))
    seconds = time.perf_counter() - started
    results.append(
        {
            "case": "roster import, 50,000 rows",
            "seconds": round(seconds, 2),
            "ok": result.ok,
            "created": result.created,
            "target_seconds": 30,
        }
    )
    try:
        from dangjian.ledgers import bench as ledgers_bench  # provided by the ledgers app
    except ImportError:
        results.append({"case": "ledger PDF, one branch-year", "note": "not built in this version (ledgers app)"})
    else:
        results.extend(ledgers_bench.measure())
    return results


def table(report: dict) -> str:
    lines = [f"# make bench · {report['date']} · {report['machine']}", ""]
    if report.get("load_seconds") is not None:
        lines.append(f"province profile generated in {report['load_seconds']:.0f} s; rows: {report.get('data')}")
    lines += [
        "",
        "| case | req/s | × ceiling | p50 ms | p95 ms | p99 ms | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report.get("pages", []):
        if "rps" in row:
            notes = [f"page cache: {row['page_cache']}"] if row.get("page_cache") else []
            if row["errors"] or row["non2xx"]:
                notes.append(f"errors {row['errors'] + row['non2xx']}")
            lines.append(
                f"| {row['case']} | {row['rps']:.0f} | {row.get('ratio_to_ceiling', '')} | {row['p50']:.1f} | "
                f"{row['p95']:.1f} | {row['p99']:.1f} | {'; '.join(notes)} |"
            )
        else:
            lines.append(f"| {row['case']} | | | | | | {row.get('note', '')} |")
    lines += ["", "| derived / documents | seconds | × floor | target | note |", "|---|---:|---:|---|---|"]
    for row in report.get("derived", []) + report.get("documents", []):
        lines.append(
            f"| {row['case']} | {row.get('seconds', '')} | {row.get('ratio_to_floor', '')} | "
            f"{row.get('target', row.get('target_seconds', ''))} | {row.get('note', '')} |"
        )
    return "\n".join(lines)
