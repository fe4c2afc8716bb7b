from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from dangjian.core import requestlocal
from dangjian.core.clientip import client_ip

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
