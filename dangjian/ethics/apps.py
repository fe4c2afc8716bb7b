from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dangjian.core.apps import NavItem


class EthicsConfig(AppConfig):
    name = "dangjian.ethics"
    label = "ethics"
    verbose_name = _("师德师风")
    nav = [
        NavItem(_("十项准则"), "ethics:index", None, 39, group="people"),
        NavItem(_("师德案件"), "ethics:cases", "ethics.view_case", 40, group="people"),
        NavItem(_("师德考核"), "ethics:appraisals", "ethics.view_appraisal", 41, group="people"),
        NavItem(_("师德考核分布"), "ethics:distribution", "ethics.view_distribution", 42, group="oversight"),
        NavItem(_("资格核查"), "ethics:eligibility", "ethics.check_eligibility", 43, group="people"),
    ]

    def ready(self) -> None:
        from dangjian.core import audit  # it uses the models, which load only after every apps.py

        # The audit log is searchable by county admins: entries about cases and appraisals are shown only to
        # those who may see the records themselves.
        audit.private_model("ethics.MisconductCase", "ethics.view_case")
        audit.private_model("ethics.EthicsAppraisal", "ethics.view_appraisal")
