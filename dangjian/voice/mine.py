"""The 我的 page: the signed-in person's own concerns."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.mypage import Section
from dangjian.voice import selectors


def sections(request) -> list[Section]:
    mine = list(selectors.concerns_submitted_by(request.user)[:10])
    return [Section(_("我提交的诉求"), "voice/_mine.html", {"concerns": mine}, order=40)]
