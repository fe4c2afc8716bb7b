"""Organizational life: meetings (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话), who was expected and who came,
votes, criticism and rectification, review grades; and the compliance table derived from them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org, Person


class Kind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    ORG_LIFE_MEETING = "org_life_meeting", _("组织生活会")
    MEMBER_REVIEW = "member_review", _("民主评议党员")
    HEART_TALK = "heart_talk", _("谈心谈话")
    # The school's leadership system (中办发〔2022〕7号; the leadership app keeps their agenda items). They are not
    # 三会一课: the rule data gives them no applies_to of an org kind, so compliance never owes or counts them.
    PARTY_ORG_MEETING = "party_org_meeting", _("党组织会议")
    PRINCIPAL_OFFICE_MEETING = "principal_office_meeting", _("校长办公会议")


# Kinds held by a school's leadership bodies, not by a branch's organizational life: the meetings pages do not offer
# them (they are planned and recorded on the leadership pages, with the bodies' members as their roster).
LEADERSHIP_KINDS = (Kind.PARTY_ORG_MEETING, Kind.PRINCIPAL_OFFICE_MEETING)
ORG_LIFE_CHOICES = [(k.value, k.label) for k in Kind if k not in LEADERSHIP_KINDS]


class Status(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Audience(models.TextChoices):
    """Who may see a meeting as a public live session (issue 9 item 5); empty: not public."""

    NONE = "", _("不公开")
    SCHOOL = "school", _("本校教职工")
    COUNTY = "county", _("全县教职工")


class Meeting(ScopedModel):
    org = models.ForeignKey(Org, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    starts_at = models.DateTimeField(_("时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=90)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    online_url = models.URLField(_("线上会议或直播链接"), blank=True)
    audience = models.CharField(_("公开直播范围"), max_length=10, choices=Audience.choices, blank=True, default="")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    host = models.ForeignKey(
        Person, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder = models.ForeignKey(
        Person, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("决议事项"), blank=True)
    prep_talks = models.TextField(_("会前谈心谈话情况"), blank=True)
    prep_opinions = models.TextField(_("会前征求意见情况"), blank=True)
    # Derived when the record is saved, so that lists and compliance need not re-read the attendance.
    quorum_met = models.BooleanField(_("达到法定人数"), null=True, blank=True)
    expected_count = models.PositiveIntegerField(_("应到人数"), default=0)
    attended_count = models.PositiveIntegerField(_("实到人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 代录: a county administrator recorded this meeting in the branch's name, and why (issue 17 item 3).
    recorded_on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # db_default: the bulk loaders (demo, bench) insert rows without naming these columns.
    on_behalf_reason = models.CharField(_("代录原因"), max_length=200, blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_PATH = "org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("会议与活动")
        verbose_name_plural = _("会议与活动")
        indexes = [
            models.Index(fields=["org", "kind", "starts_at"]),
            models.Index(fields=["starts_at"]),
            models.Index(fields=["audience", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.starts_at).date() if self.starts_at else timezone.localdate()

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_held(self) -> bool:
        return self.status == Status.HELD

    @property
    def attendance_rate(self) -> float | None:
        return self.attended_count / self.expected_count if self.expected_count else None

    @property
    def is_incomplete(self) -> bool:
        """Held, but recorded without minutes or resolutions (记录不全)."""
        return self.is_held and not (self.minutes or self.resolutions)


class Attachment(ScopedModel):
    """An optional file attached to a meeting record (agenda, slides, a signed sheet). Never required."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="meetings/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(max_length=10)  # the core.files kind that matched: pdf, image, docx…
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "meeting__org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Presence(models.TextChoices):
    PRESENT = "present", _("出席")
    ONLINE = "online", _("线上")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


ATTENDED = (Presence.PRESENT, Presence.ONLINE)


class LeaveState(models.TextChoices):
    """A member's own leave request, decided by the secretary (or whoever records the meeting)."""

    NONE = "", _("未请假")
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已准假")
    DECLINED = "declined", _("未准假")


