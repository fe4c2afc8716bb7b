"""`{{ obj|version }}`: the version a hand-written edit form sends back (core.forms.StaleEditGuard)."""

from django import template

from dangjian.core.forms import version_of

register = template.Library()


@register.filter
def version(obj) -> str:
    return version_of(obj)
