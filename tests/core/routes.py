from tests.routes import Route


def routes(world):
    return [
        Route("core:home", object_route=False),
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
