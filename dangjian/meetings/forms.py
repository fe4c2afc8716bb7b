from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import StaleEditGuard
from dangjian.meetings.models import ORG_LIFE_CHOICES, Audience, Grade, Kind, Presence, Status

ROSTER_CHOICES = [("members", _("全体党员")), ("committee", _("支委委员")), ("group", _("党小组成员"))]
QUICK_ROSTER_CHOICES = [*ROSTER_CHOICES, ("pair", _("谈话双方（谈心谈话）"))]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _now_rounded() -> dt.datetime:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return now.replace(minute=0 if now.minute < 30 else 30)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ORG_LIFE_CHOICES)
    topic = forms.CharField(label=_("主题"), max_length=200)
    starts_at = forms.DateTimeField(label=_("时间"), widget=DATETIME)
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=10, max_value=600, initial=90)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    online_url = forms.URLField(label=_("线上会议或直播链接"), required=False, assume_scheme="https")
    audience = forms.ChoiceField(
        label=_("公开直播范围"),
        choices=Audience.choices,
        required=False,
        help_text=_("公开后，教职工无需登录即可在直播列表看到时间、主题和链接。"),
    )

    def meeting_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("roster", None)
        return data


class PlanForm(MeetingForm):
    roster = forms.ChoiceField(label=_("应到人员"), choices=ROSTER_CHOICES)


class EditForm(StaleEditGuard, MeetingForm):
    status = forms.ChoiceField(label=_("状态"), choices=Status.choices)


class RecordFields(StaleEditGuard, forms.Form):
    """Host, recorder, minutes, resolutions; the attendance is read from st_<person>/rs_<person> fields."""

    host = forms.TypedChoiceField(label=_("主持人"), coerce=int, required=False, empty_value=None)
    recorder = forms.TypedChoiceField(label=_("记录人"), coerce=int, required=False, empty_value=None)
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    resolutions = forms.CharField(label=_("决议事项"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(p.pk, p.name) for p in people]
        self.fields["host"].choices = choices
        self.fields["recorder"].choices = choices


class QuickRecordForm(RecordFields):
    kind = forms.ChoiceField(label=_("类型"), choices=ORG_LIFE_CHOICES)
    topic = forms.CharField(label=_("主题"), max_length=200)
    starts_at = forms.DateTimeField(label=_("时间"), widget=DATETIME, initial=_now_rounded)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    roster = forms.ChoiceField(label=_("应到人员"), choices=QUICK_ROSTER_CHOICES)

    field_order = ["kind", "topic", "starts_at", "place", "roster", "host", "recorder", "minutes", "resolutions"]


class OnBehalfRecordForm(QuickRecordForm):
    """代录: the county records in a branch's name and says why (shown on the record and in the audit log)."""

    on_behalf_reason = forms.CharField(
        label=_("代录原因"),
        max_length=200,
        help_text=_("例如：支部书记调离，新书记尚未到任；支部提交纸质记录，由县里代为录入。"),
    )


def attendance_from_post(data, person_ids) -> dict[int, tuple[str, str]]:
    """{person_id: (status, reason)} for the people whose status or reason was sent."""
    found = {}
    for pk in person_ids:
        status = data.get(f"st_{pk}")
        if status in Presence.values:
            found[pk] = (status, data.get(f"rs_{pk}", ""))
    return found


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（可选：PDF、图片、Word、Excel）"))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=200)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200)
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)


class RectificationForm(forms.Form):
    item = forms.CharField(label=_("整改事项"), max_length=300)
    owner = forms.TypedChoiceField(label=_("责任人"), coerce=int)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(p.pk, p.name) for p in people]


class OrgLifePrepForm(forms.Form):
    prep_talks = forms.CharField(label=_("会前谈心谈话情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    prep_opinions = forms.CharField(
        label=_("会前征求意见情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


GRADE_CHOICES = [("", "—"), *list(Grade.choices)]


class ListFilter(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *list(Kind.choices)], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *list(Status.choices)], required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
