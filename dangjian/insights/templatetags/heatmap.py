"""The heat map's cells: twelve for each of up to 120 schools, twice (the list and the table). Joined here in one
step each row, because the template language's per-variable cost made them most of the dashboard's render.

Every value in a cell is the platform's own (a class name from `selectors._heat_class`, a month key `YYYY-MM`, an
integer percentage), never text a user typed, so a row is built as one string and marked safe once instead of
escaping 24 values with `format_html` (753 calls a page, a third of its render)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def heat_cells(row) -> str:
    """The list form: a coloured cell per month, its share met in percent, or – when nothing fell due."""
    return mark_safe(  # the platform's own values only (above)
        "".join(
            f'<span class="heat-cell {css}" title="{month}">{"–" if pct is None else int(pct)}</span>'
            for month, css, pct in row["shown"]
        )
    )


@register.simple_tag
def heat_tds(row) -> str:
    """The table form: a cell per month, 无数据 when nothing fell due (not 0 %)."""
    no_data = format_html('<span class="muted small">{}</span>', _("无数据"))
    return mark_safe(  # as above; 无数据 is escaped by format_html
        "".join(f"<td>{no_data}</td>" if pct is None else f"<td>{int(pct)}%</td>" for _month, _css, pct in row["shown"])
    )
