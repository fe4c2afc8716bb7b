import hashlib
import json
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core import audit

VERSION_FIELD = "version"
# The blank choice of every picker: Django's bare "---------" means nothing to the people using these pages.
EMPTY_LABEL = _("请选择")


class NamedBlankChoices(forms.BaseForm):
    """Mixin: a model form's blank choices read EMPTY_LABEL instead of "---------" (fields of a model with
    `choices` and blank=True, foreign keys). Put it first among the bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = EMPTY_LABEL
            elif isinstance(field, forms.ChoiceField):
                choices = cast(list[tuple[Any, Any]], field.choices)
                field.choices = [(value, EMPTY_LABEL if label == "---------" else label) for value, label in choices]


def version_of(obj: models.Model) -> str:
    """A fingerprint of every stored field of the object: it changes whenever anybody saves a change."""
    snapshot = json.dumps(audit.snapshot(obj), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(snapshot.encode()).hexdigest()[:32]


class VersionField(forms.CharField):
    """Hidden; never counts as an edited field (views save `changed_data`)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False


class StaleEditGuard(forms.BaseForm):
    """For a form that edits an existing object (`editing=obj`): it carries the object's version as it was
    when the page was opened, and a save is refused if the object has changed since, so that the second of
    two people editing the same record never silently puts back what the first one changed.

    A POST without the field (an older page, a script) is not checked; the pages always send it."""

    def __init__(self, *args, editing: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._current_version = version_of(editing) if editing is not None else None
        if self._current_version is not None:
            self.fields[VERSION_FIELD] = VersionField(required=False, label="", initial=self._current_version)

    def clean(self):
        cleaned = super().clean()
        sent = (cleaned or {}).pop(VERSION_FIELD, "")
        if self._current_version is not None and sent and sent != self._current_version:
            raise ValidationError(
                _("保存失败：您打开页面后，这条记录已被他人修改。为避免覆盖别人的修改，请刷新页面查看最新内容后再改。"),
                code="stale",
            )
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次失败后账号将被临时锁定。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("对象"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.ChoiceField(
        label=_("操作"),
        required=False,
        choices=[
            ("", _("全部")),
            ("create", _("新建")),
            ("update", _("修改")),
            ("delete", _("删除")),
            ("import", _("导入")),
            ("export", _("导出")),
            ("reveal", _("查看敏感信息")),
            ("grant", _("授权")),
            ("revoke", _("撤销授权")),
            ("appoint", _("任职")),
            ("login", _("登录")),
            ("login_failed", _("登录失败")),
            ("lockout", _("登录锁定")),
            ("token", _("签发API令牌")),
            ("password", _("修改密码")),
            ("reset", _("重置密码")),
            ("leave", _("人员离开")),
            ("transfer", _("人员调动")),
            ("reactivate", _("恢复人员")),
        ],
    )
    model = forms.CharField(label=_("类型"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