class Attendance(ScopedModel):
    """One expected attendee of a meeting. Starts as the expected roster; the record changes only exceptions."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("出席情况"), max_length=10, choices=Presence.choices, default=Presence.PRESENT)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    # Snapshots taken when the roster is set: who could vote (正式党员) and who sat on the committee that day.
    is_voting = models.BooleanField(_("有表决权"), default=False)
    is_committee = models.BooleanField(_("支委委员"), default=False)
    leave_requested_at = models.DateTimeField(_("本人请假时间"), null=True, blank=True)
    leave_state = models.CharField(
        _("请假审批"), max_length=10, choices=LeaveState.choices, blank=True, default="", db_default=""
    )

    SCOPE_PATH = "meeting__org__path"
    SCOPE_SELF = "person__user"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class Motion(ScopedModel):
    """A vote at a general assembly. Valid only with quorum; passed when yes > 1/2 of entitled voting members."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField(_("表决事项"), max_length=200)
    yes = models.PositiveIntegerField(_("赞成"), default=0)
    no = models.PositiveIntegerField(_("反对"), default=0)
    abstain = models.PositiveIntegerField(_("弃权"), default=0)
    entitled = models.PositiveIntegerField(_("应到会有表决权党员"), default=0)
    present_voting = models.PositiveIntegerField(_("实到会有表决权党员"), default=0)
    valid = models.BooleanField(_("表决有效"), default=False)
    passed = models.BooleanField(_("通过"), default=False)

    SCOPE_PATH = "meeting__org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("表决")
        verbose_name_plural = _("表决")

    def __str__(self) -> str:
        return self.title


class LifeEntry(ScopedModel):
    """组织生活会: a member's self-criticism and the criticism they received."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="life_entries")
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+")
    self_criticism = models.TextField(_("自我批评"), blank=True)
    criticism_received = models.TextField(_("收到的批评意见"), blank=True)

    SCOPE_PATH = "meeting__org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name = _("批评与自我批评")
        verbose_name_plural = _("批评与自我批评")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_life_entry_per_person")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.person_id}"


class Rectification(ScopedModel):
    """整改事项 after a 组织生活会 (or any meeting): who owns it and by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rectifications")
    item = models.CharField(_("整改事项"), max_length=300)
    owner = models.ForeignKey(Person, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    SCOPE_PATH = "meeting__org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self) -> str:
        return self.item


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class ReviewGrade(ScopedModel):
    """民主评议党员: a member's grade. Probationary members take part but get no grade (grade empty)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="grades")
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(_("等次"), max_length=24, choices=Grade.choices, blank=True)
    is_probationary = models.BooleanField(_("预备党员"), default=False)

    SCOPE_PATH = "meeting__org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name = _("评议等次")
        verbose_name_plural = _("评议等次")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_grade_per_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_grade_display()}"


class CellStatus(models.TextChoices):
    MET = "met", _("已完成")
    DUE = "due", _("待完成")
    OVERDUE = "overdue", _("逾期未完成")


class ComplianceCell(ScopedModel):
    """Precomputed compliance of one org, kind and period (held versus required), refreshed inside each meeting
    write and in full by the duty `meetings.refresh_compliance` (nightly). Pages and the county figures read this table."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="compliance_cells")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    period_key = models.CharField(max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    required = models.PositiveIntegerField(_("应开"))
    held = models.PositiveIntegerField(_("实开"))
    recorded = models.PositiveIntegerField(_("已记录"), default=0)  # held meetings, with or without quorum
    incomplete = models.PositiveIntegerField(
        _("记录不全"), default=0, db_default=0
    )  # held meetings without minutes or resolutions
    quorum_met = models.BooleanField(null=True)
    attendance_rate = models.FloatField(null=True)
    status = models.CharField(max_length=10, choices=CellStatus.choices)
    refreshed_at = models.DateTimeField(default=timezone.now)

    SCOPE_PATH = "org__path"
    CAPABILITIES = {"view": "meetings.view", "change": "meetings.record"}

    class Meta:
        ordering = ["org", "kind", "period_start"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "period_key"], name="one_cell_per_period")]
        indexes = [
            models.Index(fields=["period_start", "period_end"]),
            models.Index(fields=["status", "period_end"]),
            # The county figures: the cells falling due in some months, of a page of schools' orgs (0.8 ms against
            # a 30 ms scan of the province's cells).
            models.Index(fields=["period_end", "org"]),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.period_key}: {self.held}/{self.required}"
