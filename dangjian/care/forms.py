from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.care.models import AssistanceKind, Disability, PriorityGroup, RoundKind, Student, SupportMode
from dangjian.core.forms import NamedBlankChoices, StaleEditGuard
from dangjian.orgs.fields import EMPTY_LABEL, SchoolChoiceField


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索姓名或班级"), required=False, max_length=50)


class StudentForm(NamedBlankChoices, forms.ModelForm):
    class Meta:
        model = Student
        field_classes = {"school": SchoolChoiceField}
        fields = [
            "school",
            "name",
            "id_number",
            "gender",
            "grade",
            "address",
            "guardian_phone",
            "household_income",
            "priority_group",
            "disability",
            "disability_detail",
            "support_mode",
        ]

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        if "school" in self.fields:
            self.fields["school"].queryset = schools
        self.fields["priority_group"].choices = [("", _("无")), *PriorityGroup.choices]
        self.fields["disability"].choices = [("", _("无")), *Disability.choices]
        self.fields["support_mode"].choices = SupportMode.choices


class StudentEditForm(StaleEditGuard, StudentForm):
    """Editing a registered student without putting the record on the page unmasked: the identifying fields start
    empty (their masked values are shown beside them) and change only when filled in."""

    REPLACE_ONLY = ("name", "id_number", "address", "guardian_phone", "household_income")

    class Meta(StudentForm.Meta):
        fields = [name for name in StudentForm.Meta.fields if name != "school"]  # a move is a new registration

    def __init__(self, *args, **kwargs):
        super().__init__(*args, schools=None, **kwargs)
        for name in self.REPLACE_ONLY:
            self.initial[name] = ""
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = _("留空则不变")

    def _blank(self, name: str) -> bool:
        return not str(self.data.get(self.add_prefix(name), "")).strip()

    def clean(self):
        cleaned = super().clean()
        for name in self.REPLACE_ONLY:
            if self._blank(name):
                cleaned[name] = getattr(self.instance, name)
                self.errors.pop(name, None)
        return cleaned

    def changes(self) -> dict:
        """The fields the page changed, for services.update_student (an empty identifying field is no change)."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if not (name in self.REPLACE_ONLY and self._blank(name))
        }


class PairForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label=_("结对党员"), empty_label=EMPTY_LABEL)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class AssistanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("资助内容"), choices=AssistanceKind.choices)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("金额（元，可不填）"), max_digits=10, decimal_places=2, required=False)
    given_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    given_by = forms.CharField(label=_("提供者"), max_length=100)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    visitor = forms.CharField(label=_("回访人"), max_length=100)
    summary = forms.CharField(label=_("情况记录"), max_length=2000, widget=forms.Textarea)


class RoundForm(forms.Form):
    school = SchoolChoiceField(label=_("学校"))
    kind = forms.ChoiceField(label=_("类型"), choices=RoundKind.choices)
    period = forms.CharField(label=_("学年/学期"), max_length=20, help_text=_("例如 2026-2027 或 2026-2027-1"))
    notice_on = forms.DateField(label=_("告知日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ApplyForm(forms.Form):
    student = forms.ModelChoiceField(queryset=None, label=_("学生"), empty_label=EMPTY_LABEL)
    requested_tier = forms.ChoiceField(label=_("申请档次"), required=False)

    def __init__(self, *args, students, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: str(s)
        self.fields["requested_tier"].choices = [("", "—"), *tiers.items()]


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("认定结果"), choices=[("1", _("认定")), ("0", _("不予认定"))], coerce=lambda v: v == "1"
    )
    tier = forms.ChoiceField(label=_("档次"), required=False)

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "—"), *tiers.items()]


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
