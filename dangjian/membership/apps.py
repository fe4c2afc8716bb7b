from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class MembershipConfig(AppConfig):
    name = "dangjian.membership"
    label = "membership"
    verbose_name = _("党员管理")
    nav = [
        NavItem(_("发展党员"), "membership:dossiers", "membership.view", 25),
        NavItem(_("党费"), "membership:dues", "membership.view", 26),
        NavItem(_("组织关系转接"), "membership:transfers", "membership.view", 27),
        NavItem(_("换届"), "membership:terms", "membership.view", 28),
    ]
