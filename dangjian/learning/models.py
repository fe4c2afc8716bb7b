"""Learning: materials, study plans, training records, question banks and knowledge contests, essay contests.

Learning is recorded by what was studied and completed, never by minutes on screen (domain-rules.md §9):
there is no timer on reading, no points ranking of people and no check-in. Hours come from the data of a
plan or a training record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org, Person


class HoursCategory(models.TextChoices):
    """Which study-hours record (学时) an item counts toward. Fields holding it keep their name `ledger` (the
    column and the API field); it is not a ledgers.Ledger."""

    PARTY_TRAINING = "party_training", _("党员教育培训")
    TEACHER_CE = "teacher_ce", _("教师继续教育")


class Audience(models.TextChoices):
    MEMBERS = "members", _("党员")
    ALL = "all", _("全体教职工")


# --- materials ------------------------------------------------------------------------------------


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("文档")
    VIDEO = "video", _("视频链接")
    ARTICLE = "article", _("文章")


class Material(ScopedModel):
    """A study material published by an org for everyone below it."""

    org = models.ForeignKey(Org, verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    topic = models.CharField(_("专题"), max_length=50, db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=MaterialKind.choices)
    file = models.FileField(_("附件"), upload_to="learning/materials/%Y/%m/", blank=True, max_length=255)
    url = models.URLField(_("链接"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")

    def __str__(self) -> str:
        return self.title


# --- study plans ----------------------------------------------------------------------------------


class StudyPlan(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    audience = models.CharField(_("学习对象"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    ledger = models.CharField(
        _("计入学时"), max_length=20, choices=HoursCategory.choices, default=HoursCategory.PARTY_TRAINING
    )
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    SELF_STUDY = "self_study", _("自学")
    SESSION = "session", _("集中学习")


class PlanItem(ScopedModel):
    """One thing to study: self-study (the member marks it done) or a 集中学习 session (attendance)."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("方式"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("学习内容"), max_length=200)
    topic = models.CharField(_("专题"), max_length=50, blank=True)
    material = models.ForeignKey(
        Material, verbose_name=_("学习资料"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    due_on = models.DateField(_("完成期限"))
    held_on = models.DateField(_("集中学习日期"), null=True, blank=True)

    SCOPE_PATH = "plan__org__path"
    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("学习内容")
        verbose_name_plural = _("学习内容")

    def __str__(self) -> str:
        return self.title


class Completion(ScopedModel):
    """A person completed a plan item: marked by themselves (self-study) or by attendance (session)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="completions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField(_("完成日期"))
    by_attendance = models.BooleanField(_("集中学习出席"), default=False)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "learning.progress", "change": "learning.manage"}

    class Meta:
        verbose_name = _("完成记录")
        verbose_name_plural = _("完成记录")
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="learning_one_completion")]


# --- training records -----------------------------------------------------------------------------


class TrainingRecord(ScopedModel):
    """Training attended, with the hours the certificate or the organizer states (never time on screen)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    ledger = models.CharField(_("学时类别"), max_length=20, choices=HoursCategory.choices)
    category = models.CharField(_("培训类型"), max_length=30)
    title = models.CharField(_("培训名称"), max_length=200)
    day = models.DateField(_("日期"), db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    organizer = models.CharField(_("举办单位"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "learning.progress", "change": "learning.manage"}

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        indexes = [models.Index(fields=["person", "ledger", "day"])]

    def __str__(self) -> str:
        return self.title


# --- question banks and knowledge contests --------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    FILL = "fill", _("填空题")


class QuestionBank(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("题库名称"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    # Questions carry their answers: only organizers open a bank (get_for_user(..., write=True)).
    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["-id"]
        verbose_name = _("题库")
        verbose_name_plural = _("题库")

    def __str__(self) -> str:
        return self.name


class Question(ScopedModel):
    """Options are a list of texts (A, B, C… by position); `answer` is letters ("AC"), "T"/"F", or for a
    fill-in question the accepted answers separated by "|"."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.CharField(_("答案"), max_length=200)
    explanation = models.TextField(_("解析"), blank=True)
    topic = models.CharField(_("专题"), max_length=50, db_index=True)

    SCOPE_PATH = "bank__org__path"
    CAPABILITIES = {"view": "learning.manage", "change": "learning.manage"}

    class Meta:
        ordering = ["id"]
        verbose_name = _("试题")
        verbose_name_plural = _("试题")

    def __str__(self) -> str:
        return self.stem[:40]


class Contest(ScopedModel):
    """A knowledge contest open to everyone under `org`. `draw_rules` is a list of
    {"kind": <QuestionKind>, "topic": "" (any) or a topic, "count": n}; every attempt draws its own paper."""

    org = models.ForeignKey(Org, verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(QuestionBank, verbose_name=_("题库"), on_delete=models.PROTECT, related_name="contests")
    title = models.CharField(_("竞赛名称"), max_length=200)
    audience = models.CharField(_("参赛对象"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    draw_rules = models.JSONField(_("抽题规则"), default=list)
    points_per_question = models.PositiveSmallIntegerField(_("每题分值"), default=2)
    time_limit_minutes = models.PositiveSmallIntegerField(_("作答时限（分钟）"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("允许作答次数"), default=1)
    partial_credit = models.BooleanField(_("多选题少选得部分分"), default=False)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    created_at = models.DateTimeField(default=timezone.now)

    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("知识竞赛")
        verbose_name_plural = _("知识竞赛")

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return sum(int(r["count"]) for r in self.draw_rules)

    @property
    def max_score(self) -> int:
        return self.question_count * self.points_per_question


class Attempt(ScopedModel):
    """One person's attempt. `paper` is the drawn paper as served: [{"q": question id, "order": [original
    option indexes in display order]}]; `answers` maps question id to the answer in original letters."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    paper = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    # Another person's answers are nobody's business but theirs: organizers see aggregates only.
    CAPABILITIES = {"view": "learning.view_attempts", "change": "learning.view_attempts"}

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [models.UniqueConstraint(fields=["contest", "person", "number"], name="learning_attempt_number")]


# --- essay contests -------------------------------------------------------------------------------


class CallStatus(models.TextChoices):
    OPEN = "open", _("征集与评审中")
    FINAL = "final", _("已公布")


class EssayCall(ScopedModel):
    """A call for essays. `rubric` is [{"name": 评分项, "max": 满分}]; `tiers` is [{"name": 奖项, "count": n}]."""

    org = models.ForeignKey(Org, verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("征文名称"), max_length=200)
    theme = models.TextField(_("征文主题"))
    deadline = models.DateTimeField(_("截止时间"))
    audience = models.CharField(_("征集对象"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    rubric = models.JSONField(_("评分标准"), default=list)
    tiers = models.JSONField(_("奖项设置"), default=list)
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("评委"), related_name="+", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=CallStatus.choices, default=CallStatus.OPEN)
    finalized_at = models.DateTimeField(null=True, blank=True)

    CAPABILITIES = {"view": "learning.view", "change": "learning.manage"}

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("征文活动")
        verbose_name_plural = _("征文活动")

    def __str__(self) -> str:
        return self.title


class Essay(ScopedModel):
    """A submission. Judges know it only by `blind_code` until the call's scores are final."""

    call = models.ForeignKey(EssayCall, on_delete=models.CASCADE, related_name="essays")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    blind_code = models.CharField(_("匿名编号"), max_length=12, unique=True)
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    file = models.FileField(_("附件"), upload_to="learning/essays/", blank=True, max_length=255)
    consent_public = models.BooleanField(_("获奖后同意公开姓名"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    award = models.CharField(_("奖项"), max_length=30, blank=True)
    # Placed within the tiers, but the author was not eligible for an award on the day the scores became final
    # (core.eligibility); the place passed to the next essay. Why is never stored or shown here.
    award_withheld = models.BooleanField(_("不符合评奖条件"), default=False)

    SCOPE_PATH = "person__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "learning.view_attempts", "change": "learning.view_attempts"}

    class Meta:
        ordering = ["blind_code"]
        verbose_name = _("征文作品")
        verbose_name_plural = _("征文作品")
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="learning_one_essay_per_call")]


class Review(ScopedModel):
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="reviews")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(default=dict)  # {rubric item name: score}
    total = models.DecimalField(max_digits=6, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "essay__call__org__path"
    SCOPE_SELF = "judge"
    CAPABILITIES = {"view": "learning.view_attempts", "change": "learning.view_attempts"}

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["essay", "judge"], name="learning_one_review_per_judge")]
