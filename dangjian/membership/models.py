"""Membership records: 发展党员 dossiers, 党费 bases and payments, 组织关系转接, 流动党员, 换届选举.

People, orgs and the membership stage live in dangjian.orgs; meetings and their votes in dangjian.meetings. These
models point at them and never copy what they hold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.meetings.models import Meeting, Motion
from dangjian.orgs.models import Org, Person, School

MONEY = {"max_digits": 12, "decimal_places": 2}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- 发展党员 ----------------------------------------------------------------------------------------


class DossierStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    DONE = "done", _("已转正")
    CLOSED = "closed", _("已终止")


class Dossier(ScopedModel):
    """One person's way into the Party, step by step, in the branch that develops them."""

    person = models.ForeignKey(Person, verbose_name=_("发展对象"), on_delete=models.PROTECT, related_name="dossiers")
    org = models.ForeignKey(Org, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="dossiers")
    status = models.CharField(_("状态"), max_length=10, choices=DossierStatus.choices, default=DossierStatus.OPEN)
    closed_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    probation_extended_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["org__path", "person__name"]
        verbose_name = _("发展党员档案")
        verbose_name_plural = _("发展党员档案")

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"


class Outcome(models.TextChoices):
    """What a 支部大会 decided on a probationary member (细则第三十二条)."""

    CONVERT = "convert", _("按期转正")
    EXTEND = "extend", _("延长预备期")
    CANCEL = "cancel", _("取消预备党员资格")


