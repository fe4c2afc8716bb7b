"""The 我的 page: the signed-in person's latest messages, unread count and open items (待办)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.mypage import Section
from dangjian.messages import selectors


def sections(request) -> list[Section]:
    user = request.user
    context = {
        "latest": list(selectors.my_messages(user)[:5]),
        "unread": selectors.unread_count(user),
        "todo": selectors.my_todo(user),
    }
    return [Section(_("消息与待办"), "messages/_mine.html", context, order=5)]
