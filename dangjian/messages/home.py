"""The home page's notice for the county administrator: messages that could not be delivered, while any are."""

from django.urls import reverse
from django.utils.translation import ngettext

from dangjian.core.homepage import Notice
from dangjian.core.scoping import has_capability
from dangjian.messages import selectors


def notices(request) -> list[Notice]:
    if not has_capability(request.user, "inbox.view_deliveries"):
        return []
    failed = selectors.failed_deliveries(request.user).count()
    if not failed:
        return []
    text = ngettext("%(n)d条消息发送失败", "%(n)d条消息发送失败", failed) % {"n": failed}
    return [Notice(text, reverse("messages:failures"))]
