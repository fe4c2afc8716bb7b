from django.utils import timezone
from ninja.security import HttpBearer

from dangjian.core.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token. Expired, revoked (logout, password change,
    a person marked as left) and deactivated logins' tokens are refused."""

    def authenticate(self, request, token: str):
        found = ApiToken.live().select_related("user").filter(digest=ApiToken.hash(token), user__is_active=True).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)  # at most every 5 minutes
        request.user = found.user
        request.api_token = found  # POST /auth/logout revokes this one
        return found.user
