"""Real traffic for `make bench` (see BENCHMARKS.md), run inside Django against the bench database:

- the realistic mix: thousands of distinct signed-in users (members, secretaries and county staff, 85/13/2), each
  request the next (user, page) of a shuffled list, so that consecutive requests are different users and pages;
  `requests_file` writes that list for bench/mix.lua (wrk);
- `writer`, run as its own process during the mix: meetings and training records written through the services at
  a steady rate;
- the knowledge-contest: thousands of members of one county submit their answers, paced at the contest's peak
  arrival rate (the latency a member sees) and all at once over 32 connections (how fast the server absorbs
  them); each time the submitted attempts are counted.
"""

from __future__ import annotations

import datetime as dt
import http.client
import queue
import random
import statistics
import threading
import time
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.crypto import get_random_string

from bench import derived
from dangjian.core.models import ApiToken
from dangjian.core.scoping import unscoped

# Of the users signed in on a busy day: members, branch secretaries, county staff.
SHARES = {"member": 0.85, "secretary": 0.13, "county": 0.02}
PREFIX = {"member": "bench_mix_m", "secretary": "bench_mix_s", "county": "bench_mix_c", "contest": "bench_contest_"}
MEMBER_STAGES = ("full", "probationary")


def _sample(queryset, field: str, count: int) -> list:
    """`count` rows spread over the whole province: every k-th by `field`, not the first county's."""
    total = queryset.count()
    step = max(1, total // max(count, 1))
    return list(queryset.alias(_spread=Mod(field, step)).filter(_spread=0).order_by(field)[:count])


def _users_for(kind: str, rows: list[tuple]) -> list:
    """One bench user per (key, org, person, role) row, with its grant, made once and reused by later runs."""
    from dangjian.orgs.models import Grant, Person

    User = get_user_model()
    names = {f"{PREFIX[kind]}{key}": (org_id, person_id, role) for key, org_id, person_id, role in rows}
    existing = set(User.objects.filter(username__in=list(names)).values_list("username", flat=True))
    fresh = [User(username=name, first_name="压测用户") for name in names if name not in existing]
    for user in fresh:
        user.set_unusable_password()
    User.objects.bulk_create(fresh, batch_size=1000)
    users = {u.username: u for u in User.objects.filter(username__in=list(names))}
    if fresh:
        with unscoped("bench: grants and people of the bench users"):
            Grant.all_objects.bulk_create(
                [Grant(user=users[u.username], org_id=names[u.username][0], role=names[u.username][2]) for u in fresh],
                batch_size=1000,
            )
            for user in fresh:
                person_id = names[user.username][1]
                if person_id is not None:
                    Person.all_objects.filter(pk=person_id, user__isnull=True).update(user=user)
    return [users[name] for name in names]


def _free(kind: str, user_field: str) -> Q:
    """People without an account yet, or with the bench account of an earlier run (so --reuse picks them again)."""
    return Q(**{f"{user_field}__isnull": True}) | Q(**{f"{user_field}__username__startswith": PREFIX[kind]})


def personas(total: int) -> dict[str, list]:
    """The signed-in users of the mix: {kind: [(user, org_id, person_id)]}."""
    from dangjian.orgs.models import Membership, Org, Position

    counts = {kind: max(1, round(total * share)) for kind, share in SHARES.items()}
    with unscoped("bench: people to sign in"), transaction.atomic():
        members = _sample(
            Membership.all_objects.filter(
                _free("member", "person__user"),
                stage__in=MEMBER_STAGES,
                person__is_active=True,
                person__org__kind="branch",
            ).values_list("person_id", "person__org_id"),
            "person_id",
            counts["member"],
        )
        secretaries = _sample(
            Position.all_objects.filter(
                _free("secretary", "person__user"), post="secretary", ended_on__isnull=True, org__kind="branch"
            ).values_list("person_id", "org_id"),
            "person_id",
            counts["secretary"],
        )
        counties = list(Org.all_objects.filter(depth=1).order_by("path").values_list("pk", flat=True))
        staff = [(i, counties[i % len(counties)]) for i in range(counts["county"])]
        return {
            "member": _signed_in("member", [(p, o, p) for p, o in members]),
            "secretary": _signed_in("secretary", [(p, o, p) for p, o in secretaries]),
            "county": _signed_in("county", [(i, o, None) for i, o in staff], role="county_admin"),
        }


def _signed_in(kind: str, rows: list[tuple], role: str | None = None) -> list[tuple]:
    """[(user, org_id, person_id)] for rows of (key, org_id, person_id)."""
    users = _users_for(kind, [(key, org, person, role or kind) for key, org, person in rows])
    return [(user, org, person) for user, (_key, org, person) in zip(users, rows, strict=True)]


def session_cookie(user) -> str:
    """A signed-in browser's cookies: a session in the server's session store, and the CSRF cookie its first page
    set."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}; {settings.CSRF_COOKIE_NAME}={get_random_string(32)}"


def _latest_meetings(org_ids: set[int]) -> dict[int, int]:
    from dangjian.meetings.models import Meeting

    with unscoped("bench: a meeting each user's organization held"):
        rows = (
            Meeting.all_objects.filter(org_id__in=org_ids, status="held")
            .order_by("org_id", "-starts_at")
            .distinct("org_id")
            .values_list("org_id", "id")
        )
        return dict(rows)


def pages_of(kind: str, org_id: int, meeting_id: int | None) -> list[str]:
    """What each kind of user opens on a working day."""
    if kind == "county":
        return ["/insights/", "/meetings/county/", "/", "/api/v1/orgs/people?limit=20"]
    pages = ["/", "/me/", "/meetings/", f"/orgs/{org_id}/"]
    if meeting_id:
        pages.append(f"/meetings/{meeting_id}/")
    if kind == "secretary":
        pages += [f"/meetings/compliance/{org_id}/", "/api/v1/orgs/people?limit=20"]
    return pages


def requests_file(path, *, users: int, rounds: int, seed: int = 1) -> dict:
    """Write the mix's requests, one per line (path, header name, header value), and say what they are."""
    rng = random.Random(seed)
    people = personas(users)
    meetings = _latest_meetings({org for kind in ("member", "secretary") for _u, org, _p in people[kind]})
    entries, sample = [], []
    for kind, rows in people.items():
        for user, org_id, _person in rows:
            cookie = session_cookie(user)
            token = None
            pages = pages_of(kind, org_id, meetings.get(org_id))
            for _ in range(rounds):
                page = rng.choice(pages)
                if page.startswith("/api/"):
                    token = token or ApiToken.issue(user)[1]
                    entries.append((page, "Authorization", f"Bearer {token}", kind))
                else:
                    entries.append((page, "Cookie", cookie, kind))
    rng.shuffle(entries)
    with open(path, "w", encoding="utf-8") as out:
        for page, name, value, _kind in entries:
            out.write(f"{page}\t{name}\t{value}\n")
    for kind in people:  # one request of each kind and page is checked for a 200 before the load
        seen = set()
        for page, name, value, entry_kind in entries:
            shape = (entry_kind, page.split("/")[1], page.count("/"))
            if entry_kind == kind and shape not in seen:
                seen.add(shape)
                sample.append((page, {name: value}))
    return {
        "users": {kind: len(rows) for kind, rows in people.items()},
        "requests_listed": len(entries),
        "by_kind": {kind: sum(1 for e in entries if e[3] == kind) for kind in people},
        "check": sample,
    }


# --- the writer: meetings and training at a steady rate ---------------------------------------------------------


def writer(seconds: float, rate: float, seed: int = 2) -> dict:
    """Alternately record a meeting (a secretary, their branch) and a training record (a member, for themselves)
    through the services, `rate` writes a second for `seconds`. Returns what was written and how long it took."""
    from dangjian.learning import services as learning
    from dangjian.orgs.models import Person

    User = get_user_model()
    rng = random.Random(seed)
    with unscoped("bench: the writers"):
        # A person sampled both as a member and as a secretary signs in as the member only.
        secretaries = list(User.objects.filter(username__startswith=PREFIX["secretary"], person__isnull=False))
        members = list(
            User.objects.filter(username__startswith=PREFIX["member"], person__isnull=False).select_related(
                "person", "person__org"
            )
        )
    latencies, errors, counts = [], [], {"meetings": 0, "training": 0}
    started = time.perf_counter()
    n = 0
    while True:
        due = started + n / rate
        now = time.perf_counter()
        if due - started >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        t0 = time.perf_counter()
        try:
            if n % 2 == 0:
                user = rng.choice(secretaries)
                with unscoped("bench: the secretary's branch"):
                    person = Person.all_objects.select_related("org").get(user=user)
                derived.record_theme_day(actor=user, org=person.org, host=person, number=n)
                counts["meetings"] += 1
            else:
                user = rng.choice(members)
                learning.add_training_record(
                    actor=user,
                    person=user.person,
                    ledger="party_training",
                    category="在线学习",
                    title=f"压测：在线学习 {n}",
                    day=timezone.localdate(),
                    hours=Decimal("1.0"),
                )
                counts["training"] += 1
        except Exception as exc:  # reported, never hidden: a failed write is a finding
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        latencies.append((time.perf_counter() - t0) * 1000)
        n += 1
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return {
        **counts,
        "errors": len(errors),
        "first_errors": errors[:3],
        "writes_per_second": round((counts["meetings"] + counts["training"]) / elapsed, 2),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


# --- the knowledge-contest burst --------------------------------------------------------------------------------


def contest_setup(members: int) -> dict:
    """A contest of the first county, open now, with one started attempt for each of `members` members (their
    papers drawn, as when each opened the contest page): what the burst then submits."""
    from dangjian.learning import services
    from dangjian.learning.models import Attempt, Question, QuestionBank
    from dangjian.orgs.models import Grant, Membership, Org

    User = get_user_model()
    with unscoped("bench: the contest's county, bank and members"):
        county = Org.all_objects.filter(depth=1).order_by("path").first()
        banks = [b for b in QuestionBank.all_objects.select_related("org") if county.path.startswith(b.org.path)]
        bank = max(banks, key=lambda b: b.questions.count())
        kinds = dict(
            Question.all_objects.filter(bank=bank, kind__in=["single", "true_false"])
            .values_list("kind")
            .annotate(n=Count("id"))
        )
        rows = list(
            Membership.all_objects.filter(
                _free("contest", "person__user"),
                stage__in=MEMBER_STAGES,
                person__is_active=True,
                person__org__path__startswith=county.path,
            )
            .order_by("person_id")
            .values_list("person_id", "person__org_id")[:members]
        )
    admin, _ = User.objects.get_or_create(username=f"{PREFIX['county']}contest", defaults={"first_name": "压测"})
    with unscoped("bench: the contest organizer"):
        Grant.all_objects.get_or_create(user=admin, org=county, role="county_admin")
    now = timezone.now()
    contest = services.create_contest(
        actor=admin,
        org=county,
        bank=bank,
        title=f"压测：县知识竞赛 {now:%Y%m%d%H%M%S}",
        draw_rules=[{"kind": kind, "topic": "", "count": min(10, n)} for kind, n in sorted(kinds.items())],
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=2),
    )
    users = _users_for("contest", [(p, o, p, "member") for p, o in rows])
    started = time.perf_counter()
    attempts = []
    for user in users:
        attempt = services.start_attempt(actor=user, contest=contest)
        attempts.append((attempt.pk, [entry["q"] for entry in attempt.paper], session_cookie(user)))
    setup_seconds = time.perf_counter() - started
    with unscoped("bench: count"):
        opened = Attempt.all_objects.filter(contest=contest).count()
    return {"contest": contest.pk, "attempts": attempts, "opened": opened, "start_seconds": round(setup_seconds, 1)}


def contest_burst(port: int, setup: dict, connections: int, *, rate: float | None = None) -> dict:
    """Every prepared attempt submitted once; then the submitted attempts are counted in the database.

    rate=None: all at once over `connections` kept-alive connections (a closed loop: how fast the server absorbs
    the contest; the latency is queueing). rate=R: paced, an open loop of Poisson arrivals at R a second, each
    latency taken from its scheduled moment (a submission that waited for a free client counts that wait too):
    the latency a member sees at that arrival rate."""
    from dangjian.learning.models import Attempt

    schedule = random.Random(3)
    moment = 0.0
    work: queue.Queue = queue.Queue()
    for item in setup["attempts"]:
        if rate:
            moment += schedule.expovariate(rate)
        work.put((moment if rate else None, item))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                due, (pk, questions, cookie) = work.get_nowait()
            except queue.Empty:
                break
            token = cookie.rsplit("=", 1)[1]
            body = "&".join([f"csrfmiddlewaretoken={token}", *(f"q{q}=A" for q in questions)])
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
            if due is not None:
                time.sleep(max(0.0, started + due - time.perf_counter()))
            t0 = time.perf_counter() if due is None else started + due
            try:
                connection.request("POST", f"/learning/attempts/{pk}/submit/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    with unscoped("bench: count the answers"):
        submitted = Attempt.all_objects.filter(contest_id=setup["contest"], submitted_at__isnull=False).count()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[int(p * (len(ordered) - 1))], 1)

    sent = len(setup["attempts"])
    if rate:
        case = f"knowledge-contest, paced: {sent} submissions arriving at {rate:g} a second"
        client_text = f"Python threads, http.client, Poisson arrivals at {rate:g}/s, up to {connections} in flight"
    else:
        case = f"knowledge-contest burst: {sent} members submit answers at once"
        client_text = f"Python threads, http.client, {connections} kept-alive connections"
    return {
        "case": case,
        "client": client_text,
        "submissions": sent,
        "seconds": round(seconds, 1),
        "rps": round(sent / seconds, 1),
        "compression": f"10 min of a contest compressed into {seconds:.0f} s ({600 / seconds:.1f}×)",
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50": pct(0.5),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "submitted_in_database": submitted,
        "lost": sent - submitted,
        "start_seconds": setup["start_seconds"],
    }
