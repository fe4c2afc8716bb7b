import logging

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import accounts, display, homepage, mypage, selectors
from dangjian.core.apps import HOME_GROUPS
from dangjian.core.context_processors import navigation
from dangjian.core.forms import AuditSearchForm, LoginForm
from dangjian.core.pagination import paginate
from dangjian.core.scoping import has_capability, home_org, roles

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a `next`, each person lands where their work is (core.homepage.landing)."""
        return homepage.landing(self.request)


class PasswordView(auth_views.PasswordChangeView):
    """修改密码: also where a one-time password sends its owner (core.accounts)."""

    template_name = "core/password.html"
    success_url = reverse_lazy("core:me")

    def form_valid(self, form):
        accounts.change_password(user=form.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        forced = accounts.password_changed(self.request)
        messages.success(self.request, _("密码已修改。"))
        # After the first sign-in's forced change, on to where the work is.
        return redirect(homepage.landing(self.request) if forced else self.get_success_url())


def _tile_groups(request) -> list[tuple[str | Promise, list[dict]]]:
    """The navigation as home tiles, gathered by HOME_GROUPS (empty groups left out)."""
    items = [item for item in navigation(request)["nav_items"] if item["name"] != "core:home"]
    grouped = [(title, [item for item in items if item["group"] == key]) for key, title in HOME_GROUPS.items()]
    return [(title, tiles) for title, tiles in grouped if tiles]


def home(request):
    if not request.user.is_authenticated:
        # Visitors without an account land on the public site (work updates), which links to the login page.
        return redirect("publishing:home")
    notices = homepage.notices(request)
    start = next((notice.url for notice in notices if notice.start), None)
    if start:
        return redirect(start)
    context = {
        "home_org": home_org(request.user),
        "my_roles": roles(request.user),
        "notices": notices,
        "shortcuts": homepage.shortcuts(request),
        "groups": _tile_groups(request),
    }
    return render(request, "core/home.html", context)


@require_http_methods(["GET", "POST"])
def display_mode(request):
    """大字模式 on or off (the switch in every page's header). A signed-in person's POST keeps it on their login;
    a visitor's GET (no account, no form token on cached public pages) only sets the cookie."""
    data = request.POST if request.method == "POST" else request.GET
    on = data.get("large_text") == "1"
    if request.method == "POST" and request.user.is_authenticated:
        display.set_large_text(actor=request.user, on=on)
    target = data.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    # The page's script switches the class itself and only needs the choice kept.
    response = HttpResponse(status=204) if request.headers.get("X-Display-Switch") else redirect(target)
    response.set_cookie(display.COOKIE, "1" if on else "0", max_age=display.COOKIE_AGE, samesite="Lax")
    return response


@login_required
def me(request):
    """我的: the signed-in person's own records, one section per app (core.mypage)."""
    return render(request, "core/me.html", mypage.page(request))


@login_required
def my_tokens(request):
    """我的 API 令牌: when each was taken, last used and expires; never the secret."""
    return render(request, "core/tokens.html", {"tokens": selectors.my_tokens(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.my_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("没有找到，或您无权查看。"))
    accounts.revoke_token(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("core:tokens")


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
    except Exception:  # the probe must answer, whatever the database says
        # The driver's message names the host, port and role: it goes to the log, never to the (public) probe.
        logger.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
