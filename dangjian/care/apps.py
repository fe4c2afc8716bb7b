from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class CareConfig(AppConfig):
    name = "dangjian.care"
    label = "care"
    verbose_name = _("关爱学生")
    nav = [
        NavItem(_("困难学生"), "care:students", "care.view", 65, group="people"),
        NavItem(_("结对帮扶"), "care:pairings", "care.view_pairings", 66, group="people"),
        NavItem(_("资助认定"), "care:rounds", "care.manage", 67, group="people"),
        NavItem(_("查看留痕"), "care:audit", "care.view_audit", 68, group="people"),
    ]
