"""我的: the signed-in person's meetings attended, leave taken, upcoming meetings and training hours."""

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.mypage import Section
from dangjian.meetings import selectors


def sections(request):
    user = request.user
    if getattr(user, "person", None) is None:
        return []
    year = timezone.localdate().year
    upcoming, summary = selectors.my_meetings(user, year, upcoming=10)
    return [
        Section(_("待参加的会议"), "meetings/_mine_upcoming.html", {"rows": upcoming}, order=20),
        Section(
            _("%(y)d年组织生活") % {"y": year},
            "meetings/_mine_year.html",
            {"summary": summary, "rows": summary.recent},
            order=21,
        ),
    ]
