from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import LeaveReason, Person, PostKind, SchoolStage


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        # Leaving, transfer and return have their own actions (they also touch logins, grants and posts).
        fields = ["name", "gender", "birth_date", "phone", "school", "org", "job", "title"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, schools, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the scoping layer: a user can only move people within what they manage.
        self.fields["school"].queryset = schools
        self.fields["org"].queryset = orgs


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（.xlsx）"))


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或拼音首字母"), required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("建议用姓名拼音，如 zhangsan"))


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    org = forms.ModelChoiceField(label=_("组织"), queryset=None)
    expires_on = forms.DateField(
        label=_("到期日期（可不填）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, roles, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["org"].queryset = orgs


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=None)
    post = forms.ChoiceField(label=_("职务"), choices=PostKind.choices)
    started_on = forms.DateField(label=_("任职日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("学校名称"), required=False)
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    stage = forms.ChoiceField(label=_("学段"), required=False, choices=[("", _("全部")), *SchoolStage.choices])

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全部"))] + [(t, t) for t in townships]


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("离开原因"), choices=LeaveReason.choices)
    on = forms.DateField(label=_("离开日期"), widget=forms.DateInput(attrs={"type": "date"}))


class TransferForm(forms.Form):
    org = forms.ModelChoiceField(label=_("调入组织"), queryset=None)
    school = forms.ModelChoiceField(label=_("调入学校"), queryset=None, required=False)
    on = forms.DateField(label=_("调动日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["org"].queryset = orgs
