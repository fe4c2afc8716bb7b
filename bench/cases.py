"""What `make bench` measures, run inside Django against the bench database (see bench/run.py)."""

from __future__ import annotations

import datetime as dt
import io
import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from bench import derived as compliance_measures
from bench import ledger, traffic
from dangjian.core.models import ApiToken
from dangjian.core.scoping import home_org, unscoped

# Each page case: label, persona, URL name, and the single-user budget (server time p50, ms; issue 15).
PAGES = [
    ("hello-world (ceiling)", None, "bench_hello", None),
    ("member home page", "member1", "core:home", 30),
    ("member: 我的", "member1", "core:me", 30),
    ("member: meetings list", "member1", "meetings:index", 30),
    ("member: meeting detail", "member1", "meetings:detail", 30),
    ("secretary: my organization (roster)", "secretary1", "orgs:detail", 30),
    ("secretary: compliance page", "secretary1", "meetings:compliance_org", 30),
    ("county dashboard (one county of the province)", "bench_county", "insights:dashboard", 80),
    ("county lag view", "bench_county", "meetings:county", 80),
    ("API list: people (20 a page)", "secretary1", "api:list_people", 30),
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


def _kwargs_for(name: str, user) -> dict:
    if name in ("orgs:detail", "meetings:compliance_org"):
        return {"pk": home_org(user).pk}
    if name == "meetings:detail":
        from dangjian.meetings.models import Meeting

        with unscoped("bench: a meeting of the member's branch"):
            meeting = Meeting.objects.filter(org=home_org(user), status="held").order_by("-starts_at").first()
        return {"pk": meeting.pk}
    return {}


def page_targets() -> list[dict]:
    targets = []
    for label, persona, name, budget in PAGES:
        user = _user(persona) if persona else None
        try:
            path = reverse(name, kwargs=_kwargs_for(name, user) if user else {})
        except NoReverseMatch:
            targets.append({"label": label, "missing": f"not built in this version ({name})"})
            continue
        headers = {}
        if path.startswith("/api/"):
            _token, raw = ApiToken.issue(user)
            headers["Authorization"] = f"Bearer {raw}"
            path += "?limit=20"
        elif user is not None:
            headers["Cookie"] = traffic.session_cookie(user)
        targets.append({"label": label, "path": path, "headers": headers, "budget_ms": budget})
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
    """Full recompute vs the SQL floor, and the incremental refresh (bench/derived.py)."""
    return compliance_measures.measure()


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
        # The last county, not the first: the pages measure the first county (its dashboard, its members), and each
        # run adds 50,000 people to the county it imports into.
        county = Org.objects.filter(depth=1).order_by("-path").first()
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
    results.extend(ledger.measure())
    return results


def _latency_row(row: dict, ratio: str = "") -> str:
    notes = []
    if row.get("errors") or row.get("non2xx"):
        notes.append(f"errors {row['errors'] + row['non2xx']}")
    return (
        f"| {row['case']} | {row['rps']:.0f} | {ratio} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | "
        f"{'; '.join(notes)} |"
    )


def table(report: dict) -> str:
    lines = [f"# make bench · {report['date']} · {report['machine']}", ""]
    if report.get("load_seconds") is not None:
        lines.append(f"province profile generated in {report['load_seconds']:.0f} s; rows: {report.get('data')}")
    if report.get("single_user"):
        lines += ["", "| one user, no page cache | p50 ms | budget ms | p95 ms | req/s |", "|---|---:|---:|---:|---:|"]
        for row in report["single_user"]:
            if "p50" not in row:
                lines.append(f"| {row['case']} | | | | {row.get('note', '')} |")
                continue
            met = "met" if row["p50"] <= row["budget_ms"] else "MISSED"
            lines.append(
                f"| {row['case']} | {row['p50']:.1f} | {row['budget_ms']} ({met}) | {row['p95']:.1f} | {row['rps']:.0f} |"
            )
    lines += [
        "",
        "| case | req/s | × ceiling | p50 ms | p95 ms | p99 ms | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report.get("ceiling", []):
        lines.append(_latency_row(row, "1.0"))
    for row in report.get("mix", []):
        lines.append(_latency_row(row, str(row.get("ratio_to_ceiling", ""))))
        lines.append(f"| · the writer beside it | {row['writer']} | | | | | |")
    for row in report.get("pages", []):
        lines.append(_latency_row(row, str(row.get("ratio_to_ceiling", ""))))
    for burst in report.get("contest") or []:
        lines.append(
            f"| {burst['case']} | {burst['rps']:.0f} | | {burst['p50']} | {burst['p95']} | {burst['p99']} | "
            f"statuses {burst['statuses']}; {burst['submitted_in_database']} submitted in the database, "
            f"{burst['lost']} lost; {burst['compression']} |"
        )
    lines += ["", "| derived / documents | seconds | × floor | target | note |", "|---|---:|---:|---|---|"]
    for row in report.get("derived", []) + report.get("documents", []):
        lines.append(
            f"| {row['case']} | {row.get('seconds', '')} | {row.get('ratio_to_floor', '')} | "
            f"{row.get('target', row.get('target_seconds', ''))} | {row.get('note', '')} |"
        )
    return "\n".join(lines)
