from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import StaleEditGuard

from .models import Kind, RoundKind


class SystemForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2018, max_value=2100)
    name = forms.CharField(label=_("名称（可不填）"), max_length=120, required=False)
    template = forms.ChoiceField(label=_("模板"), choices=[("default", _("默认模板：组织生活、责任落实、服务师生"))])


class IndicatorForm(StaleEditGuard, forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=120)
    max_points = forms.DecimalField(label=_("满分"), min_value=0, max_digits=6, decimal_places=2)
    target = forms.FloatField(label=_("满分所需数值"), min_value=0, required=False)
    rubric = forms.CharField(label=_("评分细则"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    advice = forms.CharField(label=_("改进建议"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AddIndicatorForm(IndicatorForm):
    parent = forms.ModelChoiceField(label=_("指标类别"), queryset=None)
    kind = forms.ChoiceField(
        label=_("类型"), choices=[(Kind.SCORED, Kind.SCORED.label), (Kind.DERIVED, Kind.DERIVED.label)]
    )
    formula = forms.ChoiceField(label=_("计算公式（自动指标）"), required=False)

    def __init__(self, *args, groups, formulas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = groups
        self.fields["formula"].choices = [("", "—")] + [(k, f"{k} {v}") for k, v in formulas]


class RoundForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=RoundKind.choices)
    start = forms.DateField(label=_("统计起始日"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("统计截止日"), widget=forms.DateInput(attrs={"type": "date"}))


class VisitForm(forms.Form):
    title = forms.CharField(label=_("观摩活动"), max_length=120)
    visit_on = forms.DateField(label=_("观摩日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("结束日期（一周的观摩填写，一天的可不填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    system = forms.ModelChoiceField(
        label=_("评分表（不选则用默认观摩评分细则）"), queryset=None, required=False, empty_label=_("默认观摩评分细则")
    )
    schools = forms.ModelMultipleChoiceField(label=_("观摩学校"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, schools, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["system"].queryset = systems


class GroupForm(forms.Form):
    name = forms.CharField(label=_("观摩组名称"), max_length=60)


class ObserverForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    unit = forms.CharField(label=_("单位"), max_length=60, required=False)
    group = forms.ModelChoiceField(label=_("所在观摩组"), queryset=None, required=False)
    username = forms.CharField(label=_("平台账号（没有账号的不填，发个人链接）"), max_length=150, required=False)
    leader = forms.BooleanField(label=_("担任组长"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class CloseForm(forms.Form):
    due_on = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RectificationForm(forms.Form):
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    file = forms.FileField(label=_("佐证材料（可选）"), required=False)
