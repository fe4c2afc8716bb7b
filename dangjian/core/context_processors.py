from django.apps import apps
from django.conf import settings
from django.urls import reverse

from dangjian.core.display import is_large
from dangjian.core.scoping import has_capability


def navigation(request):
    """Main navigation by role: every app's NavItems the user holds a capability for."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for config in apps.get_app_configs():
            for item in getattr(config, "nav", []):
                if item.capability is None or has_capability(user, item.capability):
                    items.append(item)
        items.sort(key=lambda i: i.order)
    return {
        "nav_items": [
            {"label": i.label, "url": reverse(i.url_name), "name": i.url_name, "group": i.group} for i in items
        ],
        "site_title": settings.SITE_TITLE,
        "large_text": is_large(request) if request is not None else False,
    }
