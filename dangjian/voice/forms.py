from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.fields import OrgChoiceField, SchoolChoiceField
from dangjian.voice.models import Category, Rating, Status, SubmitterKind


class ConcernForm(forms.Form):
    school = SchoolChoiceField(queryset=None, label=_("学校"), empty_label=_("请选择学校"))
    submitter_kind = forms.ChoiceField(label=_("您的身份"), choices=SubmitterKind.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea)
    attachment = forms.FileField(label=_("附件（可选：PDF、图片、Word）"), required=False)
    anonymous = forms.BooleanField(label=_("匿名提交（凭查询码跟进）"), required=False)

    def __init__(self, *args, schools, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        if not signed_in:
            del self.fields["anonymous"]


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=32)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        person = getattr(obj, "person", None)
        return _("师德工作专员 %(name)s") % {"name": person.name if person else obj.get_full_name() or obj.username}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        person = getattr(obj, "person", None)
        return person.name if person else obj.get_full_name() or obj.username


class TransferForm(forms.Form):
    """One of: an org (its handlers take the concern over), an ethics officer (who handles it in person), or a
    school office with the staff member who handles it there."""

    org = OrgChoiceField(label=_("转给承办组织"), required=False, empty_label=_("（不转给组织）"))
    assignee = OfficerChoiceField(
        queryset=None, label=_("或转给师德工作专员"), required=False, empty_label=_("（不转给专员）")
    )
    office = forms.ChoiceField(label=_("或转给本校科室"), required=False)
    office_person = StaffChoiceField(
        queryset=None, label=_("科室承办人"), required=False, empty_label=_("（请选择承办人）")
    )

    def __init__(self, *args, orgs, officers, offices, staff, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = officers
        cast(forms.ChoiceField, self.fields["office"]).choices = [("", _("（不转给科室）"))] + [(o, o) for o in offices]
        cast(forms.ModelChoiceField, self.fields["office_person"]).queryset = staff

    def clean(self) -> dict:
        data = super().clean() or {}
        if bool(data.get("office")) != bool(data.get("office_person")):
            raise forms.ValidationError(_("转给科室时，请同时选择科室和承办人。"))
        return data

    def choice(self) -> dict:
        """The transfer as services.transfer's keyword arguments."""
        data = self.cleaned_data
        if data.get("office"):
            return {"org": None, "assignee": data["office_person"], "office": data["office"]}
        return {"org": data.get("org"), "assignee": data.get("assignee")}


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("上报理由"), max_length=200, required=False)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("对答复的评价"), choices=Rating.choices, widget=forms.RadioSelect)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新办理的理由"), max_length=2000, widget=forms.Textarea)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False)
    level = forms.ChoiceField(label=_("层级"), choices=[("", _("全部")), ("county", _("已上报县里"))], required=False)
