from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
