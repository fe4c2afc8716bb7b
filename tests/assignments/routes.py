from tests.assignments.builders import route_objects
from tests.routes import Route


def routes(world):
    o = route_objects(world)
    t = o["target_a"]
    own = o["branch_assignment"]
    a = world.branch_a
    return [
        Route("assignments:list", object_route=False),
        Route("assignments:new", {"org_pk": a.pk}, write=True),
        Route(
            "assignments:new",
            {"org_pk": a.pk},
            method="POST",
            data={"title": "任务", "body": "内容", "expected": "说明", "due_on": "2099-01-01", "all_receivers": "on"},
            write=True,
        ),
        Route("assignments:detail", {"pk": own.pk}),
        Route("assignments:export", {"pk": own.pk}),
        Route("assignments:target", {"pk": t.pk}),
        Route("assignments:report", {"pk": t.pk}, method="POST", data={"text": "已完成"}, write=True),
        Route("assignments:supervise", {"pk": t.pk}, method="POST", data={"note": "请加快"}, write=True),
        Route("assignments:file", {"pk": o["report"].pk}),
        Route("GET /api/v1/assignments/assignments", api=True, object_route=False),
        Route(
            "POST /api/v1/assignments/assignments",
            method="POST",
            data={"org_id": a.pk, "title": "任务", "body": "内容", "expected": "说明", "due_on": "2099-01-01"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/assignments/fulfilling-kinds", data={"org_id": a.pk}, api=True, member_forbidden=True),
        Route("GET /api/v1/assignments/assignments/{assignment_id}", {"assignment_id": own.pk}, api=True),
        Route("GET /api/v1/assignments/assignments/{assignment_id}/targets", {"assignment_id": own.pk}, api=True),
        Route("GET /api/v1/assignments/targets", api=True, object_route=False),
        Route("GET /api/v1/assignments/targets/{target_id}", {"target_id": t.pk}, api=True),
        Route(
            "POST /api/v1/assignments/targets/{target_id}/reports",
            {"target_id": t.pk},
            method="POST",
            data={"text": "已完成", "done": True},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/assignments/targets/{target_id}/supervision",
            {"target_id": t.pk},
            method="POST",
            data={"note": "请加快"},
            api=True,
            write=True,
        ),
    ]
