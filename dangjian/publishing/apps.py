from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class PublishingConfig(AppConfig):
    name = "dangjian.publishing"
    label = "publishing"
    verbose_name = _("宣传与公开")
    nav = [
        NavItem(_("工作动态"), "publishing:manage", "publishing.view", 60, group="admin"),
        NavItem(_("公开网站"), "publishing:home", None, 61, group="admin"),
    ]
