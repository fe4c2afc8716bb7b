"""The 我的 page: the students the signed-in member is paired with (shown only if there are any)."""

from django.utils.translation import gettext_lazy as _

from dangjian.care import selectors
from dangjian.core.mypage import Section


def sections(request) -> list[Section]:
    # The lines name the student and their school: the member's own person and org need not be joined.
    pairings = selectors.pairings(request.user).select_related(None).select_related("student", "student__school")
    mine = list(pairings.filter(member__user=request.user)[:20])
    if not mine:
        return []
    return [Section(_("我的结对帮扶"), "care/_mine.html", {"pairings": mine}, order=45)]
