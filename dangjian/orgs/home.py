"""The home page's notice for a county administrator: the set-up checklist while anything is missing."""

from django.urls import reverse
from django.utils.translation import ngettext

from dangjian.core.homepage import Landing, Notice
from dangjian.orgs import selectors


def notices(request) -> list[Notice]:
    root = selectors.setup_root(request.user)
    if root is None:
        return []
    gaps = selectors.setup_gaps(request.user, root)
    if not gaps.missing:
        return []
    text = ngettext("建设清单：还有%(n)d项待完善", "建设清单：还有%(n)d项待完善", gaps.missing) % {"n": gaps.missing}
    # A county on day one starts there: nothing else can be done before its schools exist.
    return [Notice(text, reverse("orgs:setup"), start=not gaps.schools)]


def landing(request) -> Landing | None:
    """A county without schools starts on its set-up checklist: nothing else can be done before they exist."""
    root = selectors.setup_root(request.user)
    if root is None or selectors.setup_gaps(request.user, root).schools:
        return None
    return Landing(reverse("orgs:setup"), rank=0)
