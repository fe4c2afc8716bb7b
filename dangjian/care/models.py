"""Students in difficulty (困难学生), pairing (结对帮扶), assistance, visits, and the yearly identification.

The most sensitive records the platform holds: minors' family finances and disabilities. Names and ID numbers
are masked unless revealed (audited); a student's `__str__` is masked so it never lands in a log unmasked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs import idnumber


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***."""
    name = (name or "").strip()
    return f"{name[0]}{'*' * max(len(name) - 1, 1)}" if name else "*"


class PriorityGroup(models.TextChoices):
    LIFTED = "lifted", _("脱贫家庭（建档立卡）")
    DIBAO = "dibao", _("最低生活保障家庭")
    TEKUN = "tekun", _("特困供养")
    ORPHAN_DISABLED = "orphan_disabled", _("孤儿或残疾")
    MARTYR = "martyr", _("烈士子女")
    DISASTER = "disaster", _("遭遇自然灾害或突发事件")
    OTHER = "other", _("其他")


class Disability(models.TextChoices):
    VISION = "vision", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class SupportMode(models.TextChoices):
    NONE = "", _("无")
    REGULAR_CLASS = "regular_class", _("随班就读")
    HOME_TEACHING = "home_teaching", _("送教上门")
    SPECIAL_SCHOOL = "special_school", _("特殊教育学校就读")


class Student(ScopedModel):
    school = models.ForeignKey("orgs.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[idnumber.validate])
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    grade = models.CharField(_("年级班级"), max_length=30)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    household_income = models.DecimalField(
        _("家庭年人均收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    hardship_tier = models.CharField(_("困难档次"), max_length=20, blank=True)
    priority_group = models.CharField(_("重点群体"), max_length=20, choices=PriorityGroup.choices, blank=True)
    disability = models.CharField(_("残疾类别"), max_length=20, choices=Disability.choices, blank=True)
    disability_detail = models.CharField(_("残疾情况说明"), max_length=200, blank=True)
    support_mode = models.CharField(_("安置方式"), max_length=20, choices=SupportMode.choices, blank=True)
    identified_on = models.DateField(_("认定日期"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    purge_after = models.DateField(_("清除日期"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "care.view", "change": "care.manage", "reveal": "care.reveal"}
    PII_FIELDS = {"name", "id_number", "address", "guardian_phone", "household_income", "disability_detail"}

    class Meta:
        ordering = ["school__name", "grade", "id"]
        verbose_name = _("困难学生")
        verbose_name_plural = _("困难学生")

    def __str__(self) -> str:
        return f"{self.name_masked}（{self.grade}）"

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def id_number_masked(self) -> str:
        return idnumber.mask(self.id_number) if self.id_number else ""


class Pairing(ScopedModel):
    """A Party member paired with a student (结对帮扶). Scoped by the member's branch: its secretary sees it."""

    student = models.ForeignKey(Student, verbose_name=_("学生"), on_delete=models.CASCADE, related_name="pairings")
    member = models.ForeignKey("orgs.Person", verbose_name=_("结对党员"), on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    SCOPE_PATH = "member__org__path"
    SCOPE_SELF = "member__user"
    CAPABILITIES = {"view": "care.view_pairings", "change": "care.manage"}

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.student}"


class AssistanceKind(models.TextChoices):
    FEE_WAIVER = "fee_waiver", _("费用减免")
    GRANT = "grant", _("助学金")
    LIVING = "living", _("生活补助")
    MEALS = "meals", _("营养餐")
    GOODS = "goods", _("学习生活用品")
    TUTORING = "tutoring", _("学业辅导")
    COUNSELING = "counseling", _("心理关爱")
    OTHER = "other", _("其他")


class Assistance(ScopedModel):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="assistance")
    kind = models.CharField(_("资助内容"), max_length=20, choices=AssistanceKind.choices)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    given_on = models.DateField(_("日期"))
    given_by = models.CharField(_("提供者"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_PATH = "student__school__org__path"
    CAPABILITIES = {"view": "care.view", "change": "care.manage"}

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("资助记录")
        verbose_name_plural = _("资助记录")

    def __str__(self) -> str:
        return f"{self.student} {self.get_kind_display()} {self.given_on}"


class Visit(ScopedModel):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("家访日期"))
    visitor = models.CharField(_("家访人"), max_length=100)
    summary = models.TextField(_("情况记录"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_PATH = "student__school__org__path"
    CAPABILITIES = {"view": "care.view", "change": "care.manage"}

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")

    def __str__(self) -> str:
        return f"{self.student} {self.visited_on}"


class RoundKind(models.TextChoices):
    ANNUAL = "annual", _("学年认定")
    TERM = "term", _("学期调整")


class RoundStatus(models.TextChoices):
    NOTICE = "notice", _("已告知，接受申请")
    PUBLICITY = "publicity", _("公示中")
    RECORDED = "recorded", _("已建档备案")


class Round(ScopedModel):
    """One identification (§8.1): notice → application → school decision → 公示 ≥5 working days → record."""

    school = models.ForeignKey("orgs.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=RoundKind.choices)
    period = models.CharField(_("学年/学期"), max_length=20)  # core.periods key, e.g. "2026-2027"
    notice_on = models.DateField(_("告知日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.NOTICE)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    recorded_on = models.DateField(_("建档日期"), null=True, blank=True)

    SCOPE_PATH = "school__org__path"
    # That a round exists is public in the school (it is announced); its applications are not (care.manage).
    CAPABILITIES = {"view": "care.view_rounds", "change": "care.manage"}

    class Meta:
        ordering = ["-notice_on", "-id"]
        verbose_name = _("困难认定")
        verbose_name_plural = _("困难认定")

    def __str__(self) -> str:
        return f"{self.school} {self.period} {self.get_kind_display()}"


class Decision(models.TextChoices):
    PENDING = "pending", _("待认定")
    APPROVED = "approved", _("认定")
    REJECTED = "rejected", _("不予认定")


class Application(ScopedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="applications")
    applied_on = models.DateField(_("申请日期"))
    requested_tier = models.CharField(_("申请档次"), max_length=20, blank=True)
    decision = models.CharField(_("认定结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    tier = models.CharField(_("认定档次"), max_length=20, blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)

    SCOPE_PATH = "round__school__org__path"
    CAPABILITIES = {"view": "care.view", "change": "care.manage"}

    class Meta:
        ordering = ["student__grade", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="one_application_per_round")]
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")

    def __str__(self) -> str:
        return f"{self.student} {self.get_decision_display()}"
