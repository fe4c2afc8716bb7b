from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    label = "assessment"
    verbose_name = _("考核与观摩")
    nav = [NavItem(_("考核与观摩"), "assessment:home", "assessment.view", 40, group="oversight")]
