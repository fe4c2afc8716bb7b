"""Assessment: indicator systems as data, rounds, assessor scores, computed results, on-site observation.

Results and their lines are a precomputed table: a round is computed (derived indicators from the formula
registry, scored indicators from assessors' scores) and pages and dashboards read the stored figures. Every
line keeps how it was computed and where its evidence is.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import indicators
from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org, School


class IndicatorSystem(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    template = models.CharField(_("来源模板"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    GROUP = "group", _("指标类别")
    DERIVED = "derived", _("由记录自动计算")
    SCORED = "scored", _("专家按细则评分")


class Indicator(ScopedModel):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("上级指标")
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    formula = models.CharField(_("计算公式"), max_length=80, blank=True)
    metric = models.CharField(_("计量对象"), max_length=40, default="substance")
    max_points = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    target = models.FloatField(_("满分所需数值"), default=1.0, help_text=_("自动指标达到此数值即得满分，按比例计分。"))
    rubric = models.TextField(_("评分细则"), blank=True)
    advice = models.TextField(_("改进建议"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    SCOPE_PATH = "system__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["system", "order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def formula_label(self) -> str:
        """The formula's Chinese name from the indicator registry; the code only when nothing registered it."""
        found = indicators.registered().get(self.formula)
        return str(found.label) if found else self.formula


class RoundKind(models.TextChoices):
    HALF_YEAR = "half_year", _("半年考核")
    ANNUAL = "annual", _("年度考核")


class Round(ScopedModel):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=RoundKind.choices, default=RoundKind.ANNUAL)
    start = models.DateField(_("统计起始日"))
    end = models.DateField(_("统计截止日"))
    published = models.BooleanField(_("已公布排名"), default=False)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    SCOPE_PATH = "system__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["-end", "-id"]
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")

    def __str__(self) -> str:
        return self.name


class Score(ScopedModel):
    """An assessor's points for one scored indicator of one school, with the evidence looked at."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    comment = models.TextField(_("评语"))
    evidence = models.CharField(
        _("依据"), max_length=300, blank=True, help_text=_("查看了哪些记录，例如会议记录编号。")
    )
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "assessment.view", "change": "assessment.score"}

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["round", "indicator", "school"], name="one_score_per_item")]


class Result(ScopedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    max_total = models.DecimalField(_("可计满分"), max_digits=7, decimal_places=2)
    score = models.DecimalField(_("折算分"), max_digits=5, decimal_places=2, null=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    computed_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "assessment.view", "change": "assessment.manage"}

    class Meta:
        ordering = ["round", "rank", "school__name"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [models.UniqueConstraint(fields=["round", "school"], name="one_result_per_school")]

    def __str__(self) -> str:
        return f"{self.round} · {self.school}"


class LineStatus(models.TextChoices):
    COMPUTED = "computed", _("自动计算")
    SCORED = "scored", _("专家评分")
    NOT_CONNECTED = "not_connected", _("未接入")
    NO_DATA = "no_data", _("无数据")
    UNSCORED = "unscored", _("待评分")


COUNTED = (LineStatus.COMPUTED, LineStatus.SCORED)


class ResultLine(ScopedModel):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=LineStatus.choices)
    value = models.FloatField(_("测得数值"), null=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    max_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2)
    detail = models.TextField(_("计算说明"), blank=True)
    evidence_url = models.CharField(_("依据链接"), max_length=500, blank=True)

    SCOPE_PATH = "result__school__org__path"
    CAPABILITIES = {"view": "assessment.view", "change": "assessment.manage"}

    class Meta:
        ordering = ["result", "indicator__order", "indicator__code"]
        verbose_name = _("考核结果明细")
        verbose_name_plural = _("考核结果明细")

    @property
    def counted(self) -> bool:
        return self.status in COUNTED


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("进行中")
    CLOSED = "closed", _("已结束")


class ObservationVisit(ScopedModel):
    """观摩会 (DESIGN: ObservationEvent): the county visits schools along a route over a day or a week; observer
    groups, each with a leader, score every school on their phones against a score sheet and note problems
    (问题清单). Closing the event turns the problems into rectification items (整改) on the schools."""

    org = models.ForeignKey(Org, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("观摩活动"), max_length=120)
    visit_on = models.DateField(_("观摩日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)  # None: a one-day event
    # The score sheet: [{key, name, max, hint, formulas}], copied from an indicator system or the default rubric.
    items = models.JSONField(_("评分项目"), default=list)
    system = models.ForeignKey(
        IndicatorSystem,
        verbose_name=_("评分表来源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    schools = models.ManyToManyField(School, verbose_name=_("观摩学校"), related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["-visit_on", "-id"]
        verbose_name = _("现场观摩")
        verbose_name_plural = _("现场观摩")

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.visit_on

    @property
    def is_closed(self) -> bool:
        return self.status == VisitStatus.CLOSED


class VisitStop(ScopedModel):
    """One school on the event's route: in order, with the time the observers arrive."""

    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="stops")
    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    arrive_at = models.DateTimeField(_("到达时间"), null=True, blank=True)

    SCOPE_PATH = "visit__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["visit", "order", "id"]
        verbose_name = _("观摩路线")
        verbose_name_plural = _("观摩路线")
        constraints = [models.UniqueConstraint(fields=["visit", "school"], name="one_stop_per_school")]


