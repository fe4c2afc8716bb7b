"""The responsibility system (一级抓一级): work assigned down the tree, reports back up, supervision.

An Assignment belongs to the org that issued it; each receiving org has a Target, which is what the receiver
sees and reports against. Overdue is computed from the deadline and the completion date, never stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org


class Assignment(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("布置单位"), on_delete=models.PROTECT, related_name="assignments")
    title = models.CharField(_("任务名称"), max_length=120)
    body = models.TextField(_("任务内容"))
    expected = models.TextField(_("需报送的成果"), help_text=_("说明完成后需要报送什么，例如“工作总结一份”。"))
    due_on = models.DateField(_("完成期限"))
    # A record kind that completes the work by itself (core.fulfilment), e.g. "meetings.org_life_meeting"; the
    # choices are rule data (rules/assignments.yaml `fulfilled_by`). Empty: completed by a report.
    fulfilled_by = models.CharField(_("由记录自动完成"), max_length=60, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "assignments.view", "change": "assignments.assign"}

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    PENDING = "pending", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class Target(ScopedModel):
    """One receiving org of an assignment: its status and its reports."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey(
        Org, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="assignment_targets"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    last_report_at = models.DateTimeField(null=True, blank=True)
    # The record that completed the target (its page), when the assignment names a fulfilling record kind.
    evidence_title = models.CharField(_("完成依据"), max_length=200, blank=True, default="")
    evidence_url = models.CharField(max_length=300, blank=True, default="")

    CAPABILITIES = {"view": "assignments.view", "change": "assignments.report"}

    class Meta:
        ordering = ["assignment__due_on", "org__path"]
        verbose_name = _("任务承办")
        verbose_name_plural = _("任务承办")
        constraints = [models.UniqueConstraint(fields=["assignment", "org"], name="one_target_per_org")]
        indexes = [models.Index(fields=["status", "org"])]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.org}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != Status.DONE and self.assignment.due_on < today

    @property
    def done_late(self) -> bool:
        return self.status == Status.DONE and bool(self.completed_on) and self.completed_on > self.assignment.due_on

    @property
    def on_time(self) -> bool:
        return self.status == Status.DONE and not self.done_late


def report_path(instance: Report, filename: str) -> str:
    return f"assignments/{timezone.localdate():%Y/%m}/{instance.target_id}-{filename}"


class Report(ScopedModel):
    """Progress or completion, in words; a file may be attached but never has to be (no required photos)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="reports")
    done = models.BooleanField(_("报告完成"), default=False)
    text = models.TextField(_("进展情况"))
    file = models.FileField(_("附件（可选）"), upload_to=report_path, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "target__org__path"
    CAPABILITIES = {"view": "assignments.view", "change": "assignments.report"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("任务报告")
        verbose_name_plural = _("任务报告")

    def __str__(self) -> str:
        return f"{self.target} {self.created_at:%Y-%m-%d}"


class Supervision(ScopedModel):
    """督办: a note from the issuing level on one receiver's target."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="supervisions")
    note = models.TextField(_("督办意见"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "target__org__path"
    CAPABILITIES = {"view": "assignments.view", "change": "assignments.supervise"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")

    def __str__(self) -> str:
        return f"{self.target} {self.created_at:%Y-%m-%d}"
