from dangjian.orgs.models import RosterImport
from tests.routes import Route


def routes(world):
    a = world.branch_a
    person = world.people["teacher"]
    job = RosterImport.all_objects.create(org=a, requested_by=world.secretary)
    return [
        Route("orgs:mine", object_route=False),
        Route("orgs:county", object_route=False, member_forbidden=True),
        Route("orgs:detail", {"pk": a.pk}),
        Route("orgs:roster_export", {"pk": a.pk}, member_forbidden=True),
        Route("orgs:roster_import", {"pk": a.pk}, member_forbidden=True),
        Route("orgs:roster_import", {"pk": a.pk}, method="POST", write=True),
        Route("orgs:roster_template", object_route=False),
        Route("orgs:roster_import_job", {"pk": job.pk}, member_hidden=True),
        Route("orgs:person", {"pk": person.pk}),
        Route("orgs:person_edit", {"pk": person.pk}, write=True),
        Route("orgs:person_edit", {"pk": person.pk}, method="POST", data={"name": "改名"}, write=True),
        Route("orgs:person_reveal", {"pk": person.pk}, method="POST", write=True),
        Route("GET /api/v1/orgs/orgs", api=True, object_route=False),
        Route("GET /api/v1/orgs/orgs/{org_id}", {"org_id": a.pk}, api=True),
        Route("GET /api/v1/orgs/people", api=True, object_route=False),
        Route("GET /api/v1/orgs/people/{person_id}", {"person_id": person.pk}, api=True),
        Route(
            "PATCH /api/v1/orgs/people/{person_id}",
            {"person_id": person.pk},
            method="PATCH",
            data={"job": "改"},
            api=True,
            write=True,
        ),
        *access_routes(world),
    ]


def access_routes(world):
    person = world.people["teacher"]
    grant = world.teacher.grants.get()
    position = world.branch_a.positions.get()
    return [
        Route("orgs:person_access", {"pk": person.pk}, member_forbidden=True),
        Route("orgs:person_access", {"pk": person.pk}, method="POST", data={"username": "newlogin"}, write=True),
        Route("orgs:grants", object_route=False, member_forbidden=True),
        Route("orgs:grant_revoke", {"pk": grant.pk}, method="POST", write=True, member_hidden=True),
        Route("orgs:appoint", {"pk": world.branch_a.pk}, write=True),
        Route("orgs:appoint", {"pk": world.branch_a.pk}, method="POST", write=True),
        Route("orgs:position_end", {"pk": position.pk}, method="POST", write=True),
    ]
