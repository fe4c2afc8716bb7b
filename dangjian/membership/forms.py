from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.membership.models import DuesCategory, Outcome
from dangjian.orgs.models import Stage

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
    meeting = forms.ModelChoiceField(label=_("选举大会（已记录的支部党员大会）"), queryset=None)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=9)
    votes = forms.CharField(
        label=_("候选人得票（每行：姓名 得票数 分工，分工可省略：secretary 书记、organization 组织委员等）"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings

    def clean_votes(self) -> list[tuple[str, int, str]]:
        rows = []
        for line in self.cleaned_data["votes"].splitlines():
            words = line.replace("，", " ").replace(",", " ").split()
            if not words:
                continue
            if len(words) < 2 or not words[1].isdigit():
                raise ValidationError(_("“%(l)s”应写成“姓名 得票数”。") % {"l": line.strip()})
            rows.append((words[0], int(words[1]), words[2] if len(words) > 2 else ""))
        if not rows:
            raise ValidationError(_("请填写候选人得票。"))
        return rows
