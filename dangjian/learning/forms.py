from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangjian.learning.models import Audience, HoursCategory, ItemKind, MaterialKind
from dangjian.learning.papers import KINDS
from dangjian.learning.questions_io import KIND_BY_LABEL
from dangjian.orgs.fields import EMPTY_LABEL, OrgChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrgChoiceForm(forms.Form):
    org = OrgChoiceField(label=_("发布组织"))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the scoping layer: the orgs where the user may publish.
        self.fields["org"].queryset = orgs


class MaterialForm(OrgChoiceForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    topic = forms.CharField(label=_("专题"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("文件（PDF 或 Word）"), required=False)
    url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")
    body = forms.CharField(label=_("正文"), widget=forms.Textarea, required=False)


class PlanForm(OrgChoiceForm):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    audience = forms.ChoiceField(label=_("学习对象"), choices=Audience.choices)
    ledger = forms.ChoiceField(label=_("计入学时"), choices=HoursCategory.choices)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea, required=False)


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=ItemKind.choices)
    title = forms.CharField(label=_("学习内容"), max_length=200)
    topic = forms.CharField(label=_("专题"), max_length=50, required=False)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=100, decimal_places=1)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    material = forms.ModelChoiceField(label=_("学习资料"), queryset=None, required=False, empty_label=_("不关联"))

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = materials


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("集中学习日期"), widget=DATE)
    people = forms.ModelMultipleChoiceField(
        label=_("出席人员"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = roster


class RecordForm(forms.Form):
    ledger = forms.ChoiceField(label=_("学时类别"), choices=HoursCategory.choices)
    category = forms.CharField(label=_("培训类型"), max_length=30)
    title = forms.CharField(label=_("培训名称"), max_length=200)
    day = forms.DateField(label=_("日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=200, decimal_places=1)
    organizer = forms.CharField(label=_("举办单位"), max_length=100, required=False)


class BankForm(OrgChoiceForm):
    name = forms.CharField(label=_("题库名称"), max_length=100)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("题库文件（.xlsx）"))


def parse_lines(text: str, *, parts: int) -> list[list[str]]:
    rows = []
    for line in (text or "").splitlines():
        words = line.replace("，", " ").replace(",", " ").split()
        if not words:
            continue
        if len(words) != parts:
            raise ValidationError(_("“%(l)s”格式不对。") % {"l": line.strip()})
        rows.append(words)
    return rows


class ContestForm(OrgChoiceForm):
    title = forms.CharField(label=_("竞赛名称"), max_length=200)
    bank = forms.ModelChoiceField(label=_("题库"), queryset=None, empty_label=EMPTY_LABEL)
    audience = forms.ChoiceField(label=_("参赛对象"), choices=Audience.choices)
    rules = forms.CharField(
        label=_("抽题规则"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一条：题型 专题 题数；专题填“不限”表示任意专题。例如：单选题 党章 5"),
    )
    points_per_question = forms.IntegerField(label=_("每题分值"), min_value=1, max_value=20, initial=2)
    time_limit_minutes = forms.IntegerField(label=_("作答时限（分钟，可不填）"), min_value=1, required=False)
    attempts_allowed = forms.IntegerField(label=_("允许作答次数"), min_value=1, initial=1)
    partial_credit = forms.BooleanField(label=_("多选题少选得部分分"), required=False)
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)

    def __init__(self, *args, banks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks

    def clean_rules(self):
        found = []
        for kind, topic, count in parse_lines(self.cleaned_data["rules"], parts=3):
            kind = KIND_BY_LABEL.get(kind, kind)
            if kind not in KINDS or not count.isdigit():
                raise ValidationError(_("题型应为单选题、多选题、判断题或填空题，题数为正整数。"))
            found.append({"kind": kind, "topic": "" if topic == "不限" else topic, "count": int(count)})
        return found


class CallForm(OrgChoiceForm):
    title = forms.CharField(label=_("征文名称"), max_length=200)
    theme = forms.CharField(label=_("征文主题"), widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("征集对象"), choices=Audience.choices, initial=Audience.ALL)
    deadline = forms.DateTimeField(label=_("截止时间"), widget=DATETIME)
    rubric = forms.CharField(
        label=_("评分标准"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行：评分项 满分，如：思想性 40")
    )
    tiers = forms.CharField(
        label=_("奖项设置"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行：奖项 名额，如：一等奖 1")
    )
    judges = forms.ModelMultipleChoiceField(label=_("评委"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = judges

    def clean_rubric(self):
        rows = parse_lines(self.cleaned_data["rubric"], parts=2)
        if any(not m.isdigit() for _n, m in rows):
            raise ValidationError(_("满分应为正整数。"))
        return [{"name": n, "max": int(m)} for n, m in rows]

    def clean_tiers(self):
        rows = parse_lines(self.cleaned_data["tiers"], parts=2)
        if any(not c.isdigit() for _n, c in rows):
            raise ValidationError(_("名额应为正整数。"))
        return [{"name": n, "count": int(c)} for n, c in rows]


class EssayForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    file = forms.FileField(label=_("或上传文件（PDF 或 Word）"), required=False)
    consent_public = forms.BooleanField(label=_("如获奖，同意公开我的姓名和学校"), required=False)
