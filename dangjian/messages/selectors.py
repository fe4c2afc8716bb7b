"""Reads of the messages app. A person's messages are theirs alone (core.Notification.user); notices go through the
scoping layer (sender side: the notice's org; receiving side: the recipient org)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.core import todo
from dangjian.core.models import Notification
from dangjian.core.scoping import has_capability, prefixes, scoped
from dangjian.orgs.models import Org

from .delivery import kind_label
from .models import Address, Delivery, DeliveryStatus, Notice, NoticeAttachment, NoticeRecipient, OrgRobot, Preference


def my_messages(user, kind: str = "") -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if kind:
        # Old rows carry their kind only in the dedupe key: the kind is its first one or two parts.
        qs = qs.filter(Q(kind=kind) | Q(kind="", dedupe_key__startswith=f"{kind}:") | Q(kind="", dedupe_key=kind))
    return qs


def message_for(user, pk: int) -> Notification:
    """One's own message; another person's answers 404, as a missing one does."""
    found = Notification.objects.filter(user=user, pk=pk).first()
    if found is None:
        raise Http404
    return found


# The header's count is read from the cache: counted at login, again when one reads a message, when the duty hands
# new messages on (messages.deliver, every 5 minutes) and at the latest after this many seconds.
UNREAD_SECONDS = 300


def _unread_key(user) -> str:
    return f"messages:unread:{user.pk}"


def unread_count(user, *, fresh: bool = False) -> int:
    """The header count on every page: cached briefly, so that a page costs no query for it."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = None if fresh else cache.get(_unread_key(user))
    if cached is None:
        cached = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(_unread_key(user), cached, UNREAD_SECONDS)
    return cached


def forget_unread(user) -> None:
    cache.delete(_unread_key(user))


@dataclass
class Group:
    """Messages of one kind on one day: shown as one line when there are several (the daily digest)."""

    kind: str
    label: str
    day: dt.date
    items: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)

    @property
    def first(self) -> Notification:
        return self.items[0]


def grouped(messages: list[Notification]) -> list[Group]:
    """Newest first; repeats of a kind on the same day fold into one group."""
    groups: dict[tuple[str, dt.date], Group] = {}
    for n in messages:
        kind = n.kind_name
        day = timezone.localtime(n.created_at).date()
        key = (kind, day)
        if key not in groups:
            groups[key] = Group(kind, kind_label(kind), day)
        groups[key].items.append(n)
    return list(groups.values())


def kinds_seen(user) -> list[tuple[str, str]]:
    keys = Notification.objects.filter(user=user).values_list("kind", "dedupe_key").distinct()[:500]
    found = {k or Notification(dedupe_key=d).kind_name for k, d in keys}
    return sorted(((k, kind_label(k)) for k in found), key=lambda p: p[1])


def my_todo(user, today: dt.date | None = None) -> list[todo.Item]:
    return todo.items(user, today or timezone.localdate())


def preferences(user) -> dict[str, list[str]]:
    return {p.kind: p.channel_list for p in Preference.objects.filter(user=user)}


def addresses(user) -> dict[str, str]:
    return dict(Address.objects.filter(user=user).values_list("channel", "value"))


# --- deliveries (county administrator) ---------------------------------------------------------------------------


def failed_deliveries(user) -> QuerySet[Delivery]:
    return (
        scoped(user, Delivery, own=False)
        .filter(status=DeliveryStatus.FAILED)
        .select_related("org", "user", "robot")
        .order_by("-next_try_at", "-id")
    )


def delivery_counts(user) -> dict[str, int]:
    rows = scoped(user, Delivery, own=False).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def robots(user) -> QuerySet[OrgRobot]:
    return scoped(user, OrgRobot).select_related("org")


def robot_orgs(user) -> QuerySet[Org]:
    return scoped(user, Org, "inbox.view_deliveries").filter(dissolved_on__isnull=True)


# --- notices ------------------------------------------------------------------------------------------------------


def _received_q(user) -> Q:
    orgs = scoped(user, NoticeRecipient).values_list("notice_id", flat=True)
    return Q(pk__in=list(orgs))


def notices(user) -> QuerySet[Notice]:
    """Notices the user's orgs sent or received, newest first."""
    return (
        scoped(user, Notice, extra=_received_q(user))
        .select_related("org")
        .annotate(n_recipients=Count("recipients", distinct=True))
        .order_by("-sent_at", "-id")
    )


def notice_for(user, pk: int) -> Notice:
    found = scoped(user, Notice, extra=_received_q(user)).select_related("org", "assignment").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def attachment_for(user, notice: Notice, pk: int) -> NoticeAttachment:
    found = NoticeAttachment.all_objects.filter(notice=notice, pk=pk).first()  # the notice was authorized above
    if found is None:
        raise Http404
    return found


def is_sender(user, notice: Notice) -> bool:
    return has_capability(user, "inbox.send_notice", notice.org.path)


def my_receipts(user, notice: Notice) -> QuerySet[NoticeRecipient]:
    """The receiving rows of this notice the user may 签收 (their own orgs)."""
    return scoped(user, NoticeRecipient, "inbox.acknowledge").filter(notice=notice).select_related("org")


def recipients(notice: Notice) -> QuerySet[NoticeRecipient]:
    """For the sender: every receiving org (签收 shown only for official documents)."""
    return NoticeRecipient.all_objects.filter(notice=notice).select_related("org", "acknowledged_by")


def acknowledged_count(notice: Notice) -> int:
    if not notice.official:
        return 0
    return NoticeRecipient.all_objects.filter(notice=notice, acknowledged_at__isnull=False).count()


def sending_orgs(user) -> QuerySet[Org]:
    return scoped(user, Org, "inbox.send_notice").filter(dissolved_on__isnull=True).order_by("path")


def receiving_orgs(user) -> QuerySet[Org]:
    """Orgs below the top of each subtree where the user sends notices."""
    roots = prefixes(user, "inbox.send_notice")
    return sending_orgs(user).exclude(path__in=roots)


def public_notices(limit: int = 10) -> list[Notice]:
    return list(Notice.all_objects.filter(public=True).select_related("org").order_by("-sent_at", "-id")[:limit])


def public_notice(pk: int) -> Notice:
    found = Notice.all_objects.filter(public=True, pk=pk).select_related("org").first()
    if found is None:
        raise Http404
    return found
