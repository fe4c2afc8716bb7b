"""/api/v1: one NinjaAPI; every app that has an `api.py` with a `router` is mounted at /api/v1/<app>/."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError

from dangjian.api.auth import TokenAuth
from dangjian.api.schemas import Error, ValidationErrors
from dangjian.core import audit, extensions
from dangjian.core.models import ApiToken

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


api = Api(title="dangjian API", version="1", auth=TokenAuth(), urls_namespace="api")


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


for _module in extensions.modules("api"):
    api.add_router(f"/{extensions.label(_module)}/", _module.router)
