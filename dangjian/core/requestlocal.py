"""The client address of the request being served, for audit entries written deep inside services."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("dangjian_request_ip", default=None)


def set_ip(value: str | None):
    return _ip.set(value)


def reset_ip(token) -> None:
    _ip.reset(token)


def current_ip() -> str | None:
    return _ip.get()
