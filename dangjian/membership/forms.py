from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.membership.models import DuesCategory, Outcome
from dangjian.orgs.models import COMMITTEE_POSTS, Stage

DATE = forms.DateInput(attrs={"type": "date"})


class MonthField(forms.CharField):
    """A month as YYYY-MM (the month input of phones), returned as the month's first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value) -> dt.date | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value[:7], "%Y-%m").date()
        except ValueError as exc:
            raise ValidationError(_("月份格式应为“年-月”，如 2026-01。")) from exc


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class BaseForm(forms.Form):
    person = PersonChoice(label=_("党员"), queryset=None)
    category = forms.ChoiceField(label=_("类别"), choices=DuesCategory.choices)
    base = forms.DecimalField(label=_("月计算基数（元）"), min_value=0, max_digits=12, decimal_places=2, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PaymentForm(forms.Form):
    person = PersonChoice(label=_("党员"), queryset=None)
    first_month = MonthField(label=_("起始月份"))
    months = forms.IntegerField(label=_("月数"), min_value=1, max_value=12, initial=1)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("交纳日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class UploadForm(forms.Form):
    file = forms.FileField(label=_("党费基数文件（.xlsx）"))


class OpenDossierForm(forms.Form):
    person = PersonChoice(label=_("入党申请人"), queryset=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class StepForm(forms.Form):
    code = forms.ChoiceField(label=_("步骤"))
    done_on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    meeting = forms.ModelChoiceField(label=_("支委会会议"), queryset=None, required=False)
    motion = forms.ModelChoiceField(label=_("支部大会表决"), queryset=None, required=False)
    people = PeopleChoice(label=_("培养联系人或入党介绍人"), queryset=None, required=False)
    hours = forms.DecimalField(label=_("培训学时"), min_value=0, max_digits=6, decimal_places=1, required=False)
    outcome = forms.ChoiceField(label=_("支部大会的决定"), choices=[("", "—"), *Outcome.choices], required=False)
    extension_months = forms.IntegerField(label=_("延长预备期（月）"), min_value=1, max_value=24, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    exception_reason = forms.CharField(label=_("例外原因（超出时限等特殊情况时填写）"), max_length=300, required=False)

    def __init__(self, *args, steps=(), meetings=None, motions=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(s["code"], f"{s['number']}. {s['label']}") for s in steps]
        self.fields["meeting"].queryset = meetings
        self.fields["motion"].queryset = motions
        self.fields["people"].queryset = people


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class PlanForm(forms.Form):
    org = forms.ModelChoiceField(label=_("党支部"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned = forms.IntegerField(label=_("计划发展数"), min_value=0, max_value=500)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class TransferForm(forms.Form):
    person = PersonChoice(label=_("党员"), queryset=None)
    to_org = forms.ModelChoiceField(label=_("接收党支部"), queryset=None)
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, people=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["to_org"].queryset = targets


class LetterForm(forms.Form):
    person = PersonChoice(label=_("党员"), queryset=None)
    outside_org = forms.CharField(label=_("接收党组织（县外）"), max_length=120)
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=40)
    dues_paid_until = MonthField(label=_("党费交至"))
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class IncomingForm(forms.Form):
    person = PersonChoice(label=_("转入人员（已在本校名册中）"), queryset=None)
    stage = forms.ChoiceField(
        label=_("政治面貌"), choices=[(Stage.FULL, Stage.FULL.label), (Stage.PROBATIONARY, Stage.PROBATIONARY.label)]
    )
    outside_org = forms.CharField(label=_("原党组织（县外）"), max_length=120)
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=40)
    dues_paid_until = MonthField(label=_("党费交至"))
    probationary_on = forms.DateField(label=_("接收预备党员日期"), widget=DATE)
    full_on = forms.DateField(label=_("转正日期"), widget=DATE, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ReceiptForm(forms.Form):
    on = forms.DateField(label=_("回执返回日期"), widget=DATE)


class FlowingForm(forms.Form):
    person = PersonChoice(label=_("党员"), queryset=None)
    destination = forms.CharField(label=_("外出地点"), max_length=120)
    starts_on = forms.DateField(label=_("外出日期"), widget=DATE)
    ends_on = forms.DateField(label=_("预计返回日期"), widget=DATE)
    certificate = forms.CharField(label=_("流动党员活动证编号"), max_length=40, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ElectionForm(forms.Form):
    """换届选举: the meeting, the seats, and one line per full member of the branch (预备党员 cannot be elected):
    their votes, left empty for a member who was not a candidate, and the post they take if elected."""

    meeting = forms.ModelChoiceField(label=_("选举大会（已记录的支部党员大会）"), queryset=None)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=9)

    def __init__(self, *args, meetings=None, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.members = list(members)
        posts = [("", _("（委员）"))] + [(post.value, post.label) for post in COMMITTEE_POSTS]
        for person in self.members:
            self.fields[f"votes_{person.pk}"] = forms.IntegerField(
                label=_("%(n)s的得票") % {"n": person.name}, required=False, min_value=0, max_value=9999
            )
            self.fields[f"post_{person.pk}"] = forms.ChoiceField(
                label=_("%(n)s当选后的分工") % {"n": person.name}, choices=posts, required=False
            )

    def rows(self) -> list[tuple]:
        """(person, votes field, post field) for the template, in the roster's order."""
        return [(p, self[f"votes_{p.pk}"], self[f"post_{p.pk}"]) for p in self.members]

    def clean(self) -> dict:
        data = super().clean()
        votes = {p.pk: data[f"votes_{p.pk}"] for p in self.members if data.get(f"votes_{p.pk}") is not None}
        if not votes:
            raise ValidationError(_("请为每名候选人填写得票数（不是候选人的留空）。"))
        data["votes"] = votes
        data["posts"] = {pk: data[f"post_{pk}"] for pk in votes if data.get(f"post_{pk}")}
        return data
