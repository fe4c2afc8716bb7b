"""/api/v1: one NinjaAPI; every app that has an `api.py` with a `router` is mounted at /api/v1/<app>/."""

import logging

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
from dangjian.core import accounts, audit, extensions
from dangjian.core.actions import error_text
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
                # ninja keys declared codes by int: as strings, a declared 422 is not listed twice in the JSON.
                for code in [c for c in responses if not isinstance(c, str)]:
                    responses[str(code)] = responses.pop(code)
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
    return api.create_response(request, {"detail": error_text(exc)}, status=400)


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


class CodedError(Schema):
    code: str
    detail: str


class PasswordIn(Schema):
    username: str
    old_password: str
    new_password: str


class Done(Schema):
    detail: str


def _wrong_credentials():
    return Status(401, {"detail": _("用户名或密码不正确。")})


# 429: the login lockout (django-axes), answered as JSON by core.middleware.ApiJsonErrorsMiddleware.
@api.post("/auth/token", auth=None, response={200: TokenOut, 401: Error, 403: CodedError, 429: Error}, tags=["auth"])
def issue_token(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (lockout rules apply as on the login page).
    A one-time password gives no token: 403 `password_change_required` until POST /auth/password."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return _wrong_credentials()
    if user.must_change_password:
        return Status(
            403,
            {
                "code": "password_change_required",
                "detail": _("这是一次性密码，请先修改密码（POST /api/v1/auth/password 或网页登录后修改）。"),
            },
        )
    token, raw = ApiToken.issue(user)
    audit.record(
        actor=user, action="token", model="core.ApiToken", object_id=str(token.pk), object_repr=user.get_username()
    )
    return Status(200, {"token": raw, "expires_at": token.expires_at.isoformat()})


@api.post(
    "/auth/password", auth=None, response={200: Done, 401: Error, 422: ValidationErrors, 429: Error}, tags=["auth"]
)
def change_password(request, payload: PasswordIn):
    """Change one's own password with the old one (no token needed: a one-time password gets none).
    422 carries the password validators' messages. Every token of the account is revoked."""
    user = authenticate(request, username=payload.username, password=payload.old_password)
    if user is None or not user.is_active:
        return _wrong_credentials()
    try:
        accounts.change_password(user=user, new_password=payload.new_password)
    except ValidationError as exc:
        return Status(422, {"detail": exc.messages})
    return Status(200, {"detail": _("密码已修改。")})


@api.post("/auth/logout", response={200: Done}, tags=["auth"])
def logout(request):
    """Revoke the bearer token this request was made with (the account's other tokens stay)."""
    accounts.revoke_token(actor=request.user, token=request.api_token)
    return Status(200, {"detail": _("令牌已撤销。")})


for _module in extensions.modules("api"):
    # An app's router sits under its label, or under its MOUNT when it serves another path (messages: /me/).
    api.add_router(f"/{getattr(_module, 'MOUNT', extensions.label(_module))}/", _module.router)
