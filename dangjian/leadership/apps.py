from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class LeadershipConfig(AppConfig):
    name = "dangjian.leadership"
    label = "leadership"
    verbose_name = _("议事决策")
    nav = [
        NavItem(_("议事决策"), "leadership:index", "leadership.view", 25),
        NavItem(_("议事决策督查"), "leadership:county", "leadership.view_county", 26, group="oversight"),
    ]
