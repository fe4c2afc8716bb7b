"""Passwords and API tokens of a login: one-time passwords, the forced change, revoking tokens.

A password chosen by someone else (a new account, a reset, `bootstrap` without BOOTSTRAP_PASSWORD) is a
one-time password: the account is marked `must_change_password`, and until its owner chooses their own the
pages send them to the password page (`MustChangePasswordMiddleware`) and the API refuses a token.
Who may reset whose password is the orgs app's question (orgs.services.reset_password).
"""

from __future__ import annotations

import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import ApiToken


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Chinese: Django 5.2 reworded the message and its zh-Hans catalogue has not
    caught up, so the stock validator answers in English."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


def _org_path(user) -> str:
    """The org of the login's person, so that the audit entry is scoped like the person's other records."""
    person = getattr(user, "person", None)
    return person.org.path if person is not None else ""


def one_time_password() -> str:
    # 16 URL-safe characters: long enough for the validators, short enough to read out over the phone.
    return secrets.token_urlsafe(12)


def revoke_tokens(user) -> int:
    """Revoke every live API token of the user at once; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="revoke",
        model="core.ApiToken",
        object_id=str(token.pk),
        object_repr=token.user.get_username(),
        org_path=_org_path(token.user),
    )
    return token


def _set_password(*, actor, user, password: str, must_change: bool, action: str) -> None:
    """Every password write: the forced change set or lifted, every token revoked (a token taken with the old
    password must not outlive it), one audit entry."""
    user.set_password(password)
    user.must_change_password = must_change
    user.save(update_fields=["password", "must_change_password"])
    revoked = revoke_tokens(user)
    audit.record(
        actor=actor,
        action=action,
        obj=user,
        model="core.User",
        object_repr=user.get_username(),
        org_path=_org_path(user),
        changes={"tokens_revoked": [None, revoked]},
    )


@transaction.atomic
def change_password(*, user, new_password: str) -> None:
    """The owner chose a new password, checked by Django's validators (messages in Chinese)."""
    password_validation.validate_password(new_password, user)
    _set_password(actor=user, user=user, password=new_password, must_change=False, action="password")


@transaction.atomic
def reset_password(*, actor, user) -> str:
    """A new one-time password for someone else's account (the caller checked the right to do it).
    Returns the password: show it once, never store it."""
    password = one_time_password()
    _set_password(actor=actor, user=user, password=password, must_change=True, action="reset")
    return password


SESSION_FLAG = "dangjian_must_change_password"


def _flag_session(sender, request, user, **kwargs) -> None:
    """On sign-in, the session remembers a one-time password: the middleware then reads the session it loads
    anyway, not the user (which would cost a query on every request)."""
    if getattr(user, "must_change_password", False) and hasattr(request, "session"):
        request.session[SESSION_FLAG] = True


def connect() -> None:
    user_logged_in.connect(_flag_session, dispatch_uid="dangjian.core.accounts.flag_session")


def password_changed(request) -> bool:
    """Lift the session's hold; True when it had one (the change was the forced one of a first sign-in)."""
    return bool(request.session.pop(SESSION_FLAG, None))


class MustChangePasswordMiddleware:
    """A session signed in with a one-time password reaches only the password page, logout, static files and
    the language switch until its owner has chosen their own password."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/api/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def _held_back(self, request) -> bool:
        # The flag first: on almost every request it is unset, and the URL lookups below are not needed.
        if not request.session.get(SESSION_FLAG) or request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        return request.path not in (reverse("core:password"), reverse("core:logout"), reverse("core:login"))

    def __call__(self, request):
        if self._held_back(request):
            return redirect("core:password")
        return self.get_response(request)
