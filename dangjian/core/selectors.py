from django.db.models import Q, QuerySet

from dangjian.core import audit
from dangjian.core.models import ApiToken, AuditEntry
from dangjian.core.scoping import path_q, prefixes


def audit_entries(
    user, *, q: str = "", action: str = "", model: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEntry]:
    """The audit log the user may search: entries about objects under their audit grants."""
    roots = prefixes(user, "core.view_audit")
    if not roots:
        return AuditEntry.objects.none()
    condition = path_q("org_path", roots)
    if any(root.count(".") == 1 for root in roots):  # a grant at a tree root also sees entries tied to no org
        condition |= Q(org_path="")
    qs = AuditEntry.objects.filter(condition)
    for label, capability in audit.PRIVATE_MODELS.items():
        allowed = prefixes(user, capability)
        private = Q(model=label)
        qs = qs.exclude(private & ~path_q("org_path", allowed)) if allowed else qs.exclude(private)
    if q:
        qs = qs.filter(Q(object_repr__contains=q) | Q(object_id=q))
    if action:
        qs = qs.filter(action=action)
    if model:
        qs = qs.filter(model__icontains=model)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def my_tokens(user) -> QuerySet[ApiToken]:
    """The user's own API tokens that still work, newest first (the secret itself is never stored)."""
    return ApiToken.live().filter(user=user).order_by("-created_at", "-id")
