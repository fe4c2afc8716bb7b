from django.utils import timezone

from tests.learning.helpers import build
from tests.routes import Route

API = "/api/v1/learning"


def routes(world):
    lw = build(world)
    a = world.branch_a
    today = timezone.localdate().isoformat()
    record = {
        "ledger": "teacher_ce",
        "category": "县级培训",
        "title": "暑期培训",
        "day": today,
        "hours": "6",
    }
    return [
        Route("learning:index", object_route=False),
        Route("learning:hours", object_route=False),
        Route("learning:record_add", object_route=False),
        Route("learning:record_add", method="POST", data=record, object_route=False),
        Route("learning:progress", {"pk": a.pk}, member_forbidden=True),
        Route("learning:materials", object_route=False),
        Route("learning:material_add", object_route=False, member_forbidden=True),
        Route("learning:material_add", method="POST", data={"title": "x"}, object_route=False, write=True),
        Route("learning:material", {"pk": lw.material.pk}),
        Route("learning:material_file", {"pk": lw.material.pk}),
        Route("learning:plans", object_route=False),
        Route("learning:plan_add", object_route=False, member_forbidden=True),
        Route("learning:plan_add", method="POST", data={"title": "x"}, object_route=False, write=True),
        Route("learning:plan", {"pk": lw.plan.pk}),
        Route("learning:item_add", {"pk": lw.plan.pk}, write=True),
        Route("learning:item_add", {"pk": lw.plan.pk}, method="POST", data={"title": "x"}, write=True),
        Route("learning:item_done", {"pk": lw.item.pk}, method="POST"),
        Route("learning:session", {"pk": lw.session.pk}, write=True),
        Route("learning:session", {"pk": lw.session.pk}, method="POST", data={"held_on": today}, write=True),
        Route("learning:banks", object_route=False, member_forbidden=True),
        Route("learning:bank_add", object_route=False, member_forbidden=True),
        Route("learning:bank_add", method="POST", data={"name": "x"}, object_route=False, write=True),
        Route("learning:bank_template", object_route=False),
        Route("learning:bank", {"pk": lw.bank.pk}, member_forbidden=True),
        Route("learning:bank_import", {"pk": lw.bank.pk}, write=True),
        Route("learning:bank_import", {"pk": lw.bank.pk}, method="POST", write=True),
        Route("learning:contests", object_route=False),
        Route("learning:contest_add", object_route=False, member_forbidden=True),
        Route("learning:contest_add", method="POST", data={"title": "x"}, object_route=False, write=True),
        Route("learning:contest", {"pk": lw.contest.pk}),
        Route("learning:contest_start", {"pk": lw.contest.pk}, method="POST"),
        Route("learning:contest_results", {"pk": lw.contest.pk}, member_forbidden=True),
        Route("learning:attempt", {"pk": lw.attempt.pk}),
        Route("learning:attempt_submit", {"pk": lw.attempt.pk}, method="POST"),
        Route("learning:calls", object_route=False),
        Route("learning:call_add", object_route=False, member_forbidden=True),
        Route("learning:call_add", method="POST", data={"title": "x"}, object_route=False, write=True),
        Route("learning:call", {"pk": lw.call.pk}),
        Route("learning:essay_submit", {"pk": lw.call.pk}, method="POST", data={"title": "我的作品", "text": "正文"}),
        Route("learning:judge", {"pk": lw.call.pk}, member_forbidden=True),
        Route("learning:review", {"pk": lw.call.pk, "essay_pk": lw.essay.pk}, method="POST", write=True),
        Route("learning:essay_file", {"pk": lw.call.pk, "essay_pk": lw.essay.pk}, member_forbidden=True),
        Route("learning:finalize", {"pk": lw.call.pk}, method="POST", write=True),
        Route("learning:winners", {"pk": lw.call.pk}, public=True),
        Route(f"GET {API}/hours/me", api=True, object_route=False),
        Route(f"GET {API}/materials", api=True, object_route=False),
        Route(f"GET {API}/materials/{{material_id}}", {"material_id": lw.material.pk}, api=True),
        Route(f"GET {API}/materials/{{material_id}}/file", {"material_id": lw.material.pk}, api=True),
        Route(f"GET {API}/records", api=True, object_route=False),
        Route(f"POST {API}/records", method="POST", data=record, api=True, object_route=False),
        Route(f"GET {API}/plans", api=True, object_route=False),
        Route(f"GET {API}/plans/{{plan_id}}", {"plan_id": lw.plan.pk}, api=True),
        Route(f"POST {API}/items/{{item_id}}/done", {"item_id": lw.item2.pk}, method="POST", api=True),
        Route(f"GET {API}/contests", api=True, object_route=False),
        Route(f"GET {API}/contests/{{contest_id}}", {"contest_id": lw.contest.pk}, api=True),
        Route(f"POST {API}/contests/{{contest_id}}/attempts", {"contest_id": lw.contest.pk}, method="POST", api=True),
        Route(
            f"GET {API}/contests/{{contest_id}}/results", {"contest_id": lw.contest.pk}, api=True, member_forbidden=True
        ),
        Route(f"GET {API}/attempts/{{attempt_id}}", {"attempt_id": lw.attempt2.pk}, api=True),
        Route(
            f"POST {API}/attempts/{{attempt_id}}/answers",
            {"attempt_id": lw.attempt2.pk},
            method="POST",
            data={"answers": {}},
            api=True,
        ),
        Route(f"GET {API}/essays", api=True, object_route=False),
        Route(
            f"POST {API}/essays/{{call_id}}/submissions",
            {"call_id": lw.call2.pk},
            method="POST",
            data={"title": "作品", "text": "正文"},
            api=True,
        ),
        Route(f"GET {API}/essays/{{call_id}}/judging", {"call_id": lw.call.pk}, api=True, member_forbidden=True),
        Route(
            f"POST {API}/essays/{{call_id}}/judging/{{essay_id}}",
            {"call_id": lw.call.pk, "essay_id": lw.essay.pk},
            method="POST",
            data={"scores": {"思想性": 30, "文采": 50}},
            api=True,
            write=True,
        ),
    ]
