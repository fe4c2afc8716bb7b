"""Home notices for the secretary of a branch: members with 6 consecutive months of dues unpaid (党章第九条 is for
the 支部大会 to apply; the platform only tells), and transfers waiting for this branch to accept."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from dangjian.core.homepage import Notice
from dangjian.membership import selectors
from dangjian.membership.models import TransferKind, TransferStatus

# A secretary manages one branch or a few; a county administrator reads the county pages instead of a notice
# that would compute every branch's ledger on the home page.
MAX_BRANCHES = 3


def notices(request) -> list[Notice]:
    user = request.user
    branches = list(selectors.branches(user, "membership.manage")[: MAX_BRANCHES + 1])
    if not branches or len(branches) > MAX_BRANCHES:
        return []
    found = []
    month = timezone.localdate().replace(day=1)
    for org in branches:
        lapsed = sum(1 for r in selectors.ledger(user, org, month) if r.standing.lapse_flag)
        if lapsed:
            text = ngettext(
                "%(org)s：%(n)d名党员已连续6个月未交纳党费，请了解情况",
                "%(org)s：%(n)d名党员已连续6个月未交纳党费，请了解情况",
                lapsed,
            ) % {"org": org.name, "n": lapsed}
            found.append(Notice(text, reverse("membership:dues_branch", args=[org.pk])))
    waiting = (
        selectors.transfers(user)
        .filter(kind=TransferKind.IN_COUNTY, status=TransferStatus.REQUESTED, to_org__in=branches)
        .count()
    )
    if waiting:
        text = ngettext("%(n)d件组织关系转接待本支部接收", "%(n)d件组织关系转接待本支部接收", waiting) % {"n": waiting}
        found.append(Notice(text, reverse("membership:transfers")))
    return found
