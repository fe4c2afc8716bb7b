"""The pickers for schools and organizations every form uses: in the county's order, full names, never "---------".

A school reads "乡镇 · 学校全称" and the list runs by township, stage and name (orgs.selectors.in_county_order); an
organization runs in tree order and a 党小组 names its branch ("甲校党支部 · 第一党小组"), since groups are often
called alike in every school.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from dangjian.core.forms import EMPTY_LABEL
from dangjian.orgs.models import OrgKind
from dangjian.orgs.selectors import in_county_order

__all__ = ["EMPTY_LABEL", "OrgChoiceField", "SchoolChoiceField", "SearchableSelect"]


class SearchableSelect(forms.Select):
    """A select that static/js/searchable-select.js gives a search box when its list is long."""

    def get_context(self, name, value, attrs):
        # The script's own words, in the page's language.
        attrs = {
            **(attrs or {}),
            "data-searchable": "",
            "data-search-label": _("搜索"),
            "data-search-hint": _("输入名称或乡镇筛选"),
        }
        return super().get_context(name, value, attrs)


class SchoolChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect

    def __init__(self, queryset=None, *, empty_label=EMPTY_LABEL, **kwargs):
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(None if queryset is None else in_county_order(queryset))  # type: ignore[misc]

    # Django's own property over its (untyped) private getter, with the ordering setter above.
    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def label_from_instance(self, obj) -> str:
        return f"{obj.township} · {obj.name}" if obj.township else obj.name


class OrgChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect

    def __init__(self, queryset=None, *, empty_label=EMPTY_LABEL, **kwargs):
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def _set_queryset(self, queryset):
        # The parent's name is read for every 党小组: fetched with the list, not one query per choice.
        super()._set_queryset(  # type: ignore[misc]
            None if queryset is None else queryset.select_related("parent").order_by("path")
        )

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def label_from_instance(self, obj) -> str:
        if obj.kind == OrgKind.GROUP and obj.parent is not None:
            return f"{obj.parent.name} · {obj.name}"
        return obj.name