class ObserverGroup(ScopedModel):
    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("观摩组"), max_length=60)

    SCOPE_PATH = "visit__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("观摩组")
        verbose_name_plural = _("观摩组")

    def __str__(self) -> str:
        return self.name


class Observer(ScopedModel):
    """观摩人员: with an account (`user`) or without one. Everyone opens their own sheets through a personal signed
    link (views.observer_link); `nonce` is in the signature, so a new nonce revokes the old link. The link stops
    working after the event's last day and once the event is closed."""

    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="observers")
    group = models.ForeignKey(
        ObserverGroup,
        verbose_name=_("观摩组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.CharField(_("单位"), max_length=60, blank=True)
    is_leader = models.BooleanField(_("组长"), default=False)
    nonce = models.CharField(max_length=32, editable=False)

    SCOPE_PATH = "visit__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.manage"}

    class Meta:
        ordering = ["visit", "group", "-is_leader", "id"]
        verbose_name = _("观摩人员")
        verbose_name_plural = _("观摩人员")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "user"], condition=models.Q(user__isnull=False), name="one_observer_per_user"
            ),
            models.UniqueConstraint(fields=["group"], condition=models.Q(is_leader=True), name="one_leader_per_group"),
        ]

    def __str__(self) -> str:
        return self.name


class ObservationSheet(ScopedModel):
    """One observer's sheet for one school: when it arrived (the organizer watches sheets come in)."""

    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="sheets")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey(Observer, on_delete=models.CASCADE, related_name="sheets")
    submitted_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "visit__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.observe"}

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["visit", "school", "observer"], name="one_sheet_per_school")]


class ObservationScore(ScopedModel):
    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="scores")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    # The account that scored (kept for scores from before observers were listed); `by` is the observer.
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(Observer, null=True, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(max_length=40)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    comment = models.CharField(_("观察记录"), max_length=300, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "visit__org__path"
    CAPABILITIES = {"view": "assessment.view_county", "change": "assessment.observe"}

    class Meta:
        verbose_name = _("观摩评分")
        verbose_name_plural = _("观摩评分")
        constraints = [
            models.UniqueConstraint(fields=["visit", "school", "observer", "item"], name="one_observation_score"),
            models.UniqueConstraint(
                fields=["visit", "school", "by", "item"], condition=models.Q(by__isnull=False), name="one_score_by"
            ),
        ]


class Problem(ScopedModel):
    """问题清单: a problem an observer found at a school, about one item of the sheet (or in general)."""

    visit = models.ForeignKey(ObservationVisit, on_delete=models.CASCADE, related_name="problems")
    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Observer, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems")
    item = models.CharField(_("评分项目"), max_length=40, blank=True)
    text = models.CharField(_("问题"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "assessment.view", "change": "assessment.observe"}

    class Meta:
        ordering = ["visit", "school", "id"]
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")

    def __str__(self) -> str:
        return self.text


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("已整改")


def rectification_path(instance: Rectification, filename: str) -> str:
    return f"assessment/rectifications/{timezone.localdate():%Y/%m}/{instance.pk}-{filename}"


class Rectification(ScopedModel):
    """整改: a problem raised at an observation event, to be fixed by the school by `due_on` and reported done with
    evidence (words; a file may be attached but never has to be). The next event on the school shows it."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="rectification")
    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    report = models.TextField(_("整改情况"), blank=True)
    file = models.FileField(_("佐证材料（可选）"), upload_to=rectification_path, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "school__org__path"
    CAPABILITIES = {"view": "assessment.view", "change": "assessment.rectify"}

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")

    def __str__(self) -> str:
        return f"{self.school} · {self.problem}"

    @property
    def is_done(self) -> bool:
        return self.status == RectificationStatus.DONE
