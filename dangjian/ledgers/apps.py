from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks.signals import task_finished

from dangjian.core.apps import NavItem


class LedgersConfig(AppConfig):
    name = "dangjian.ledgers"
    label = "ledgers"
    verbose_name = _("台账")
    nav = [NavItem(_("台账"), "ledgers:index", "ledgers.view", 25, group="oversight")]

    def ready(self) -> None:
        from dangjian.ledgers import jobs  # it uses the models, which load only after every apps.py

        task_finished.connect(jobs.record_lost_build, dispatch_uid="dangjian.ledgers.lost_build")
