from django import forms
from django.utils.translation import gettext_lazy as _


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("任务名称"), max_length=120)
    body = forms.CharField(label=_("任务内容"), widget=forms.Textarea)
    expected = forms.CharField(
        label=_("需报送的成果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明完成后报送什么（文字即可，不要求照片）。"),
    )
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))
    fulfilled_by = forms.ChoiceField(
        label=_("由记录自动完成"),
        required=False,
        help_text=_("选择后，承办单位记录了这类活动即自动完成，并链接到该记录，无需另行报送。"),
    )
    receivers = forms.ModelMultipleChoiceField(
        label=_("承办单位"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    all_receivers = forms.BooleanField(label=_("全部下级组织"), required=False, initial=True)

    def __init__(self, *args, receivers, fulfilling: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receivers"].queryset = receivers
        self.fields["fulfilled_by"].choices = [("", _("不自动完成（由承办单位报告）")), *fulfilling]

    def chosen(self):
        if self.cleaned_data.get("all_receivers"):
            return list(self.fields["receivers"].queryset)
        return list(self.cleaned_data.get("receivers") or [])


class ReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    done = forms.BooleanField(label=_("已全部完成"), required=False)
    file = forms.FileField(label=_("附件（可选，不要求照片）"), required=False)


class SupervisionForm(forms.Form):
    note = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ListFilterForm(forms.Form):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    due_from = forms.DateField(label=_("期限自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label=_("期限至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
