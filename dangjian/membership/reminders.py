"""换届 reminders: the branch's secretaries (and the school's and county's administrators above it) are told when the
committee's term ends within the rule's lead time (上级一般提前6个月提醒). One notification per person and term,
deduplicated, so the duty may run as often as wanted. They inform; they ask for no reply."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.models import Notification
from dangjian.core.scoping import unscoped
from dangjian.membership.selectors import term_state
from dangjian.orgs.models import Grant, Org, OrgKind

REMINDED_ROLES = ("secretary", "school_admin", "county_admin")


def send(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    with unscoped("membership reminders: branches with a term"):
        orgs = list(Org.objects.filter(kind=OrgKind.BRANCH, is_active=True, term_started_on__isnull=False))
        due = [row for row in (term_state(o, today) for o in orgs) if row.state in ("due", "overdue")]
        if not due:
            return 0
        paths = {p for row in due for p in row.org.ancestor_paths()}
        grants = list(
            Grant.objects.filter(org__path__in=paths, role__in=REMINDED_ROLES, revoked_at__isnull=True)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            .select_related("user", "org")
        )
    candidates = []
    for row in due:
        ancestors = set(row.org.ancestor_paths())
        for grant in grants:
            if grant.org.path not in ancestors or (grant.role == "secretary" and grant.org_id != row.org.pk):
                continue
            title = (
                _("%(org)s：本届支部委员会任期已于%(d)s届满，请抓紧换届")
                if row.state == "overdue"
                else _("%(org)s：本届支部委员会任期将于%(d)s届满")
            ) % {"org": row.org.name, "d": row.ends_on.isoformat()}
            body = _("请提前做好换届选举的准备；延长或提前换届须报上级党组织批准。本提醒无需回复。")
            key = f"membership:term:{row.org.pk}:{row.ends_on.isoformat()}:{row.state}"
            candidates.append((grant.user, title, body, reverse("membership:terms"), key))
    sent = set(
        Notification.objects.filter(dedupe_key__in={c[4] for c in candidates}).values_list("user_id", "dedupe_key")
    )
    new = []
    for user, title, body, url, key in candidates:
        if (user.pk, key) in sent or not user.is_active:
            continue
        sent.add((user.pk, key))
        new.append(Notification(user=user, title=title, body=body, url=url, dedupe_key=key))
    Notification.objects.bulk_create(new)
    return len(new)
