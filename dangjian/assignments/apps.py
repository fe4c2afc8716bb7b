from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class AssignmentsConfig(AppConfig):
    name = "dangjian.assignments"
    label = "assignments"
    verbose_name = _("工作任务")
    nav = [NavItem(_("工作任务"), "assignments:list", "assignments.view", 30)]
