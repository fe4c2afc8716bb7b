"""The school's leadership system (党组织领导的校长负责制, 中办发〔2022〕7号): the two bodies and their members,
the agenda items (议题) of the 党组织会议 and the 校长办公会议 with the 书记–校长 prior communication, the decisions
and the 校长's execution reports, and each school's 议事规则.

The meetings themselves are meetings.Meeting rows of the kinds `party_org_meeting` / `principal_office_meeting`
(attendance and quorum are the meetings app's); their content lives here, in the agenda items, so that a
personnel discussion never sits in a meeting record that every member of the branch may read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Person, School


class Body(models.TextChoices):
    PARTY = "party", _("党组织班子")
    ADMIN = "admin", _("行政班子")


BODY_OF_KIND = {"party_org_meeting": Body.PARTY, "principal_office_meeting": Body.ADMIN}
KIND_OF_BODY = {body: kind for kind, body in BODY_OF_KIND.items()}


class BodyRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    PRINCIPAL = "principal", _("校长")
    VICE_PRINCIPAL = "vice_principal", _("副校长")
    MEMBER = "member", _("班子成员")


class BodyMember(ScopedModel):
    """A person's seat on one of the school's two bodies, with their role there. Current while `ended_on` is empty.
    A 书记 who is also 校长 holds two rows (one in each body)."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="+")
    body = models.CharField(_("班子"), max_length=10, choices=Body.choices)
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职务"), max_length=20, choices=BodyRole.choices)
    started_on = models.DateField(_("任职日期"), default=timezone.localdate)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    SCOPE_PATH = "school__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "leadership.view", "change": "leadership.manage"}

    class Meta:
        ordering = ["school", "body", "role", "person__name"]
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "body", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="leadership_one_current_seat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.get_role_display()} {self.person}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("待议")
    DECIDED = "decided", _("通过（作出决定）")
    PROPOSED = "proposed", _("形成方案，提交党组织会议决定")
    REJECTED = "rejected", _("未通过")
    DEFERRED = "deferred", _("暂缓")


class AgendaItem(ScopedModel):
    """An agenda item (议题) of a 党组织会议 or 校长办公会议: who proposed it, who fixed it on the agenda (the
    书记 or the 校长), the record of the 书记–校长 prior communication (前置研究), the decision and its time limit
    for the 校长's execution report. `discussion` may hold a personnel discussion: only the detail page shows it,
    to those who may see the item."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("议题"), max_length=200)
    category = models.CharField(_("类别"), max_length=24)
    proposer = models.ForeignKey(
        Person, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fixed_by = models.ForeignKey(
        Person, verbose_name=_("议题确定人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fixed_by_role = models.CharField(_("确定人职务"), max_length=20, choices=BodyRole.choices, blank=True)
    communicated_on = models.DateField(_("书记与校长沟通日期"), null=True, blank=True)
    communication = models.TextField(_("会前沟通情况"), blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decision = models.TextField(_("决定事项"), blank=True)
    discussion = models.TextField(_("讨论情况"), blank=True)
    # A 校长办公会议 item carrying out (部署落实) a 党组织会议 decision names it here.
    party_decision = models.ForeignKey(
        "self",
        verbose_name=_("依据的党组织会议决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_out_by",
    )
    report_due_on = models.DateField(_("执行情况报告时限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "leadership.view", "change": "leadership.manage"}

    class Meta:
        ordering = ["-meeting__starts_at", "order", "id"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        indexes = [models.Index(fields=["school", "category"]), models.Index(fields=["report_due_on"])]

    def __str__(self) -> str:
        return self.title


class ExecutionReport(ScopedModel):
    """The 校长's report to the Party organization on carrying out a decision (向党组织报告重大决议执行情况)."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("报告日期"))
    reporter = models.ForeignKey(
        Person, verbose_name=_("报告人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("执行情况"))
    completed = models.BooleanField(_("已执行完毕"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "item__school__org__path"
    CAPABILITIES = {"view": "leadership.view", "change": "leadership.manage"}

    class Meta:
        ordering = ["item", "reported_on", "id"]
        verbose_name = _("执行情况报告")
        verbose_name_plural = _("执行情况报告")

    def __str__(self) -> str:
        return f"{self.item_id} {self.reported_on}"


class RulesStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待县里审批")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("退回修改")


class DecisionRules(ScopedModel):
    """One version of a school's 议事规则: generated from the county template in force (`template_effective`
    names it), edited by the school as plain text, submitted, approved or returned by the county."""

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    template_effective = models.DateField(_("依据的县示范文本"))
    text = models.TextField(_("议事规则"))
    status = models.CharField(_("状态"), max_length=10, choices=RulesStatus.choices, default=RulesStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "leadership.view", "change": "leadership.manage"}

    class Meta:
        ordering = ["school", "-version"]
        verbose_name = _("议事规则")
        verbose_name_plural = _("议事规则")
        constraints = [models.UniqueConstraint(fields=["school", "version"], name="leadership_one_rules_version")]

    def __str__(self) -> str:
        return f"{self.school} 议事规则 v{self.version}"
