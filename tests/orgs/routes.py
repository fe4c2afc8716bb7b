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
        *tree_routes(world),
        *people_routes(world),
    ]


def people_routes(world):
    """Leaving, transfer, return, password resets, and the API routes that create people and grants."""
    person = world.people["teacher"]
    grant = world.teacher.grants.get()
    leave = {"on": "2026-01-05", "reason": "退休"}
    return [
        Route("orgs:person_leave", {"pk": person.pk}, write=True),
        Route("orgs:person_leave", {"pk": person.pk}, method="POST", data={"reason": "retired"}, write=True),
        Route("orgs:person_transfer", {"pk": person.pk}, write=True),
        Route("orgs:person_transfer", {"pk": person.pk}, method="POST", data={}, write=True),
        Route("orgs:person_reactivate", {"pk": person.pk}, method="POST", write=True),
        Route("orgs:person_reset_password", {"pk": person.pk}, method="POST", write=True),
        Route(
            "POST /api/v1/orgs/people",
            method="POST",
            data={"org_id": world.branch_a.pk, "name": "新人", "id_number": "11010519491231002X"},
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/orgs/people/{person_id}/leave",
            {"person_id": person.pk},
            method="POST",
            data=leave,
            api=True,
            write=True,
        ),
        Route(
            "POST /api/v1/orgs/people/{person_id}/reactivate",
            {"person_id": person.pk},
            method="POST",
            api=True,
            write=True,
        ),
        Route("GET /api/v1/orgs/people/{person_id}/grants", {"person_id": person.pk}, api=True, member_forbidden=True),
        Route(
            "POST /api/v1/orgs/grants",
            method="POST",
            data={"person_id": person.pk, "org_id": world.branch_a.pk, "role": "member"},
            api=True,
            write=True,
        ),
        Route(
            "DELETE /api/v1/orgs/grants/{grant_id}",
            {"grant_id": grant.pk},
            method="DELETE",
            api=True,
            write=True,
            member_hidden=True,
        ),
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


def tree_routes(world):
    branch, group = world.branch_a, world.group_a
    county_page = {"object_route": False, "member_forbidden": True}
    return [
        Route("orgs:tree", **county_page),
        Route("orgs:org_create", {"pk": branch.pk}, write=True),
        Route(
            "orgs:org_create", {"pk": branch.pk}, method="POST", data={"kind": "group", "name": "新小组"}, write=True
        ),
        Route("orgs:org_edit", {"pk": group.pk}, write=True),
        Route("orgs:org_edit", {"pk": group.pk}, method="POST", data={"name": "改名", "parent": branch.pk}, write=True),
        Route("orgs:org_dissolve", {"pk": group.pk}, write=True),
        Route("orgs:org_dissolve", {"pk": group.pk}, method="POST", data={"on": "2026-01-01"}, write=True),
        Route("orgs:school_create", **county_page),
        Route("orgs:school_create", method="POST", data={"name": "新校"}, **county_page),
        Route("orgs:setup", **county_page),
        Route("orgs:setup_import", **county_page),
        Route("orgs:setup_import", method="POST", **county_page),
        Route("orgs:setup_template", **county_page),
        Route(
            "POST /api/v1/orgs/orgs",
            method="POST",
            data={"parent_id": branch.pk, "name": "新小组", "kind": "group"},
            api=True,
            write=True,
        ),
        Route(
            "PATCH /api/v1/orgs/orgs/{org_id}",
            {"org_id": group.pk},
            method="PATCH",
            data={"name": "改名"},
            api=True,
            write=True,
        ),
        Route("POST /api/v1/orgs/orgs/{org_id}/dissolve", {"org_id": group.pk}, method="POST", api=True, write=True),
        Route(
            "POST /api/v1/orgs/schools",
            method="POST",
            data={"name": "新校", "stage": "primary", "org_id": branch.pk},
            api=True,
            write=True,
        ),
    ]
