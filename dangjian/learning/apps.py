from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    verbose_name = _("学习与竞赛")
    nav = [
        NavItem(_("学习"), "learning:index", "learning.view", 30),
        NavItem(_("我的学时"), "learning:hours", "learning.view", 31),
    ]
