"""The home page's notices, shortcuts and each person's landing page, from every app (each app's `home.py`).

An app offers any of these in its `home.py`:

    def notices(request) -> list[Notice]: ...
    def shortcuts(request) -> list[Shortcut]: ...   # one-tap actions at the top of the home page
    def landing(request) -> Landing | None: ...     # where this person's work is, right after signing in

A notice with `start=True` names the page the user must begin with: the home page sends them there instead of
showing itself (a freshly bootstrapped county's administrator lands on the set-up checklist).

Landing is decided by the offers, not by core: the lowest `rank` wins, and with no offer a person lands on 我的
(their own records: what a member or a teacher comes for).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from dangjian.core import extensions


@dataclass(frozen=True)
class Notice:
    text: str
    url: str
    start: bool = False


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str


@dataclass(frozen=True)
class Landing:
    url: str
    rank: int  # lower wins: the work that most needs this person first


def _offers(hook: str) -> list:
    return [module for module in extensions.modules("home") if hasattr(module, hook)]


def notices(request) -> list[Notice]:
    return [notice for module in _offers("notices") for notice in module.notices(request)]


def shortcuts(request) -> list[Shortcut]:
    return [shortcut for module in _offers("shortcuts") for shortcut in module.shortcuts(request)]


def landing(request) -> str:
    offers = [offer for module in _offers("landing") if (offer := module.landing(request)) is not None]
    if not offers:
        return reverse("core:me")
    return min(offers, key=lambda offer: offer.rank).url
