"""The organization tree, schools, people, Party membership, posts and grants."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import capabilities
from dangjian.core.scoping import ScopedModel
from dangjian.orgs import idnumber


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class Org(ScopedModel):
    """A node of the one tree: 教育党工委 → school 党委/党总支 → 党支部 → 党小组.

    `path` is the materialized path of ids ("1.5.23."): a subtree is a prefix match, one indexed query.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_joint = models.BooleanField(_("联合党支部"), default=False)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_started_on = models.DateField(_("本届起始日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=3)
    is_active = models.BooleanField(_("有效"), default=True)
    # Dissolving keeps the org and its records: it leaves pickers and "expected" lists, history stays.
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    SCOPE_PATH = "path"
    CAPABILITIES = {"view": "orgs.view", "change": "orgs.manage"}

    class Meta:
        ordering = ["path"]
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.path

    @property
    def term_ends_on(self) -> dt.date | None:
        if not self.term_started_on:
            return None
        start = self.term_started_on
        try:
            return start.replace(year=start.year + self.term_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.term_years, day=28)

    def ancestor_paths(self) -> list[str]:
        parts = self.path.rstrip(".").split(".")
        return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    NINE_YEAR = "nine_year", _("九年一贯制")
    SENIOR = "senior", _("高中")
    COMPLETE = "complete", _("完全中学")
    SPECIAL = "special", _("特殊教育")


class School(ScopedModel):
    """A school. `org` is the Party organization responsible for it; a joint branch covers several schools."""

    name = models.CharField(_("学校名称"), max_length=100, unique=True)
    code = models.CharField(_("学校代码"), max_length=20, blank=True)
    stage = models.CharField(_("学段"), max_length=20, choices=SchoolStage.choices)
    township = models.CharField(_("乡镇（街道）"), max_length=50, blank=True)
    student_count = models.PositiveIntegerField(_("学生数"), default=0)
    staff_count = models.PositiveIntegerField(_("教职工数"), default=0)
    org = models.ForeignKey(Org, verbose_name=_("所属党组织"), on_delete=models.PROTECT, related_name="schools")

    CAPABILITIES = {"view": "orgs.view", "change": "orgs.manage"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class LeaveReason(models.TextChoices):
    TRANSFERRED = "transferred", _("调离")
    RETIRED = "retired", _("退休")
    RESIGNED = "resigned", _("离职")
    DECEASED = "deceased", _("去世")


class Person(ScopedModel):
    """A teacher or staff member, Party member or not. `org` is the unit they belong to: a member's branch,
    otherwise the school's organization. It is what scoping follows."""

    name = models.CharField(_("姓名"), max_length=50)
    initials = models.CharField(_("拼音首字母"), max_length=20, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, validators=[idnumber.validate])
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("学校"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    org = models.ForeignKey(Org, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="people")
    job = models.CharField(_("岗位"), max_length=50, blank=True)
    title = models.CharField(_("职称"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在职"), default=True)
    # A leaver's records stay: the person is marked, never deleted (orgs.services.mark_left).
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    # db_default too: the demo generator's bulk insert (core.bulk) names its columns and leaves this one out.
    left_reason = models.CharField(
        _("离开原因"), max_length=20, choices=LeaveReason.choices, blank=True, default="", db_default=""
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    SCOPE_SELF = "user"
    CAPABILITIES = {"view": "orgs.view", "change": "orgs.manage", "reveal": "orgs.reveal_pii"}
    PII_FIELDS = {"id_number", "phone"}

    class Meta:
        ordering = ["org__path", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["org", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return idnumber.mask(self.id_number)

    @property
    def phone_masked(self) -> str:
        return idnumber.mask_phone(self.phone)

    @property
    def birth_date_masked(self) -> str:
        return idnumber.mask_birth(self.birth_date)


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGE_ORDER = [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]
STAGE_DATE_FIELD = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}
MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class Membership(ScopedModel):
    """Where a person stands on the way into the Party, with the date of each stage reached."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="membership")
    stage = models.CharField(_("政治面貌"), max_length=20, choices=Stage.choices, db_index=True)
    applied_on = models.DateField(_("递交申请日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    probationary_on = models.DateField(_("接收预备党员日期"), null=True, blank=True)
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    group = models.ForeignKey(
        Org,
        verbose_name=_("党小组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
        limit_choices_to={"kind": OrgKind.GROUP},
    )

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "orgs.view", "change": "orgs.manage"}

    class Meta:
        verbose_name = _("党员信息")
        verbose_name_plural = _("党员信息")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_stage_display()})"

    @property
    def is_member(self) -> bool:
        return self.stage in MEMBER_STAGES

    @property
    def can_vote(self) -> bool:
        """Probationary members have no vote (党章第七条)."""
        return self.stage == Stage.FULL


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组组长")


COMMITTEE_POSTS = (
    PostKind.SECRETARY,
    PostKind.DEPUTY_SECRETARY,
    PostKind.ORGANIZATION,
    PostKind.PUBLICITY,
    PostKind.DISCIPLINE,
    PostKind.COMMITTEE_MEMBER,
)


class Position(ScopedModel):
    """A post held in an org (书记、组织委员…). Current when `ended_on` is empty."""

    org = models.ForeignKey(Org, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="positions")
    post = models.CharField(_("职务"), max_length=20, choices=PostKind.choices)
    started_on = models.DateField(_("任职日期"), default=timezone.localdate)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    CAPABILITIES = {"view": "orgs.view", "change": "orgs.manage"}

    class Meta:
        ordering = ["org__path", "post"]
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "post"],
                condition=Q(ended_on__isnull=True) & Q(post__in=["secretary"]),
                name="one_current_secretary",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.get_post_display()} {self.person}"


class Grant(ScopedModel):
    """A role at an org node, reaching that node's subtree. Roles and capabilities are rule data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=40)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(_("到期日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    SCOPE_SELF = "user"
    CAPABILITIES = {"view": "orgs.manage_grants", "change": "orgs.manage_grants"}

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.org}"

    @property
    def role_label(self) -> str:
        """The role's Chinese name from the role files (pages show this, never the code)."""
        return capabilities.role_label(self.role)

    @classmethod
    def live_for(cls, user) -> models.QuerySet:
        today = timezone.localdate()
        return cls.all_objects.filter(user=user, revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("未导入")


class RosterImport(ScopedModel):
    """A large roster import, run as a background job (a request would hit the worker timeout). All or nothing as
    in the page: `errors` lists each row's problems when nothing was written. The uploaded file holds ID numbers:
    it is deleted when the job ends."""

    MAX_ERRORS_KEPT = 1000

    org = models.ForeignKey(Org, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    checked = models.PositiveIntegerField(_("已检查行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    error_count = models.PositiveIntegerField(_("问题数"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row, column, message], ...], the first MAX_ERRORS_KEPT
    message = models.CharField(max_length=300, blank=True)  # a problem of the whole file
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_PATH = "org__path"
    CAPABILITIES = {"view": "orgs.manage", "change": "orgs.manage"}

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")

    def __str__(self) -> str:
        return f"{self.org} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return int(100 * self.checked / self.rows) if self.rows else 0
