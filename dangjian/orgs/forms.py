from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import NamedBlankChoices, StaleEditGuard
from dangjian.orgs.fields import EMPTY_LABEL, OrgChoiceField, SchoolChoiceField
from dangjian.orgs.models import LeaveReason, OrgKind, Person, PostKind, SchoolStage


class PersonForm(NamedBlankChoices, StaleEditGuard, forms.ModelForm):
    class Meta:
        model = Person
        # Leaving, transfer and return have their own actions (they also touch logins, grants and posts).
        fields = ["name", "gender", "birth_date", "phone", "school", "org", "job", "title"]
        field_classes = {"school": SchoolChoiceField, "org": OrgChoiceField}
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, schools, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the scoping layer: a user can only move people within what they manage.
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（.xlsx）"))


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或拼音首字母"), required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("建议用姓名拼音，如 zhangsan"))


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    org = OrgChoiceField(label=_("组织"))
    expires_on = forms.DateField(
        label=_("到期日期（可不填）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, roles, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = roles
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs


class AppointForm(forms.Form):
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("人员"), queryset=None, empty_label=EMPTY_LABEL
    )
    post = forms.ChoiceField(label=_("职务"), choices=PostKind.choices)
    started_on = forms.DateField(label=_("任职日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("学校名称"), required=False)
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    stage = forms.ChoiceField(label=_("学段"), required=False, choices=[("", _("全部")), *SchoolStage.choices])

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["township"]).choices = [("", _("全部"))] + [(t, t) for t in townships]


class OrgCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"))
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：实验小学第一党支部"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(k, OrgKind(k).label) for k in kinds]


class OrgEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    parent = OrgChoiceField(label=_("上级组织"), help_text=_("调整后，下级组织一并随之调整"))

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parents


class DissolveForm(forms.Form):
    on = forms.DateField(label=_("撤销日期"), widget=forms.DateInput(attrs={"type": "date"}))


class SchoolForm(forms.Form):
    WITH_BRANCH = "with_branch"
    EXISTING_ORG = "existing_org"

    mode = forms.ChoiceField(
        label=_("建制方式"),
        choices=[(WITH_BRANCH, _("新建学校及其党支部")), (EXISTING_ORG, _("学校由已有党组织负责"))],
        widget=forms.RadioSelect,
        initial=WITH_BRANCH,
    )
    org = OrgChoiceField(
        label=_("党组织"),
        help_text=_("新建党支部时选上级组织；由已有党组织负责时选该组织（学校党委、党总支或党支部）"),
    )
    name = forms.CharField(label=_("学校名称"), max_length=100)
    branch_name = forms.CharField(
        label=_("党支部名称（可不填）"), max_length=100, required=False, help_text=_("不填则为“学校名称＋党支部”")
    )
    stage = forms.ChoiceField(label=_("学段"), choices=SchoolStage.choices)
    township = forms.CharField(label=_("乡镇（街道）"), max_length=50, required=False)
    code = forms.CharField(label=_("学校代码"), max_length=20, required=False)
    student_count = forms.IntegerField(label=_("学生数"), min_value=0, initial=0)
    staff_count = forms.IntegerField(label=_("教职工数"), min_value=0, initial=0)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs


class SetupImportForm(forms.Form):
    file = forms.FileField(label=_("建制文件（.xlsx）"))


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("离开原因"), choices=LeaveReason.choices)
    on = forms.DateField(label=_("离开日期"), widget=forms.DateInput(attrs={"type": "date"}))


class TransferForm(forms.Form):
    org = OrgChoiceField(label=_("调入组织"))
    school = SchoolChoiceField(label=_("调入学校"), required=False, empty_label=_("不在学校任职"))
    on = forms.DateField(label=_("调动日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs
