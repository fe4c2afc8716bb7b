from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Person


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "phone", "school", "org", "job", "title", "is_active"]
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
