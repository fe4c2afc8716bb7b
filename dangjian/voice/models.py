"""Concerns (诉求) from teachers, students and parents: routed to the responsible org, answered on time."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel


class Category(models.TextChoices):
    TEACHING = "teaching", _("教育教学")
    WORKLOAD = "workload", _("教师负担")
    ETHICS = "ethics", _("师德师风")
    SAFETY = "safety", _("校园安全")
    FEES = "fees", _("收费与资助")
    WELFARE = "welfare", _("待遇保障")
    OTHER = "other", _("其他")


class SubmitterKind(models.TextChoices):
    TEACHER = "teacher", _("教师")
    STUDENT = "student", _("学生")
    PARENT = "parent", _("家长")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACKNOWLEDGED = "acknowledged", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Level(models.TextChoices):
    SCHOOL = "school", _("学校办理")
    COUNTY = "county", _("已上报县教育党工委")


def receipt_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


class Concern(ScopedModel):
    """One concern. `org` is the org responsible for answering it; `school` the school it is about.

    The receipt code of an anonymous concern is stored only as a hash: whoever holds the code follows it up,
    and the database alone cannot tell who that is."""

    school = models.ForeignKey("orgs.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", verbose_name=_("承办组织"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    submitter_kind = models.CharField(_("提交人身份"), max_length=20, choices=SubmitterKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), max_length=5000)
    attachment = models.FileField(_("附件"), upload_to="voice/%Y/%m/", blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(_("匿名"), default=False)
    receipt_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    level = models.CharField(_("办理层级"), max_length=20, choices=Level.choices, default=Level.SCHOOL)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    acknowledge_due = models.DateTimeField(_("受理时限"))
    answer_due = models.DateTimeField(_("答复时限"))
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True, max_length=5000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A person handling the concern in the org's stead (转办 to the school's ethics officer): they see and handle it.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set with an assignee from the school's staff (转办 to a school office): the office they handle it for.
    assignee_office = models.CharField(_("承办科室"), max_length=40, blank=True)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    escalation_reason = models.CharField(_("上报原因"), max_length=200, blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    reopen_reason = models.TextField(_("重新办理理由"), blank=True, max_length=2000)
    reopen_answer_due = models.DateTimeField(_("重新办理答复时限"), null=True, blank=True)

    SCOPE_PATH = "org__path"
    SCOPE_SELF = ("submitter", "assignee")
    CAPABILITIES = {"view": "voice.view", "change": "voice.handle"}

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        indexes = [models.Index(fields=["school", "submitted_at"]), models.Index(fields=["status", "answer_due"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.title}"

    @property
    def current_answer_due(self):
        return self.reopen_answer_due or self.answer_due

    @property
    def answered_on_time(self) -> bool | None:
        """Whether the first answer came within its limit (None while unanswered)."""
        if self.first_answered_at is None:
            return None
        return self.first_answered_at <= self.answer_due
