"""Precomputed figures the dashboard reads: small tables refreshed by a job, so the dashboard stays fast at
province scale (DESIGN.md: derived figures are precomputed tables)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import School


class MonthlyCompliance(ScopedModel):
    """A school's meeting compliance in one month, as the formula `meetings.compliance_rate` measured it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the month
    value = models.FloatField(_("合规率"))
    detail = models.CharField(_("计算说明"), max_length=300, blank=True)
    evidence_url = models.CharField(_("依据链接"), max_length=500, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "insights.view", "change": "insights.refresh"}

    class Meta:
        ordering = ["school", "month"]
        verbose_name = _("月度会议合规率")
        verbose_name_plural = _("月度会议合规率")
        constraints = [models.UniqueConstraint(fields=["school", "month"], name="one_compliance_per_month")]
        indexes = [models.Index(fields=["month", "school"])]
