import json

from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import requestlocal
from dangjian.core.actions import error_text
from dangjian.core.clientip import client_ip

API_PREFIX = "/api/v1/"
SERVER_ERROR = gettext_lazy("服务器内部错误，已记录。请稍后再试；如果问题持续，请联系县党工委平台管理员。")

# Scripts and styles are served from our own origin only (npm assets are copied into static/vendor).
_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class ClientIpMiddleware:
    """Makes the client address (core.clientip) available to audit entries written deep inside services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = requestlocal.set_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            requestlocal.reset_ip(token)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language (/i18n/setlang/ sets the cookie).

    Django's LocaleMiddleware would also follow the browser's Accept-Language; the English catalogue covers
    the layout, navigation and the main pages only, so a browser set to English would get half-English pages
    nobody asked for."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiJsonErrorsMiddleware:
    """Answers from /api/v1/ are JSON, also when they come from outside ninja: the login lockout's 429 (axes) and a
    500 from a middleware. Clients then read `detail` the same way for every error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 429:
            return JsonResponse({"detail": _("尝试次数过多，请稍后再试。")}, status=429)
        if response.status_code >= 500:
            return JsonResponse({"detail": SERVER_ERROR}, status=response.status_code)
        return response


class BadInputMiddleware:
    """Bad input is a 400 with a Chinese message, never a 500.

    - Text with a NUL character is refused before any view sees it: PostgreSQL cannot store it, and a query or a
      save with one would fail. Django's form fields refuse it too; this also covers query strings and the API's
      JSON bodies, which no form cleans. File parts of an upload are binary and are not looked at.
    - A page view that lets a ValidationError or BadRequest escape (a year out of range, a date before the first
      rule version) answers 400 with the message. The API's own handlers do the same for /api/v1/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = _("输入中含有不允许的空字符（\\x00）。")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"detail": message}, status=400)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (ValidationError, BadRequest)):
            return None
        return render(request, "400.html", {"detail": error_text(exception)}, status=400)


def _has_nul(request) -> bool:
    if "\x00" in request.path or _nul_in_query(request.GET):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            return _nul_in(json.loads(request.body or b"null"))
        except (ValueError, RawPostDataException):
            return False  # not JSON: the API answers 422 itself
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _nul_in_query(request.POST)
    return False


def _nul_in_query(data) -> bool:
    return any("\x00" in key or "\x00" in value for key, values in data.lists() for value in values)


def _nul_in(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_nul_in(k) or _nul_in(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_nul_in(v) for v in value)
    return False
