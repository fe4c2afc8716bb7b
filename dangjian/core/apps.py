from dataclasses import dataclass

from django.apps import AppConfig
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation: shown to users who hold `capability` anywhere."""

    label: str | Promise  # usually gettext_lazy
    url_name: str
    capability: str | None = None  # None: every signed-in user
    order: int = 50
    group: str = "daily"  # a key of HOME_GROUPS: the home page gathers its tiles by what people do with them


# The home page's tile groups, in the order shown: the daily work first, then what is watched, cared for, run.
HOME_GROUPS = {
    "daily": _("日常工作"),
    "oversight": _("督查与统计"),
    "people": _("师德与关爱"),
    "admin": _("管理与公开"),
}


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = _("基础")
    nav = [
        NavItem(_("首页"), "core:home", None, 0),
        NavItem(_("我的"), "core:me", None, 1),
        NavItem(_("审计日志"), "core:audit", "core.view_audit", 90, group="admin"),
    ]

    def ready(self) -> None:
        # These modules use the models, which load only after every apps.py: Django's app-loading order.
        from dangjian.core import (
            accounts,
            checks,  # noqa: F401  (registers the rule-file checks)
            loginaudit,
        )

        loginaudit.connect()
        accounts.connect()
