from tests.routes import Route


def routes(world):
    return [
        Route("insights:dashboard", object_route=False, member_forbidden=True),
        Route("insights:refresh", method="POST", object_route=False, write=True),
        Route("insights:export", {"table": "ranking"}, object_route=False, member_forbidden=True),
        Route("insights:pdf", object_route=False, member_forbidden=True),
        Route("insights:school", {"pk": world.school_a.pk}),
    ]
