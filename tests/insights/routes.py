from tests.routes import Route


def routes(world):
    return [
        Route("insights:dashboard", object_route=False, member_forbidden=True),
        Route("insights:export", {"table": "ranking"}, object_route=False, member_forbidden=True),
        Route("insights:pdf", object_route=False, member_forbidden=True),
        Route("insights:school", {"pk": world.school_a.pk}),
        Route("GET /api/v1/insights/compliance", data={"month": "2026-03"}, api=True, object_route=False),
        Route("GET /api/v1/insights/compliance", data={"month": "2026-03", "org_id": world.branch_a.pk}, api=True),
    ]
