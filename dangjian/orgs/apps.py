from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = _("组织与人员")
    nav = [
        NavItem(_("我的组织"), "orgs:mine", "orgs.view", 10),
        NavItem(_("学校与组织"), "orgs:county", "orgs.view_county", 11, group="admin"),
        NavItem(_("账号与授权"), "orgs:grants", "orgs.manage_grants", 85, group="admin"),
    ]
