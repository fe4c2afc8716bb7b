from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    verbose_name = _("组织生活")
    nav = [
        NavItem(_("组织生活"), "meetings:index", "meetings.view", 20),
        NavItem(_("落实情况"), "meetings:compliance", "meetings.view", 21, group="oversight"),
        NavItem(_("全县组织生活"), "meetings:county", "meetings.view_county", 22, group="oversight"),
    ]
