from django import forms
from django.utils.translation import gettext_lazy as _


class LagSuperviseForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("督办意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("请抓紧完成逾期工作，并在平台报送进展。"),
    )