class Step(ScopedModel):
    """One recorded step of a dossier. A step decided by a 支部大会 points at the meeting and its vote."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("步骤"), max_length=30)
    number = models.PositiveSmallIntegerField(_("序号"))
    done_on = models.DateField(_("日期"))
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    motion = models.ForeignKey(
        Motion, verbose_name=_("表决"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    people = models.ManyToManyField(Person, verbose_name=_("有关人员"), blank=True, related_name="+")
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长月数"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    exception_reason = models.CharField(_("例外原因"), max_length=300, blank=True)
    rule_effective = models.DateField(_("适用规则版本"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "dossier__org__path"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["dossier", "number", "done_on", "id"]
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")

    def __str__(self) -> str:
        return f"{self.dossier.person.name} {self.number} {self.done_on}"


class DevelopmentPlan(ScopedModel):
    """发展计划: how many new members an org (a school's branch or committee) plans to admit in a year."""

    org = models.ForeignKey(Org, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.PositiveSmallIntegerField(_("计划发展数"))

    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        verbose_name = _("发展计划")
        verbose_name_plural = _("发展计划")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_plan_per_org_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}: {self.planned}"


# --- 党费 -------------------------------------------------------------------------------------------


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    RETIRED = "retired", _("离退休")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("下岗失业")
    RELIEF = "relief", _("依靠抚恤或救济生活")
    SUBSISTENCE = "subsistence", _("领取最低生活保障金")


class DuesBase(ScopedModel):
    """A member's declared monthly base for one year (每年初核定，年内一般不变) and the monthly amount it gives."""

    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="dues_bases")
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("类别"), max_length=12, choices=DuesCategory.choices, default=DuesCategory.EMPLOYED)
    base = models.DecimalField(_("月计算基数（元）"), **MONEY, default=Decimal("0"))
    monthly = models.DecimalField(_("月交纳额（元）"), **MONEY)
    rule_effective = models.DateField(_("适用规则版本"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["person__name"]
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_dues_base_per_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year} {self.monthly}"


class PaymentKind(models.TextChoices):
    PAID = "paid", _("交纳")
    CARRIED = "carried", _("转入前已交")


class Payment(ScopedModel):
    """Dues paid for `months` consecutive months from `first_month` (a lump sum covers several months). `org` is the
    branch that received it (its monthly receipts and 上缴); the person's own history follows them.

    CARRIED: months an incoming member had already paid before the transfer (the 介绍信's 党费交至), money received
    elsewhere: it covers months, it is no receipt of this branch."""

    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="dues_payments")
    org = models.ForeignKey(Org, verbose_name=_("收缴党支部"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAID)
    first_month = models.DateField(_("起始月份"))
    months = models.PositiveSmallIntegerField(_("月数"), default=1)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("交纳日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["-first_month", "-id"]
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")
        indexes = [models.Index(fields=["org", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.first_month:%Y-%m}×{self.months} {self.amount}"

    @property
    def last_month(self) -> dt.date:
        return add_months(self.first_month, self.months - 1)


# --- 组织关系转接 -----------------------------------------------------------------------------------


class TransferKind(models.TextChoices):
    IN_COUNTY = "in_county", _("县内转接")
    OUTGOING = "outgoing", _("转出县外")
    INCOMING = "incoming", _("从县外转入")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REFUSED = "refused", _("已退回")
    CANCELLED = "cancelled", _("已撤回")


class Transfer(ScopedModel):
    """组织关系转接. In the county: the sending branch asks, the receiving branch accepts, and the person moves with
    their history. Out of the county: a 介绍信 with a 回执 expected back within the rule's limit. Into the county: the
    receiving branch records the letter and accepts the member with their 党费交至 month."""

    kind = models.CharField(_("类型"), max_length=10, choices=TransferKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    person = models.ForeignKey(
        Person, verbose_name=_("党员"), null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    from_org = models.ForeignKey(
        Org, verbose_name=_("转出党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        Org, verbose_name=_("接收党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_school = models.ForeignKey(
        School, verbose_name=_("调入学校"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outside_org = models.CharField(_("县外党组织"), max_length=120, blank=True)
    letter_number = models.CharField(_("介绍信编号"), max_length=40, blank=True)
    dues_paid_until = models.DateField(_("党费交至"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("有效期（天）"), null=True, blank=True)
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    requested_on = models.DateField(_("申请日期"), default=timezone.localdate)
    decided_on = models.DateField(_("办理日期"), null=True, blank=True)
    receipt_due = models.DateField(_("回执应返回日期"), null=True, blank=True)
    receipt_returned_on = models.DateField(_("回执返回日期"), null=True, blank=True)
    refusal_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Seen by the sending side through this path and by the receiving side through to_org (selectors.transfers).
    SCOPE_PATH = "from_org__path"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_kind_display()} {self.get_status_display()}"

    def scope_path(self) -> str:
        org = self.from_org or self.to_org
        return org.path if org else ""


class FlowingMember(ScopedModel):
    """流动党员: away for a period (外出6个月以内) without moving the relationship; they keep paying dues at home or
    where they are."""

    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+")
    destination = models.CharField(_("外出地点"), max_length=120)
    starts_on = models.DateField(_("外出日期"))
    ends_on = models.DateField(_("预计返回日期"))
    certificate = models.CharField(_("流动党员活动证编号"), max_length=40, blank=True)
    returned_on = models.DateField(_("实际返回日期"), null=True, blank=True)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")

    def __str__(self) -> str:
        return f"{self.person} → {self.destination}"


# --- 换届 --------------------------------------------------------------------------------------------


class Election(ScopedModel):
    """A branch's 换届选举, held at a 支部党员大会 (the meeting's attendance gives who was entitled and present)."""

    org = models.ForeignKey(Org, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name=_("选举大会"), on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField(_("应选人数"))
    entitled = models.PositiveSmallIntegerField(_("应到会有选举权人数"), default=0)
    present = models.PositiveSmallIntegerField(_("实到会有选举权人数"), default=0)
    valid = models.BooleanField(_("选举有效"), default=False)
    applied = models.BooleanField(_("新一届委员会已生效"), default=False)
    rule_effective = models.DateField(_("适用规则版本"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["-meeting__starts_at"]
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")

    def __str__(self) -> str:
        return f"{self.org} {self.meeting.day}"


class Candidate(ScopedModel):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, verbose_name=_("候选人"), on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveSmallIntegerField(_("得票"), default=0)
    elected = models.BooleanField(_("当选"), default=False)
    post = models.CharField(_("分工"), max_length=20, blank=True)

    SCOPE_PATH = "election__org__path"
    CAPABILITIES = {"view": "membership.view", "change": "membership.manage"}

    class Meta:
        ordering = ["-votes", "id"]
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")

    def __str__(self) -> str:
        return f"{self.person} {self.votes}"
