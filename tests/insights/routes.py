from tests.routes import Route


def routes(world):
    return [
        Route("insights:dashboard", object_route=False, member_forbidden=True),
        Route("insights:export", {"table": "ranking"}, object_route=False, member_forbidden=True),
        Route("insights:pdf", object_route=False, member_forbidden=True),
        Route("insights:school", {"pk": world.school_a.pk}),
        Route("insights:school", {"pk": world.school_a.pk}, data={"period": "2026-Q1"}),
        Route("insights:lag", object_route=False, member_forbidden=True),
        Route("insights:lag", data={"period": "2026-03"}, object_route=False, member_forbidden=True),
        Route(
            "insights:lag_supervise",
            method="POST",
            data={"period": "2026-03", "note": "请抓紧"},
            write=True,
            object_route=False,
            member_forbidden=True,
        ),
        Route("insights:lag_pdf", data={"period": "2026"}, object_route=False, member_forbidden=True),
        Route("insights:compare", object_route=False, member_forbidden=True),
        Route(
            "insights:compare",
            data={"schools": [world.school_a.pk, world.school_b.pk], "period": "2026"},
            object_route=False,
            member_forbidden=True,
        ),
        Route("GET /api/v1/insights/lag", data={"period": "2026-03"}, api=True, object_route=False),
        Route("GET /api/v1/insights/lag", data={"period": "2026-Q1"}, api=True, object_route=False),
        Route("GET /api/v1/insights/compliance", data={"month": "2026-03"}, api=True, object_route=False),
        Route("GET /api/v1/insights/compliance", data={"month": "2026-03", "org_id": world.branch_a.pk}, api=True),
    ]
