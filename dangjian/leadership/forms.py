from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import EMPTY_LABEL
from dangjian.leadership import logic
from dangjian.leadership.models import Body, BodyRole, Outcome
from dangjian.meetings.models import Presence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
KIND_CHOICES = [("party_org_meeting", _("党组织会议")), ("principal_office_meeting", _("校长办公会议"))]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class AppointForm(forms.Form):
    body = forms.ChoiceField(label=_("班子"), choices=Body.choices)
    person = PersonChoice(label=_("人员"), queryset=None, empty_label=EMPTY_LABEL)
    role = forms.ChoiceField(label=_("职务"), choices=BodyRole.choices)
    started_on = forms.DateField(label=_("任职日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=KIND_CHOICES)
    starts_at = forms.DateTimeField(label=_("时间"), widget=DATETIME)
    topic = forms.CharField(
        label=_("会议名称"), max_length=200, required=False, help_text=_("可不填，默认为学校名称加会议类型。")
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)


class AttendanceForm(forms.Form):
    """One select per expected attendee (body members first); only exceptions to 出席 need changing."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"status_{row.person_id}"] = forms.ChoiceField(
                label=row.person.name, choices=Presence.choices, initial=row.status
            )

    def statuses(self) -> dict[int, tuple[str, str]]:
        return {row.person_id: (self.cleaned_data[f"status_{row.person_id}"], "") for row in self.rows}


class ItemForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"))
    proposer = PersonChoice(label=_("提出人"), queryset=None, required=False, empty_label=EMPTY_LABEL)
    fixed_by = PersonChoice(label=_("议题确定人"), queryset=None, empty_label=EMPTY_LABEL)
    communicated_on = forms.DateField(label=_("书记与校长沟通日期"), widget=DATE, required=False)
    communication = forms.CharField(
        label=_("会前沟通情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("重大问题须书记与校长充分沟通且无重大分歧后提交党组织会议。"),
    )
    party_decision = forms.TypedChoiceField(
        label=_("依据的党组织会议决定"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("校长办公会议部署落实党组织会议决定时选择。"),
    )

    def __init__(self, *args, people, day: dt.date, decisions=None, org_path: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = people
        self.fields["fixed_by"].queryset = people
        cats = logic.categories(on=max(day, dt.date(2022, 1, 1)), org_path=org_path)
        self.fields["category"].choices = [("", EMPTY_LABEL), *((k, c["label"]) for k, c in cats.items())]
        if decisions is None:  # a 党组织会议: its items carry out nothing
            del self.fields["party_decision"]
            return
        self.fields["party_decision"].choices = [
            ("", EMPTY_LABEL),
            *((d.pk, f"{d.meeting.day:%Y-%m-%d} {d.title}") for d in decisions),
        ]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    decision = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    discussion = forms.CharField(label=_("讨论情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    report_due_on = forms.DateField(
        label=_("执行情况报告时限"),
        widget=DATE,
        required=False,
        help_text=_("党组织会议的决定，不填则按规定天数计算。"),
    )


class ReportForm(forms.Form):
    reported_on = forms.DateField(label=_("报告日期"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(label=_("执行情况"), widget=forms.Textarea(attrs={"rows": 4}))
    completed = forms.BooleanField(label=_("已执行完毕"), required=False)


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("议事规则"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("纯文本，每一部分以标题行开头，空行分段。"),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=300)
