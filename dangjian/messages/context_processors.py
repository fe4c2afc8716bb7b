"""The unread count shown in the header of every page (settings.TEMPLATES context_processors)."""

from dangjian.messages import selectors


def unread(request) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": selectors.unread_count(user)}
