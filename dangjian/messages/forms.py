from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.fields import OrgChoiceField
from dangjian.orgs.models import OrgKind

from .models import Channel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReceiverField(forms.ModelMultipleChoiceField):
    """Orgs to send to, in tree order, a 党小组 named with its branch (as orgs.fields.OrgChoiceField)."""

    def label_from_instance(self, obj) -> str:
        if obj.kind == OrgKind.GROUP and obj.parent is not None:
            return f"{obj.parent.name} · {obj.name}"
        return obj.name


class NoticeForm(forms.Form):
    org = OrgChoiceField(label=_("发文单位"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=150)
    doc_number = forms.CharField(label=_("文号（可选）"), max_length=60, required=False)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    official = forms.BooleanField(
        label=_("正式文件（需签收）"), required=False, help_text=_("只有正式文件需要签收；其他通知不统计谁看过。")
    )
    public = forms.BooleanField(label=_("在门户网站公开"), required=False)
    action = forms.CharField(
        label=_("需办理的事项（可选）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("填写后，本通知同时作为工作任务布置给接收单位，按期限跟踪。"),
    )
    due_on = forms.DateField(label=_("办理期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attachments = MultipleFileField(label=_("附件（可多选）"), required=False)
    receivers = ReceiverField(label=_("接收单位"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False)
    all_receivers = forms.BooleanField(label=_("全部直属下级单位"), required=False, initial=True)

    def __init__(self, *args, senders, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = senders
        cast(forms.ModelChoiceField, self.fields["receivers"]).queryset = receivers.select_related("parent").order_by(
            "path"
        )
        if senders.count() == 1:
            self.fields["org"].initial = senders.first()

    def chosen(self) -> list:
        if self.cleaned_data.get("all_receivers"):
            org = self.cleaned_data["org"]
            offered = cast(forms.ModelChoiceField, self.fields["receivers"]).queryset
            return list(offered.filter(parent=org)) if offered is not None else []
        return list(self.cleaned_data.get("receivers") or [])


class AddressForm(forms.Form):
    wecom = forms.CharField(label=_("企业微信账号（UserID）"), max_length=120, required=False)
    dingtalk = forms.CharField(label=_("钉钉账号（UserID）"), max_length=120, required=False)


class RobotForm(forms.Form):
    org = OrgChoiceField(label=_("组织"), queryset=None)
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[(Channel.WECOM.value, Channel.WECOM.label), (Channel.DINGTALK.value, Channel.DINGTALK.label)],
    )
    url = forms.CharField(label=_("机器人地址（Webhook）"), max_length=300)
    secret = forms.CharField(label=_("加签密钥（钉钉，可选）"), max_length=120, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs
