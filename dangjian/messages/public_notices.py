"""Notices marked public, for the public site (publishing's home reads every app's `public_notices.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from dangjian.messages import selectors


@dataclass(frozen=True)
class PublicNotice:
    title: str
    url: str
    org: str
    date: object


def items(limit: int = 5) -> list[PublicNotice]:
    return [
        PublicNotice(n.title, reverse("messages:public_notice", args=[n.pk]), n.org.name, n.sent_at)
        for n in selectors.public_notices(limit)
    ]


def index_url() -> str:
    return reverse("messages:public_notices")
