"""Sign-ins, failed sign-ins and lockouts in the audit log, with the client address (core.clientip).

The page login, the API token endpoint and anything else that calls django.contrib.auth.authenticate/login
send these signals, so one receiver each covers them all. A failed attempt records the username tried,
never the password (Django has already replaced it in `credentials`)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from dangjian.core import audit

USERNAME_FIELD = "username"


def _org_path(username: str) -> str:
    """The org of the person behind the username, so that the auditors over that org see the entry."""
    user = get_user_model().objects.filter(**{USERNAME_FIELD: username}).select_related("person__org").first()
    person = getattr(user, "person", None) if user else None
    return person.org.path if person else ""


def _logged_in(sender, request, user, **kwargs) -> None:
    username = user.get_username()
    audit.record(
        actor=user,
        action="login",
        model="core.User",
        object_id=str(user.pk),
        object_repr=username,
        org_path=_org_path(username),
    )


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get(USERNAME_FIELD) or "")[:150]
    audit.record(
        actor=None, action="login_failed", model="core.User", object_repr=username, org_path=_org_path(username)
    )


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    username = str(username or "")[:150]
    audit.record(actor=None, action="lockout", model="core.User", object_repr=username, org_path=_org_path(username))


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="dangjian.audit.login")
    user_login_failed.connect(_login_failed, dispatch_uid="dangjian.audit.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="dangjian.audit.lockout")
