from django.core.paginator import Page, Paginator

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def paginate(request, queryset, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """One page of a list; ?page= out of range shows the last page rather than an error."""
    try:
        per_page = min(int(request.GET.get("per_page", per_page)), MAX_PER_PAGE)
    except ValueError:
        pass
    return Paginator(queryset, max(per_page, 1)).get_page(request.GET.get("page"))
