from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import StaleEditGuard
from dangjian.publishing.models import Category, Post, Status


class PostForm(StaleEditGuard, forms.Form):
    publisher = forms.ChoiceField(label=_("发布单位"))
    category = forms.ChoiceField(label=_("栏目"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = forms.CharField(label=_("摘要（可不填，默认取正文开头）"), max_length=200, required=False)
    # The page puts the editor (static/js/editor.js) over this field; what arrives is sanitized (sanitize.py).
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}))
    publish_at = forms.DateTimeField(
        label=_("定时发布（可不填，审核通过即发布）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    cover = forms.FileField(label=_("封面图片（可不填）"), required=False)

    def __init__(self, *args, publishers=(), editing: Post | None = None, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        self.publishers = {p.key: p for p in publishers}
        self.fields["publisher"].choices = [(p.key, p.label) for p in publishers]
        if editing is not None:
            del self.fields["publisher"]


class ApproveForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("发布时间（可不填：立即发布或按稿件预定时间）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("审核意见（可不填）"), max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见或原因"), max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、图片、Word、Excel）"))


class LinkForm(forms.Form):
    model_label = forms.CharField(max_length=100)
    object_id = forms.CharField(max_length=40)


class ManageFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False)
    q = forms.CharField(label=_("标题或正文"), max_length=50, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索工作动态"), max_length=50, required=False)
