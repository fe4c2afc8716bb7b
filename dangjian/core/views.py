from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dangjian.core import mypage, selectors
from dangjian.core.forms import AuditSearchForm, LoginForm
from dangjian.core.pagination import paginate
from dangjian.core.scoping import has_capability, roles


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    from dangjian.orgs.selectors import home_org

    if not request.user.is_authenticated:
        # Visitors without an account land on the public site (work updates), which links to the login page.
        return redirect("publishing:home")
    return render(request, "core/home.html", {"home_org": home_org(request.user), "my_roles": roles(request.user)})


@login_required
def me(request):
    """我的: the signed-in person's own records, one section per app (core.mypage)."""
    return render(
        request, "core/me.html", {"person": getattr(request.user, "person", None), "sections": mypage.sections(request)}
    )


@login_required
def audit_log(request):
    if not has_capability(request.user, "core.view_audit"):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    entries = selectors.audit_entries(request.user, **filters)
    return render(request, "core/audit.html", {"form": form, "page": paginate(request, entries, 50)})


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the probe must answer, whatever the database says
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
