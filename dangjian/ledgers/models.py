"""台账: a ledger of one org and year, generated in a background job from the records (never typed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org


class LedgerStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class Ledger(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="ledgers")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=LedgerStatus.choices, default=LedgerStatus.QUEUED)
    pdf = models.FileField(upload_to="ledgers/%Y/", blank=True)
    xlsx = models.FileField(upload_to="ledgers/%Y/", blank=True)
    meeting_count = models.PositiveIntegerField(_("会议数"), default=0)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_PATH = "org__path"
    CAPABILITIES = {"view": "ledgers.view", "change": "ledgers.generate"}

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("台账")
        verbose_name_plural = _("台账")
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年台账"
