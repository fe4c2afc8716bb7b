"""The heat map's cells: twelve for each of up to 120 schools, twice (the list and the table). Joined here in one
step each row, because the template language's per-variable cost made them most of the dashboard's render."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def heat_cells(row) -> str:
    """The list form: a coloured cell per month, its share met in percent, or – when nothing fell due."""
    return format_html_join(
        "",
        '<span class="heat-cell {}" title="{}">{}</span>',
        ((css, month, "–" if pct is None else pct) for month, css, pct in row["shown"]),
    )


@register.simple_tag
def heat_tds(row) -> str:
    """The table form: a cell per month, 无数据 when nothing fell due (not 0 %)."""
    no_data = format_html('<span class="muted small">{}</span>', _("无数据"))
    return format_html_join(
        "", "<td>{}</td>", ((no_data if pct is None else f"{pct}%",) for _month, _css, pct in row["shown"])
    )
