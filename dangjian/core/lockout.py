"""Login lockout (django-axes) keyed so that nobody can lock somebody else out.

Failures count per (username, client address) pair (AXES_LOCKOUT_PARAMETERS): an anonymous client guessing a
secretary's password locks only itself out of that account, the secretary signs in from her own address.
On top, an address that fails too often across any usernames (LOGIN_IP_FAILURE_LIMIT, a password spray) is
cooled down for the same AXES_COOLOFF_TIME."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_cooled_down(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_cooled_down(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def address_cooled_down(self, request) -> bool:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.LOGIN_IP_FAILURE_LIMIT
