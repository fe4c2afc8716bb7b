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


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = _("基础")
    nav = [
        NavItem(_("首页"), "core:home", None, 0),
        NavItem(_("我的"), "core:me", None, 1),
        NavItem(_("审计日志"), "core:audit", "core.view_audit", 90),
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
