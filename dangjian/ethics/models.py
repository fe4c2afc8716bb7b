"""师德: the annual ethics appraisal, misconduct cases handled step by step, and the sanctions they end in.

Every row belongs to the teacher's org (SCOPE_PATH person__org__path) and is the teacher's own (SCOPE_SELF
person__user). Cases are visible only to the handling roles (ethics.view_case) and to the teacher concerned,
and the teacher only once they have been given notice (selectors.visible_cases).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Person


class AppraisalStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    GRADED = "graded", _("已评定")
    OBJECTED = "objected", _("有异议待复核")
    FINAL = "final", _("已复核")


class EthicsAppraisal(ScopedModel):
    """One teacher's ethics appraisal for one 学年 (year_key "2025-2026")."""

    person = models.ForeignKey(Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="+")
    year_key = models.CharField(_("学年"), max_length=9, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN)
    self_assessment = models.TextField(_("个人自评"), blank=True)
    self_concerns = models.JSONField(_("自评中需改进的准则"), default=list, blank=True)
    self_submitted_at = models.DateTimeField(_("自评提交时间"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, blank=True, db_index=True)
    reasons = models.TextField(_("评定理由"), blank=True)
    graded_on = models.DateField(_("评定日期"), null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    objection = models.TextField(_("异议"), blank=True)
    objection_at = models.DateTimeField(_("提出异议时间"), null=True, blank=True)
    objection_reply = models.TextField(_("复核意见"), blank=True)
    objection_replied_at = models.DateTimeField(null=True, blank=True)
    objection_replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "ethics.view_appraisal", "change": "ethics.appraise"}

    class Meta:
        ordering = ["-year_key", "person__org__path", "person__name"]
        verbose_name = _("师德考核")
        verbose_name_plural = _("师德考核")
        constraints = [models.UniqueConstraint(fields=["person", "year_key"], name="one_appraisal_per_year")]

    def __str__(self) -> str:
        return f"{self.year_key} {_('师德考核')} #{self.pk}"


class AppraisalInput(ScopedModel):
    """The aggregated result of one survey (peers, students, parents) for one appraisal."""

    appraisal = models.ForeignKey(EthicsAppraisal, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField(_("评议来源"), max_length=20)
    respondents = models.PositiveIntegerField(_("参评人数"))
    satisfied = models.PositiveIntegerField(_("评价满意人数"))
    comments = models.TextField(_("评议意见摘要"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    SCOPE_PATH = "appraisal__person__org__path"
    CAPABILITIES = {"view": "ethics.view_appraisal", "change": "ethics.appraise"}

    class Meta:
        ordering = ["source"]
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        constraints = [models.UniqueConstraint(fields=["appraisal", "source"], name="one_input_per_source")]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.source}"

    @property
    def rate(self) -> float:
        return self.satisfied / self.respondents if self.respondents else 0.0


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("已受理")
    INVESTIGATING = "investigating", _("调查核实中")
    NOTIFIED = "notified", _("已告知，待陈述申辩")
    HEARD = "heard", _("已陈述申辩")
    DECIDED = "decided", _("已作出处理决定")
    APPEALED = "appealed", _("申请复核中")
    REVIEWED = "reviewed", _("已复核")
    CLOSED = "closed", _("已结案（不予处理）")


class MisconductCase(ScopedModel):
    """A misconduct case (师德失范案件) about one teacher. Its steps are CaseEvents; the dates and actors of
    the steps the rules turn on are also kept here, so that the workflow's guards read one row."""

    person = models.ForeignKey(Person, verbose_name=_("当事教师"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED, db_index=True
    )
    source = models.CharField(_("线索来源"), max_length=20)
    source_detail = models.TextField(_("来源说明（不向当事人展示）"), blank=True)
    summary = models.TextField(_("反映的问题"))
    standards = models.JSONField(_("涉及准则"), default=list, blank=True)
    reported_on = models.DateField(_("受理日期"))
    findings = models.TextField(_("调查认定的事实"), blank=True)
    proposed = models.CharField(_("拟处理"), max_length=20, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    hearing_right = models.BooleanField(_("有权要求听证"), default=False)
    statement = models.TextField(_("陈述申辩"), blank=True)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    statement_waived_reason = models.TextField(_("未陈述申辩的原因"), blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证记录"), blank=True)
    decision = models.CharField(_("处理决定"), max_length=20, blank=True)
    decision_reason = models.TextField(_("处理依据与理由"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    appeal = models.TextField(_("复核申请"), blank=True)
    appealed_on = models.DateField(_("申请复核日期"), null=True, blank=True)
    review_outcome = models.CharField(_("复核结果"), max_length=10, blank=True)
    review_reason = models.TextField(_("复核意见"), blank=True)
    reviewed_on = models.DateField(_("复核日期"), null=True, blank=True)
    closed_reason = models.TextField(_("不予处理的理由"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "ethics.view_case", "change": "ethics.handle_case"}

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("师德失范案件")
        verbose_name_plural = _("师德失范案件")

    def __str__(self) -> str:
        # Neutral on purpose: this string reaches the audit log, which county admins can search.
        return f"{_('师德案件')} #{self.pk}"


class CaseEvent(ScopedModel):
    """One step of a case: what was done, the day it took effect, when it was recorded and by whom."""

    case = models.ForeignKey(MisconductCase, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("环节"), max_length=20)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("办理人"), max_length=150)
    note = models.TextField(_("说明"), blank=True)

    SCOPE_PATH = "case__person__org__path"  # no SCOPE_SELF: reached only through a case one may see
    CAPABILITIES = {"view": "ethics.view_case", "change": "ethics.handle_case"}

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.on}"


def _evidence_path(instance, filename: str) -> str:
    return f"ethics/evidence/{instance.case_id}/{filename}"


class Evidence(ScopedModel):
    """Evidence gathered in the investigation. Files are served only through the guarded download view."""

    case = models.ForeignKey(MisconductCase, on_delete=models.CASCADE, related_name="evidence")
    description = models.TextField(_("证据说明"))
    file = models.FileField(_("附件"), upload_to=_evidence_path, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_PATH = "case__person__org__path"
    CAPABILITIES = {"view": "ethics.view_case", "change": "ethics.handle_case"}

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("证据")
        verbose_name_plural = _("证据")

    def __str__(self) -> str:
        return f"{_('证据')} #{self.pk}"


class Sanction(ScopedModel):
    """A restriction on a teacher: a 处分 with its period, a 取消资格 for chosen purposes, or the 一票否决 of
    an appraisal below the veto line. Periods are fixed when the restriction is imposed, from the rules then
    in force, so eligibility reads this one table.

    The period is [starts_on, ends_on): on `ends_on` the teacher is eligible again. ends_on is empty for a
    dismissal (no end). A sanction overturned on review keeps its row with `revoked_on` set."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(MisconductCase, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions")
    appraisal = models.ForeignKey(
        EthicsAppraisal, null=True, blank=True, on_delete=models.PROTECT, related_name="vetoes"
    )
    # A sanctions.yaml kind, "disqualification" (取消资格) or "veto" (考核不合格一票否决).
    kind = models.CharField(_("种类"), max_length=20)
    purposes = models.JSONField(_("影响的资格"), default=list)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("期满日期（当日起恢复资格）"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "ethics.view_case", "change": "ethics.handle_case"}

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("处分与资格限制")
        verbose_name_plural = _("处分与资格限制")
        indexes = [models.Index(fields=["person", "starts_on"])]

    def __str__(self) -> str:
        return f"{_('处分')} #{self.pk}"
