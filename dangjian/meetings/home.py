"""Where the meetings work is: the county view of overdue meetings (for county roles the lag view does not take),
the branch home and 记录会议 for secretaries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.homepage import Landing, Shortcut
from dangjian.core.scoping import has_capability
from dangjian.meetings import selectors

# A secretary of several groups gets one button per organization, up to this many; the rest are on the branch home.
SHORTCUTS = 3


def landing(request) -> Landing | None:
    # The county's daily question is who is behind: its view lists every branch, most overdue first.
    if has_capability(request.user, "meetings.view_county"):
        return Landing(reverse("meetings:county"), rank=10)
    if selectors.recordable_orgs(request.user).exists():
        return Landing(reverse("meetings:index"), rank=20)
    return None


def shortcuts(request) -> list[Shortcut]:
    if has_capability(request.user, "meetings.view_county"):
        return []
    orgs = list(selectors.recordable_orgs(request.user)[: SHORTCUTS + 1])
    if len(orgs) > SHORTCUTS:
        return [Shortcut(_("记录会议"), reverse("meetings:index"))]
    if len(orgs) == 1:
        return [Shortcut(_("记录会议"), reverse("meetings:record_new", args=[orgs[0].pk]))]
    return [
        Shortcut(_("记录会议 · %(org)s") % {"org": org.name}, reverse("meetings:record_new", args=[org.pk]))
        for org in orgs
    ]
