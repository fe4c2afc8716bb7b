import datetime as dt

from dangjian.care.models import Round
from tests.care.conftest import make_student, pair
from tests.routes import Route


def routes(world):
    # School A's member is paired with this student: they see it (200) but cannot change it (403).
    student = make_student(world, name="甲校学生")
    pair(student, world.people["member"])
    round_ = Round.all_objects.create(
        school=world.school_a, kind="annual", period="2026-2027", notice_on=dt.date(2026, 9, 7)
    )
    k = {"pk": student.pk}
    rk = {"pk": round_.pk}
    return [
        Route("care:students", object_route=False),
        Route("care:student_new", object_route=False, member_forbidden=True),
        Route("care:student_new", method="POST", object_route=False, write=True, data={"name": "x"}),
        Route("care:export", object_route=False, member_forbidden=True),
        Route("care:pairings", object_route=False, member_forbidden=True),
        Route("care:audit", object_route=False, member_forbidden=True),
        Route("care:student", k),
        Route("care:student_edit", k, write=True),
        Route("care:student_edit", k, method="POST", write=True, data={"grade": "三年级2班"}),
        Route("care:reveal", k, method="POST", write=True),
        Route("care:pair", k, method="POST", write=True, data={"member": world.people["member"].pk}),
        Route("care:assist", k, method="POST", write=True, data={"kind": "grant"}),
        Route("care:visit", k, method="POST", write=True, data={"visitor": "x"}),
        Route("care:archive", k, method="POST", write=True),
        Route("care:rounds", object_route=False, member_forbidden=True),
        Route("care:rounds", method="POST", object_route=False, write=True, data={"period": "x"}),
        Route("care:round", rk, member_forbidden=True),
        Route("care:round_apply", rk, method="POST", write=True, data={"student": student.pk}),
        Route("care:round_decide", {"pk": round_.pk, "application_pk": 1}, method="POST", write=True),
        Route("care:round_publicize", rk, method="POST", write=True, data={"start": "2026-10-09"}),
        Route("care:round_record", rk, method="POST", write=True),
        Route("care:round_notice", rk, member_forbidden=True),
        Route("GET /api/v1/care/students", api=True, object_route=False),
        Route("GET /api/v1/care/students/{student_id}", {"student_id": student.pk}, api=True),
        Route(
            "PATCH /api/v1/care/students/{student_id}",
            {"student_id": student.pk},
            method="PATCH",
            data={"grade": "三年级2班"},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/care/students/{student_id}/reveal",
            {"student_id": student.pk},
            method="POST",
            api=True,
            write=True,
        ),
        Route("GET /api/v1/care/pairings", api=True, object_route=False),
        Route("GET /api/v1/care/rounds/{round_id}/notice", {"round_id": round_.pk}, api=True, member_forbidden=True),
    ]
