from dangjian.core.models import ApiToken
from tests.routes import Route


def routes(world):
    token, _raw = ApiToken.issue(world.secretary)
    return [
        Route("core:tokens", object_route=False),
        # Another person's token: the member gets 404 as an outsider does.
        Route("core:token_revoke", {"pk": token.pk}, method="POST", write=True, member_hidden=True),
        Route(
            "POST /api/v1/auth/password",
            method="POST",
            data={"username": "x", "old_password": "y", "new_password": "z"},
            api=True,
            public=True,
            object_route=False,
        ),
        Route("POST /api/v1/auth/logout", method="POST", api=True, object_route=False),
        Route("core:home", object_route=False),
        Route("core:display", public=True, object_route=False),
        Route("core:display", method="POST", data={"large_text": "1"}, public=True, object_route=False),
        Route("core:me", object_route=False),
        Route("core:password", object_route=False),
        Route("core:audit", object_route=False, member_forbidden=True),
        Route(
            "POST /api/v1/auth/token",
            method="POST",
            data={"username": "x", "password": "y"},
            api=True,
            public=True,
            object_route=False,
        ),
    ]
