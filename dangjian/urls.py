"""URLs: each domain app that has a urls.py is mounted under its own prefix; the public site and the API
have their own roots."""

from django.conf import settings
from django.urls import include, path

from dangjian.api.main import api
from dangjian.core import extensions
from dangjian.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dangjian.core.urls")),
]

if settings.BENCH_ENDPOINTS:
    # The ceiling of `make bench`: the same middleware stack, no database work.
    from bench.views import hello  # bench/ is the benchmark's, outside the application package

    urlpatterns.append(path("bench/hello", hello, name="bench_hello"))

# Apps mount themselves at /<label>/ (e.g. /orgs/, /meetings/); publishing also serves the public site.
for module in extensions.modules("urls"):
    urlpatterns.append(path(f"{extensions.label(module)}/", include(module)))
