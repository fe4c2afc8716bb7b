"""The observer's personal link, and reading a phone score sheet.

An observer (with or without an account) opens only their own sheets through a signed link: the signature covers
the observer's id and a random nonce (a new nonce revokes the link; nothing secret is stored), and the link stops
working once the event is closed or its last day has passed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable

import qrcode
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import rules
from dangjian.core.scoping import unscoped

from .models import ObservationVisit, Observer

SALT = "assessment.observer-link"


def token_for(observer: Observer) -> str:
    """The same link every time it is shown (no timestamp in it: the event's dates say when it expires)."""
    return signing.Signer(salt=SALT).sign_object([observer.pk, observer.nonce])


class Expired(Exception):
    pass


def observer_from_token(token: str, today: dt.date | None = None) -> Observer:
    """The observer a link names; Http404 for a forged or revoked link, Expired after the event."""
    try:
        pk, nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Http404 from exc
    with unscoped("assessment: an observer's signed link"):
        observer = Observer.objects.select_related("visit__org", "group", "user").filter(pk=pk, nonce=nonce).first()
    if observer is None:
        raise Http404
    if observer.visit.is_closed or (today or timezone.localdate()) > observer.visit.last_day:
        raise Expired
    return observer


def link_required(view: Callable) -> Callable:
    """Resolve `token` to the observer (passed on as `observer`); an expired link answers 410 with a page."""

    @functools.wraps(view)
    def wrapper(request, token: str, *args, **kwargs) -> HttpResponse:
        try:
            observer = observer_from_token(token)
        except Expired:
            return render(request, "assessment/observe_expired.html", status=410)
        return view(request, observer, token, *args, **kwargs)

    return wrapper


def observer_of_user(user, visit_pk: int) -> Observer:
    with unscoped("assessment: the signed-in observer's own row"):
        found = Observer.objects.filter(visit_id=visit_pk, user=user).first()
    if found is None:
        raise Http404
    return found


def account(username: str):
    found = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if found is None:
        raise ValidationError(_("没有账号“%(u)s”。没有账号的观摩人员不填账号，发个人链接即可。") % {"u": username})
    return found


def default_due(visit: ObservationVisit) -> dt.date:
    days = rules.rule_values("assessment", "observation", on=visit.visit_on, org_path=visit.org.path)["rectify_days"]
    return timezone.localdate() + dt.timedelta(days=days)


def arrival(visit: ObservationVisit, text: str) -> dt.datetime:
    """`HH:MM` on the event's first day, or `YYYY-MM-DD HH:MM` (also with a T, as a datetime-local input sends)."""
    text = text.strip().replace("T", " ")
    if len(text) <= 5:
        moment = dt.datetime.combine(visit.visit_on, dt.datetime.strptime(text, "%H:%M").time())
    else:
        moment = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
    return timezone.make_aware(moment)


def read_sheet(data, visit: ObservationVisit) -> tuple[dict[str, tuple], list[tuple[str, str]]]:
    """The marks {key: (points, note)} and problems [(key, text)] of a posted sheet; one problem a line."""
    marks, problems = {}, []
    for item in visit.items:
        key = item["key"]
        value = data.get(f"item_{key}", "").strip()
        if value:
            marks[key] = (value, data.get(f"note_{key}", ""))
        problems += [(key, line) for line in data.get(f"problems_{key}", "").splitlines() if line.strip()]
    problems += [("", line) for line in data.get("problems", "").splitlines() if line.strip()]
    return marks, problems


def qr_png(url: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()
