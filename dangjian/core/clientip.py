"""The client's address, as far as the deployment's own proxies vouch for it.

Every proxy in front of the app (nginx with `proxy_add_x_forwarded_for`) appends the address it received the
request from to X-Forwarded-For. Only those last TRUSTED_PROXY_COUNT entries were written by us; anything to
their left was sent by the client and may say anything. So the client is the TRUSTED_PROXY_COUNT-th entry
from the right, and with no proxy (the default) it is REMOTE_ADDR. Audit, throttling and login lockout (axes,
through AXES_CLIENT_IP_CALLABLE) all read it here."""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client address, or None when not even REMOTE_ADDR is an address (a garbage header is ignored)."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:  # the request did not come through all our proxies
        return remote
    return _valid(hops[-proxies]) or remote
