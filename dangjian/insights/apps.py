from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class InsightsConfig(AppConfig):
    name = "dangjian.insights"
    label = "insights"
    verbose_name = _("数据看板")
    nav = [NavItem(_("数据看板"), "insights:dashboard", "insights.view_county", 45, group="oversight")]
