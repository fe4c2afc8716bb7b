from dangjian.assessment import observation
from tests.assessment.builders import route_objects
from tests.routes import Route


def _county(name, kwargs=None, **kw):
    """County-level pages: a school user (member or outsider) gets 403 before any object is looked up."""
    return Route(name, kwargs or {}, object_route=False, member_forbidden=True, **kw)


def routes(world):
    o = route_objects(world)
    rnd, system, visit, result = o["round"], o["system"], o["visit"], o["result_a"]
    school = world.school_a
    token = observation.token_for(o["guest"])
    return [
        Route("assessment:home", object_route=False),
        _county("assessment:system_new"),
        _county("assessment:system_new", method="POST", data={"year": "2027", "template": "default"}, write=True),
        _county("assessment:system", {"pk": system.pk}),
        _county("assessment:indicator_add", {"pk": system.pk}, method="POST", data={"name": "新指标"}, write=True),
        _county("assessment:round_new", {"pk": system.pk}, method="POST", data={"name": "轮次"}, write=True),
        _county("assessment:indicator_edit", {"pk": o["leaf"].pk}, method="POST", data={"name": "改"}, write=True),
        _county("assessment:indicator_delete", {"pk": o["leaf"].pk}, method="POST", write=True),
        _county("assessment:round", {"pk": rnd.pk}),
        _county("assessment:round_compute", {"pk": rnd.pk}, method="POST", write=True),
        _county("assessment:round_publish", {"pk": rnd.pk}, method="POST", data={"published": "1"}, write=True),
        _county("assessment:round_export", {"pk": rnd.pk}),
        _county("assessment:score", {"pk": rnd.pk, "school_pk": school.pk}),
        _county(
            "assessment:score",
            {"pk": rnd.pk, "school_pk": school.pk},
            method="POST",
            data={f"points_{o['indicator'].pk}": "5", f"comment_{o['indicator'].pk}": "评语"},
            write=True,
        ),
        Route("assessment:result", {"pk": result.pk}),
        Route("assessment:gap", {"pk": result.pk}),
        _county("assessment:visit_new"),
        _county("assessment:visit_new", method="POST", data={"title": "观摩"}, write=True),
        _county("assessment:visit", {"pk": visit.pk}),
        _county("assessment:visit_export", {"pk": visit.pk}),
        _county("assessment:visit_score", {"pk": visit.pk, "school_pk": school.pk}),
        _county(
            "assessment:visit_score",
            {"pk": visit.pk, "school_pk": school.pk},
            method="POST",
            data={"item_leadership": "15"},
            write=True,
        ),
        _county("assessment:visit_arrivals", {"pk": visit.pk}),
        _county("assessment:visit_report", {"pk": visit.pk}),
        _county("assessment:visit_bulletin", {"pk": visit.pk}),
        _county("assessment:visit_route", {"pk": visit.pk}, method="POST", data={}, write=True),
        _county("assessment:visit_group", {"pk": visit.pk}, method="POST", data={"name": "二组"}, write=True),
        _county("assessment:visit_observer", {"pk": visit.pk}, method="POST", data={"name": "某人"}, write=True),
        _county("assessment:visit_close", {"pk": visit.pk}, method="POST", data={"due_on": "2030-01-01"}, write=True),
        Route("assessment:visit_mine", {"pk": visit.pk}, member_hidden=True),
        _county("assessment:observer_qr", {"pk": visit.pk, "observer_pk": o["guest"].pk}),
        Route("assessment:observe", {"token": token}, public=True),
        Route("assessment:observe_sheet", {"token": token, "school_pk": school.pk}, public=True),
        Route("assessment:rectifications", object_route=False),
        Route(
            "assessment:rectification_done",
            {"pk": o["rectification"].pk},
            method="POST",
            data={"report": "已整改"},
            write=True,
        ),
        _county("GET /api/v1/assessment/visits", api=True),
        _county("GET /api/v1/assessment/systems", api=True),
        _county("POST /api/v1/assessment/systems", method="POST", data={"year": 2027}, api=True, write=True),
        _county("GET /api/v1/assessment/systems/{system_id}", {"system_id": system.pk}, api=True),
        _county("GET /api/v1/assessment/rounds", api=True),
        _county("GET /api/v1/assessment/rounds/{round_id}", {"round_id": rnd.pk}, api=True),
        _county(
            "POST /api/v1/assessment/rounds/{round_id}/compute",
            {"round_id": rnd.pk},
            method="POST",
            api=True,
            write=True,
        ),
        _county("GET /api/v1/assessment/rounds/{round_id}/results", {"round_id": rnd.pk}, api=True),
        _county("GET /api/v1/assessment/rounds/{round_id}/scores", {"round_id": rnd.pk}, api=True),
        _county(
            "POST /api/v1/assessment/rounds/{round_id}/scores",
            {"round_id": rnd.pk},
            method="POST",
            data={"indicator_id": o["indicator"].pk, "school_id": school.pk, "points": 5, "comment": "评语"},
            api=True,
            write=True,
        ),
        Route("GET /api/v1/assessment/results", api=True, object_route=False),
        Route("GET /api/v1/assessment/results/{result_id}", {"result_id": result.pk}, api=True),
    ]
