"""Signal receivers of the messages app (connected in apps.py)."""

from dangjian.messages import selectors


def count_unread_at_login(sender, request, user, **kwargs) -> None:
    """Count the header's unread messages once at login, so the pages after it read the count from the cache."""
    selectors.unread_count(user, fresh=True)
