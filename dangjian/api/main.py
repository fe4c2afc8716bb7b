"""/api/v1: one NinjaAPI; every app that has an `api.py` with a `router` is mounted at /api/v1/<app>/."""

import importlib
import logging

from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger

from dangjian.api.auth import TokenAuth
from dangjian.api.schemas import Error, ValidationErrors
from dangjian.core import audit
from dangjian.core.middleware import SERVER_ERROR
from dangjian.core.models import ApiToken

logger = logging.getLogger("django.request")

_ERRORS = {
    "400": ("Bad request", Error),
    "401": ("Not signed in", Error),
    "403": ("Not allowed", Error),
    "404": ("Not found or not yours", Error),
    "422": ("Validation error", ValidationErrors),
}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # Every route can answer these; ninja leaves most of them out, and schema fuzzers then flag them.
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, model in (("Error", Error), ("ValidationErrors", ValidationErrors)):
            components.setdefault(name, model.model_json_schema(ref_template="#/components/schemas/{model}"))
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                for code, (description, model) in _ERRORS.items():
                    if code == "401" and not operation.get("security"):
                        continue
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
                            },
                        },
                    )
        return schema


class SignedInSwagger(Swagger):
    """The browsable docs page is for signed-in users (session login); the schema itself, openapi.json, stays
    public (a documented contract for integrators)."""

    def render_page(self, request, api, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().render_page(request, api, **kwargs)


api = Api(title="dangjian API", version="1", auth=TokenAuth(), urls_namespace="api", docs=SignedInSwagger())


@api.exception_handler(Exception)
def _server_error(request, exc):
    # Logged like Django's own 500s (same logger, with the traceback), answered as JSON in Chinese.
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return api.create_response(request, {"detail": str(SERVER_ERROR)}, status=500)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("您没有执行此操作的权限。")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("没有找到，或您无权查看。")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": "；".join(exc.messages)}, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("请先登录（Authorization: Bearer 令牌）。")}, status=401)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str
    token_type: str = "Bearer"


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: Error}, tags=["auth"])
def issue_token(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (lockout rules apply as on the login page)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": _("用户名或密码不正确。")})
    token, raw = ApiToken.issue(user)
    audit.record(
        actor=user, action="token", model="core.ApiToken", object_id=str(token.pk), object_repr=user.get_username()
    )
    return Status(200, {"token": raw, "expires_at": token.expires_at.isoformat()})


for _config in apps.get_app_configs():
    if not _config.name.startswith("dangjian."):
        continue
    try:
        _module = importlib.import_module(f"{_config.name}.api")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{_config.name}.api":
            raise
        continue
    if hasattr(_module, "router"):
        api.add_router(f"/{_config.label}/", _module.router)
