from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class VoiceConfig(AppConfig):
    name = "dangjian.voice"
    label = "voice"
    verbose_name = _("诉求")
    nav = [
        NavItem(_("诉求办理"), "voice:list", "voice.view", 60),
        NavItem(_("提交诉求"), "voice:submit", None, 61),
        NavItem(_("诉求统计"), "voice:stats", "voice.view_stats", 62, group="oversight"),
    ]
