"""Forms for 师德. Field names match the keyword arguments of the service each form feeds."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import periods, rules
from dangjian.ethics.eligibility import PURPOSES


def _date(label=None) -> forms.DateField:
    return forms.DateField(
        label=label or _("日期"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


def _text(label, required=True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


def sanction_choices(*, with_blank=False) -> list[tuple[str, str]]:
    kinds = rules.rule_values("ethics", "sanctions")["kinds"]
    choices = [(code, spec["label"]) for code, spec in kinds.items()]
    return [("", "—"), *choices] if with_blank else choices


def purpose_choices() -> list[tuple[str, str]]:
    return list(rules.rule_values("ethics", "sanctions")["disqualification_purposes"].items())


def standard_choices() -> list[tuple[int, str]]:
    return [(s["number"], f"{s['number']}. {s['title']}") for s in rules.rule_values("ethics", "standards")["items"]]


class CaseReportForm(forms.Form):
    person = forms.ModelChoiceField(label=_("当事教师"), queryset=None)
    source = forms.ChoiceField(label=_("线索来源"))
    reported_on = _date(_("受理日期"))
    summary = _text(_("反映的问题"))
    standards = forms.TypedMultipleChoiceField(
        label=_("涉及准则"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    source_detail = _text(_("来源说明（不向当事人展示）"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["source"].choices = list(rules.rule_values("ethics", "cases")["sources"].items())
        self.fields["standards"].choices = standard_choices()


class InvestigateForm(forms.Form):
    on = _date()
    note = _text(_("说明"), required=False)


class EvidenceForm(forms.Form):
    description = _text(_("证据说明"))
    file = forms.FileField(label=_("附件（PDF、图片、Word，可不传）"), required=False)


class CloseForm(forms.Form):
    on = _date()
    reason = _text(_("不予处理的理由"))


class NotifyForm(forms.Form):
    on = _date(_("告知日期"))
    findings = _text(_("调查认定的事实"))
    proposed = forms.ChoiceField(label=_("拟处理"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed"].choices = sanction_choices()


class StatementForm(forms.Form):
    on = _date()
    statement = _text(_("陈述和申辩"))


class WaiveForm(forms.Form):
    on = _date()
    reason = _text(_("未陈述申辩的原因（如本人明确放弃、逾期未陈述）"))


class HearingRequestForm(forms.Form):
    on = _date(_("申请日期"))


class HearingForm(forms.Form):
    on = _date(_("听证日期"))
    record = _text(_("听证记录"))


class DecideForm(forms.Form):
    on = _date(_("决定日期"))
    decision = forms.ChoiceField(label=_("处理决定"))
    reason = _text(_("处理依据与理由"))
    disqualify = forms.MultipleChoiceField(
        label=_("同时取消以下资格"), required=False, widget=forms.CheckboxSelectMultiple
    )
    disqualify_months = forms.IntegerField(label=_("取消资格期限（月）"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = sanction_choices()
        self.fields["disqualify"].choices = purpose_choices()


class AppealForm(forms.Form):
    on = _date(_("申请日期"))
    text = _text(_("申请复核的理由"))


class ReviewForm(DecideForm):
    outcome = forms.ChoiceField(
        label=_("复核结果"),
        choices=[("upheld", _("维持原决定")), ("changed", _("变更处理")), ("revoked", _("撤销处理"))],
    )
    field_order = ["on", "outcome", "reason", "decision", "disqualify", "disqualify_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("复核日期")
        self.fields["reason"].label = _("复核意见")
        self.fields["decision"].label = _("变更后的处理（仅变更时填写）")
        self.fields["decision"].required = False
        self.fields["decision"].choices = sanction_choices(with_blank=True)


CASE_STEP_FORMS: dict[str, type[forms.Form]] = {
    "investigate": InvestigateForm,
    "evidence": EvidenceForm,
    "close": CloseForm,
    "notify": NotifyForm,
    "statement": StatementForm,
    "waive": WaiveForm,
    "hearing_request": HearingRequestForm,
    "hearing": HearingForm,
    "decide": DecideForm,
    "appeal": AppealForm,
    "review": ReviewForm,
}


# --- appraisals -----------------------------------------------------------------------------------


def year_choices() -> list[tuple[str, str]]:
    current = periods.containing("academic_year", timezone.localdate())
    years = [current.previous().previous(), current.previous(), current]
    return [(p.key, p.label) for p in reversed(years)]


class OpenAppraisalsForm(forms.Form):
    year_key = forms.ChoiceField(label=_("学年"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_key"].choices = year_choices()


class SelfAssessmentForm(forms.Form):
    text = _text(_("个人自评（对照十项准则）"))
    concerns = forms.TypedMultipleChoiceField(
        label=_("我认为需要改进的方面"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = standard_choices()


class InputForm(forms.Form):
    source = forms.ChoiceField(label=_("评议来源"))
    respondents = forms.IntegerField(label=_("参评人数"), min_value=1)
    satisfied = forms.IntegerField(label=_("评价满意人数"), min_value=0)
    comments = _text(_("评议意见摘要"), required=False)

    def __init__(self, *args, inputs: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(inputs.items())


class GradeForm(forms.Form):
    on = _date(_("评定日期"))
    grade = forms.ChoiceField(label=_("等次"))
    reasons = _text(_("评定理由（基本合格、不合格须填写）"), required=False)

    def __init__(self, *args, grades: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = list(grades.items())


class ObjectionForm(forms.Form):
    on = _date()
    text = _text(_("异议内容"))


class AnswerForm(forms.Form):
    on = _date()
    reply = _text(_("复核意见"))
    grade = forms.ChoiceField(label=_("复核后等次（不变可不选）"), required=False)

    def __init__(self, *args, grades: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "—"), *grades.items()]


class EligibilityForm(forms.Form):
    purpose = forms.ChoiceField(label=_("核查事项"), required=False)
    on = forms.DateField(label=_("核查日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("姓名或拼音首字母"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(purpose_choices())
        self.fields["purpose"].choices = [(p, labels.get(p, p)) for p in PURPOSES]
