"""The county lands on who is behind this month: the lag view over meetings, tasks and concerns (issue 18)."""

from django.urls import reverse

from dangjian.core.homepage import Landing
from dangjian.core.scoping import has_capability


def landing(request) -> Landing | None:
    # Ahead of the meetings-only county view (rank 10): the lag view counts tasks and concerns too.
    if has_capability(request.user, "insights.view_county"):
        return Landing(reverse("insights:lag"), rank=5)
    return None
