import functools

from django.apps import apps
from django.conf import settings
from django.urls import get_script_prefix, reverse

from dangjian.core.display import is_large
from dangjian.core.scoping import has_capability


@functools.cache
def _nav_url(url_name: str, script_prefix: str) -> str:
    # A navigation target takes no arguments: its address is the same on every page of this process.
    return reverse(url_name)


def _nav_items(user) -> list[dict]:
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav", []):
            if item.capability is None or has_capability(user, item.capability):
                items.append(item)
    items.sort(key=lambda i: i.order)
    prefix = get_script_prefix()
    return [
        {"label": i.label, "url": _nav_url(i.url_name, prefix), "name": i.url_name, "group": i.group} for i in items
    ]


def navigation(request):
    """Main navigation by role: every app's NavItems the user holds a capability for (once per request: the home
    page's tiles and the header share it)."""
    user = getattr(request, "user", None)
    items: list[dict] = []
    if user is not None and user.is_authenticated:
        built: list[dict] | None = request.__dict__.get("_dangjian_nav")
        if built is None:
            built = request._dangjian_nav = _nav_items(user)
        items = built
    return {
        "nav_items": items,
        "site_title": settings.SITE_TITLE,
        "large_text": is_large(request) if request is not None else False,
    }
