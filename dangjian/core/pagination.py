from django.core.paginator import Page, Paginator
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
API_PER_PAGE = 100  # an API list's page when the client names no limit
API_MAX_PER_PAGE = 500  # a larger limit is served as this many (clients page on with offset)
MAX_OFFSET = 2**31 - 1  # far beyond any list here, and inside every database's integer


def paginate(request, queryset, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """One page of a list; ?page= out of range shows the last page rather than an error."""
    try:
        per_page = min(int(request.GET.get("per_page", per_page)), MAX_PER_PAGE)
    except ValueError:
        pass
    return Paginator(queryset, max(per_page, 1)).get_page(request.GET.get("page"))


class ApiPagination(LimitOffsetPagination):
    """Every paginated /api/v1 list: at most API_MAX_PER_PAGE items a page, whatever limit is asked (a larger one,
    even beyond 64 bits, is served as the maximum, as clients that ask for "everything" expect), and an offset a
    database can take (a 20-digit offset is a 422, not an overflow in the SQL driver)."""

    class Input(Schema):
        limit: int = Field(
            API_PER_PAGE,
            ge=1,
            description=f"items a page; more than {API_MAX_PER_PAGE} is served as {API_MAX_PER_PAGE}",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset, pagination, request, **params):
        pagination.limit = min(pagination.limit, API_MAX_PER_PAGE)
        return super().paginate_queryset(queryset, pagination, request, **params)
