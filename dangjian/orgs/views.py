"""Thin views: one access call, one service or selector call, render."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import capabilities, files
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require, scoped
from dangjian.orgs import roster as roster_io
from dangjian.orgs import selectors, services
from dangjian.orgs.forms import (
    AccountForm,
    AppointForm,
    GrantForm,
    PeopleSearchForm,
    PersonForm,
    RosterImportForm,
    SchoolFilterForm,
)
from dangjian.orgs.models import Grant, Org, Person, Position

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def mine(request):
    org = selectors.home_org(request.user)
    if org is None:
        return render(request, "orgs/no_org.html", status=200)
    return redirect("orgs:detail", pk=org.pk)


@login_required
def county(request):
    if not has_capability(request.user, "orgs.view_county"):
        raise PermissionDenied
    form = SchoolFilterForm(request.GET or None, townships=selectors.townships(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.county_schools(request.user, **filters))
    rows = selectors.school_rows(request.user, list(page.object_list))
    return render(request, "orgs/county.html", {"page": page, "rows": rows, "form": form})


@login_required
def detail(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    form = PeopleSearchForm(request.GET or None)
    people = selectors.roster(request.user, org)
    if form.is_valid() and form.cleaned_data["q"]:
        people = people.filter(pk__in=selectors.search_people(request.user, form.cleaned_data["q"]).values("pk"))
    page = paginate(request, people)
    children = list(selectors.orgs_in(request.user, org).filter(parent=org))
    summaries = selectors.summaries(request.user, [org, *children])
    context = {
        "org": org,
        "summary": summaries[0],
        "children": summaries[1:],
        "positions": selectors.current_positions(request.user, org),
        "page": page,
        "form": form,
        "can_manage": has_capability(request.user, "orgs.manage", org.path),
        "can_export": has_capability(request.user, "orgs.export", org.path),
    }
    template = "orgs/_roster.html" if request.headers.get("HX-Request") else "orgs/detail.html"
    return render(request, template, context)


@login_required
def person_detail(request, pk: int):
    person = get_for_user(request.user, Person, pk)
    return render(
        request,
        "orgs/person.html",
        {
            "person": person,
            "membership": getattr(person, "membership", None),
            "positions": person.positions.filter(ended_on__isnull=True).select_related("org"),
            "can_reveal": selectors.can_reveal(request.user, person),
            "can_manage": has_capability(request.user, "orgs.manage", person.scope_path()),
            "can_grant": has_capability(request.user, "orgs.manage_grants", person.scope_path()),
        },
    )


@login_required
@require_POST
def person_reveal(request, pk: int):
    person = get_for_user(request.user, Person, pk, write=True, capability=Person.CAPABILITIES["reveal"])
    values = services.reveal_pii(actor=request.user, person=person)
    return render(request, "orgs/_revealed.html", {"person": person, **values})


@login_required
def person_edit(request, pk: int):
    person = get_for_user(request.user, Person, pk, write=True)
    schools = scoped(request.user, Person.school.field.related_model, "orgs.manage")
    orgs = scoped(request.user, Org, "orgs.manage").exclude(kind="group")
    # The form edits a copy: the service compares it with the stored person to audit what changed.
    form = PersonForm(request.POST or None, instance=copy.copy(person), schools=schools, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_person(actor=request.user, person=person, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:person", pk=person.pk)
    return render(request, "orgs/person_edit.html", {"person": person, "form": form})


@login_required
def roster_export(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.export", org)
    reveal = request.GET.get("reveal") == "1"
    if reveal:
        require(request.user, "orgs.reveal_pii", org)
    content = roster_io.export_xlsx(actor=request.user, org=org, reveal=reveal)
    return _xlsx(content, f"{org.name}-名册-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def roster_template(request):
    return _xlsx(roster_io.template_xlsx(), "名册导入模板.xlsx")


@login_required
def roster_import(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.manage", org)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.validate_upload(upload, ("xlsx",))
            result = roster_io.import_xlsx(actor=request.user, org=org, upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if result.ok:
                messages.success(
                    request, _("导入成功：新增%(c)d人，更新%(u)d人。") % {"c": result.created, "u": result.updated}
                )
                return redirect("orgs:detail", pk=org.pk)
    status = 400 if (result and not result.ok) or form.errors else 200
    return render(request, "orgs/import.html", {"org": org, "form": form, "result": result}, status=status)


# --- accounts, grants and posts ----------------------------------------------------------------


def _grant_form(request, person: Person, data=None) -> GrantForm:
    roles = [(r, capabilities.role_label(r)) for r in services.grantable_roles(request.user, person.org)]
    orgs = scoped(request.user, Org, "orgs.manage_grants").filter(path__in=person.org.ancestor_paths())
    return GrantForm(data, roles=roles, orgs=orgs, initial={"org": person.org})


@login_required
def person_access(request, pk: int):
    """账号与授权 of one person: open an account, grant and revoke roles (GET shows, POST changes)."""
    person = get_for_user(request.user, Person, pk)
    require(request.user, "orgs.manage_grants", person)
    account_form = AccountForm(request.POST if "username" in request.POST else None)
    grant_form = _grant_form(request, person, request.POST if "role" in request.POST else None)
    new_password = None
    if request.method == "POST":
        try:
            if account_form.is_bound and account_form.is_valid():
                _user, new_password = services.create_account(
                    actor=request.user, person=person, username=account_form.cleaned_data["username"]
                )
                person.refresh_from_db()
            elif grant_form.is_bound and grant_form.is_valid() and person.user_id:
                services.grant_role(
                    actor=request.user,
                    user=person.user,
                    org=grant_form.cleaned_data["org"],
                    role=grant_form.cleaned_data["role"],
                    expires_on=grant_form.cleaned_data["expires_on"],
                )
                messages.success(request, _("已授权。"))
                return redirect("orgs:person_access", pk=person.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    grants = (
        scoped(request.user, Grant).filter(user_id=person.user_id, revoked_at__isnull=True).select_related("org")
        if person.user_id
        else []
    )
    return render(
        request,
        "orgs/access.html",
        {
            "person": person,
            "account_form": account_form,
            "grant_form": grant_form,
            "grants": grants,
            "new_password": new_password,
            "role_label": capabilities.role_label,
        },
    )


@login_required
@require_POST
def grant_revoke(request, pk: int):
    grant = get_for_user(request.user, Grant, pk, write=True)
    services.revoke_grant(actor=request.user, grant=grant)
    messages.success(request, _("已撤销授权。"))
    person = getattr(grant.user, "person", None)
    return redirect("orgs:person_access", pk=person.pk) if person else redirect("orgs:grants")


@login_required
def grant_list(request):
    if not has_capability(request.user, "orgs.manage_grants"):
        raise PermissionDenied
    grants = scoped(request.user, Grant).filter(revoked_at__isnull=True).select_related("user", "org", "user__person")
    role = request.GET.get("role", "")
    if role:
        grants = grants.filter(role=role)
    page = paginate(request, grants.order_by("org__path", "role", "user__username"))
    return render(
        request,
        "orgs/grants.html",
        {"page": page, "role": role, "roles": capabilities.role_table(), "role_label": capabilities.role_label},
    )


@login_required
def appoint(request, pk: int):
    org = get_for_user(request.user, Org, pk, write=True)
    people = selectors.roster(request.user, org).filter(org=org, membership__stage="full")
    form = AppointForm(request.POST or None, people=people, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已任命。"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/appoint.html", {"org": org, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def position_end(request, pk: int):
    position = get_for_user(request.user, Position, pk, write=True)
    services.end_position(actor=request.user, position=position)
    messages.success(request, _("已登记离任。"))
    return redirect("orgs:detail", pk=position.org_id)
