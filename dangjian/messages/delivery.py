"""From a message in the inbox to a person's channels: quiet hours, digests, retries.

`dispatch` (a periodic duty) looks at every Notification not handed on yet (other apps write them with
bulk_create, so no signal would see them), groups them per person and kind, and writes one Delivery per chosen
channel: one per message, or one digest from `digest_from` messages of a kind. During quiet hours (rule data
`delivery.yaml`: nights and rest days, safety kinds excepted) a delivery is HELD until they end; `release` (the
same duty) then folds what was held per person, channel and kind into one digest and queues a job per delivery.
A job claims its delivery with one conditional UPDATE, so it is sent once however often it is queued; a failure
is retried after the rule's intervals and, after the last attempt, shown to the county administrator.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from dangjian.core import rules, workdays
from dangjian.core.models import Notification

from .channels import ADAPTERS, ChannelError, Message, send_to_robot
from .models import Delivery, DeliveryStatus, Preference

STALE = dt.timedelta(minutes=15)  # a claimed delivery whose job vanished is queued again after this


def values(on: dt.date | None = None, org_path: str = "") -> dict[str, Any]:
    """The delivery rules in force; with the recipient's org, the county's own quiet hours (local overrides)."""
    return rules.rule_values("inbox", "delivery", on=on, org_path=org_path)


# The labels of rules/kinds.yaml, here only so that makemessages puts them in the catalogues (kind_label
# translates whatever the rule data says; tests/messages check this list covers it).
LABELS_FOR_TRANSLATION = [
    gettext_noop("会议到期提醒"),
    gettext_noop("会议通知与提醒"),
    gettext_noop("请假申请"),
    gettext_noop("请假审批结果"),
    gettext_noop("工作任务"),
    gettext_noop("师德事项"),
    gettext_noop("诉求办理"),
    gettext_noop("通知公告"),
    gettext_noop("消息汇总"),
    gettext_noop("安全提醒"),
    gettext_noop("决定执行情况报告提醒"),
    gettext_noop("其他消息"),
]


def kind_label(kind: str) -> str:
    labels = rules.rule_values("inbox", "kinds")["labels"]
    return _(labels.get(kind) or labels.get(kind.split(":")[0]) or labels["other"])


def _clock(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


def quiet_until(now: dt.datetime, kind: str, org_path: str = "") -> dt.datetime | None:
    """When quiet hours end, if `now` falls in them for this kind of message; None when it may go out now."""
    local = timezone.localtime(now)
    rule = values(local.date(), org_path)
    if kind in rule["exempt_kinds"] or kind.split(":")[0] in rule["exempt_kinds"]:
        return None
    start, end = _clock(rule["quiet_start"]), _clock(rule["quiet_end"])
    t = local.time()
    night = (t >= start or t < end) if start > end else (start <= t < end)

    def rest(day: dt.date) -> bool:
        return bool(rule["quiet_on_rest_days"]) and not workdays.is_workday(day)

    if not night and not rest(local.date()):
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    for _i in range(40):  # the longest holiday is 8 days; never loop for ever on a broken calendar
        if not rest(day):
            break
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), timezone.get_current_timezone())


def channels_for(user, kind: str, preferences: dict[tuple[int, str], list[str]]) -> list[str]:
    chosen = preferences.get((user.pk, kind))
    if chosen is None:
        chosen = preferences.get((user.pk, "*"))
    if chosen is None:
        chosen = list(values()["default_channels"])
    return [c for c in chosen if c in ADAPTERS and ADAPTERS[c].configured()]


def _person_org_id(user) -> int | None:
    try:
        return user.person.org_id
    except ObjectDoesNotExist:  # an account without a roster entry (the bootstrap administrator)
        return None


def absolute(url: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}" if url.startswith("/") and settings.PUBLIC_BASE_URL else url


def digest_title(kind: str, count: int) -> str:
    return _("您有%(n)d条%(kind)s（汇总）") % {"n": count, "kind": kind_label(kind)}


def inbox_url(kind: str) -> str:
    return f"{reverse('messages:inbox')}?kind={kind}"


def _org_path(user) -> str:
    person = getattr(user, "person", None)
    return person.org.path if person is not None and person.org_id else ""


def _deliveries(user, channel: str, kind: str, items: list[Notification], now: dt.datetime) -> list[Delivery]:
    held_until = quiet_until(now, kind, _org_path(user))
    common = {
        "user": user,
        "org_id": _person_org_id(user),
        "channel": channel,
        "kind": kind,
        "status": DeliveryStatus.HELD if held_until else DeliveryStatus.PENDING,
        "next_try_at": held_until or now,
        "created_at": now,
    }
    if len(items) >= values()["digest_from"]:
        body = "；".join(n.title for n in items[:5])
        return [
            Delivery(title=digest_title(kind, len(items)), body=body, url=inbox_url(kind), count=len(items), **common)
        ]
    return [Delivery(title=n.title, body=n.body, url=n.url, **common) for n in items]


@transaction.atomic
def dispatch(now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Hand the messages not yet looked at to their people's channels; returns the deliveries written."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(dispatched_at__isnull=True).select_related("user", "user__person__org")[:batch]
    )
    if not pending:
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(dispatched_at=now)
    cache.delete_many([f"messages:unread:{pk}" for pk in {n.user_id for n in pending}])  # the header counts
    groups: dict[tuple[int, str], list[Notification]] = defaultdict(list)
    for n in pending:
        groups[(n.user_id, n.kind_name)].append(n)
    preferences = {
        (p.user_id, p.kind): p.channel_list for p in Preference.objects.filter(user_id__in={n.user_id for n in pending})
    }
    created: list[Delivery] = []
    for (_user_id, kind), items in groups.items():
        user = items[0].user
        if not user.is_active:
            continue
        for channel in channels_for(user, kind, preferences):
            if ADAPTERS[channel].address(user):
                created.extend(_deliveries(user, channel, kind, items, now))
    Delivery.all_objects.bulk_create(created)
    return len(created)


def _fold_held(now: dt.datetime) -> int:
    """What was held through quiet hours goes out as one digest per person, channel and kind."""
    held = list(Delivery.all_objects.filter(status=DeliveryStatus.HELD, next_try_at__lte=now).order_by("id"))
    groups: dict[tuple, list[Delivery]] = defaultdict(list)
    for d in held:
        groups[(d.user_id, d.robot_id, d.channel, d.kind)].append(d)
    folded = 0
    for (_u, _r, _c, kind), rows in groups.items():
        first = rows[0]
        count = sum(r.count for r in rows)
        if count >= values()["digest_from"] and first.robot_id is None:
            first.title, first.url = digest_title(kind, count), inbox_url(kind)
            first.body = "；".join(r.title for r in rows[:5])
            first.count = count
            first.save(update_fields=["title", "url", "body", "count"])
            Delivery.all_objects.filter(pk__in=[r.pk for r in rows[1:]]).delete()
            folded += len(rows) - 1
    Delivery.all_objects.filter(pk__in=[d.pk for d in held]).update(status=DeliveryStatus.PENDING)
    return folded


def release(now: dt.datetime | None = None) -> int:
    """Queue a job for every delivery due now (new, retried, held past quiet hours, or abandoned mid-send)."""
    now = now or timezone.now()
    with transaction.atomic():
        _fold_held(now)
        due = list(
            Delivery.all_objects.filter(
                Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING), next_try_at__lte=now
            ).values_list("pk", flat=True)[:5000]
        )
        for pk in due:
            transaction.on_commit(functools.partial(deliver_job.enqueue, pk))
    return len(due)


def run(now: dt.datetime | None = None) -> str:
    """The periodic duty: dispatch new messages, then release what is due."""
    return f"dispatched {dispatch(now)}, queued {release(now)}"


def _send(delivery: Delivery) -> None:
    message = Message(delivery.title, delivery.body, absolute(delivery.url))
    robot = delivery.robot
    if robot is not None:
        send_to_robot(channel=robot.channel, url=robot.url, secret=robot.secret, message=message)
        return
    adapter = ADAPTERS[delivery.channel]
    to = adapter.address(delivery.user) if delivery.user_id else ""
    if not to or not adapter.configured():
        raise ChannelError(f"{delivery.channel}: no address or not configured")
    adapter.send(to=to, message=message)


def deliver(delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery once: claim it, respect quiet hours, send, record the outcome or schedule a retry."""
    now = now or timezone.now()
    claimed = Delivery.all_objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_try_at__lte=now
    ).update(status=DeliveryStatus.SENDING, next_try_at=now + STALE)
    if not claimed:
        return "skipped"
    delivery = Delivery.all_objects.select_related("user", "robot", "org").get(pk=delivery_id)
    held_until = quiet_until(now, delivery.kind, delivery.org.path if delivery.org else "")
    if held_until:
        delivery.status, delivery.next_try_at = DeliveryStatus.HELD, held_until
        delivery.save(update_fields=["status", "next_try_at"])
        return "held"
    rule = values(timezone.localtime(now).date())
    delivery.attempts += 1
    try:
        _send(delivery)
    except ChannelError as exc:
        delivery.last_error = str(exc)[:300]
        if delivery.attempts >= rule["attempts"]:
            delivery.status = DeliveryStatus.FAILED
        else:
            waits = rule["retry_minutes"]
            delivery.status = DeliveryStatus.PENDING
            delivery.next_try_at = now + dt.timedelta(minutes=waits[min(delivery.attempts, len(waits)) - 1])
    else:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
    delivery.save(update_fields=["status", "attempts", "last_error", "next_try_at", "sent_at"])
    return delivery.status


@task()
def deliver_job(delivery_id: int) -> str:
    """The job: one delivery on one channel (queued by `release`, after the transaction that made it due)."""
    return deliver(delivery_id)
