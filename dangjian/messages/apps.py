from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class MessagesConfig(AppConfig):
    name = "dangjian.messages"
    # django.contrib.messages holds the label "messages"; URLs and API paths still read "messages" (they come from
    # the module name, core.extensions.label).
    label = "inbox"
    verbose_name = _("消息")
    # The inbox is the header's 消息 link on every page; delivery failures reach the county administrator as a
    # home-page notice (home.py) while there are any.
    nav = [NavItem(_("通知公告"), "messages:notices", "inbox.view_notices", 6)]

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dangjian.messages.signals import count_unread_at_login

        user_logged_in.connect(count_unread_at_login, dispatch_uid="messages.count_unread_at_login")
