"""Thin views: one access call, one service or selector call, render."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core import capabilities, files
from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import xlsx_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, home_org, require, scoped
from dangjian.orgs import roster as roster_io
from dangjian.orgs import selectors, services
from dangjian.orgs import setup as setup_io
from dangjian.orgs.forms import (
    AccountForm,
    AppointForm,
    DissolveForm,
    GrantForm,
    LeaveForm,
    OrgCreateForm,
    OrgEditForm,
    PeopleSearchForm,
    PersonForm,
    RosterImportForm,
    SchoolFilterForm,
    SchoolForm,
    SetupImportForm,
    TransferForm,
)
from dangjian.orgs.models import Grant, Org, Person, Position, RosterImport, School


@login_required
def mine(request):
    org = home_org(request.user)
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
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "perms_tree": has_capability(request.user, "orgs.manage_tree"),
        "perms_setup": has_capability(request.user, "orgs.manage_schools"),
    }
    return render(request, "orgs/county.html", context)


@login_required
def detail(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    form = PeopleSearchForm(request.GET or None)
    people = selectors.roster(request.user, org)
    if form.is_valid() and form.cleaned_data["q"]:
        people = people.filter(pk__in=selectors.search_people(request.user, form.cleaned_data["q"]).values("pk"))
    page = paginate(request, people)
    page.object_list = selectors.show_roster(page.object_list)
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
        "can_manage_tree": has_capability(request.user, "orgs.manage_tree", org.path),
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


def _no_store(response: HttpResponse) -> HttpResponse:
    """A page showing a one-time password: no browser or proxy may keep a copy."""
    response["Cache-Control"] = "no-store"
    return response


def _person_change(request, person: Person, form, service, template: str, done: str):
    """A form page whose valid POST calls one service on the person (leave, transfer)."""
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("orgs:person", pk=person.pk)
    return render(request, template, {"person": person, "form": form}, status=400 if form.errors else 200)


@login_required
def person_leave(request, pk: int):
    """离开 (调离、退休、离职、去世): the login, grants, tokens and posts end at once; the records stay."""
    person = get_for_user(request.user, Person, pk, write=True)
    form = LeaveForm(request.POST or None, initial={"on": timezone.localdate()})
    done = _("已登记离开：账号已停用，授权与令牌已全部撤销。")
    return _person_change(request, person, form, services.mark_left, "orgs/person_leave.html", done)


@login_required
def person_transfer(request, pk: int):
    """调动 within the county: the person and their history move along; old posts and grants end."""
    person = get_for_user(request.user, Person, pk, write=True)
    form = TransferForm(
        request.POST or None,
        schools=scoped(request.user, School, "orgs.manage"),
        orgs=scoped(request.user, Org, "orgs.manage").exclude(kind="group"),
        initial={"org": person.org, "school": person.school, "on": timezone.localdate()},
    )
    done = _("已调动。原单位的职务和授权已结束。")
    return _person_change(request, person, form, services.transfer, "orgs/person_transfer.html", done)


@login_required
@require_POST
def person_reactivate(request, pk: int):
    person = get_for_user(request.user, Person, pk, write=True)
    return post_action(
        request,
        lambda: services.reactivate(actor=request.user, person=person),
        success=_("已恢复，账号可再次登录。原有授权不会自动恢复，请按需重新授权。"),
        to="orgs:person",
        pk=person.pk,
    )


@login_required
@require_POST
def person_reset_password(request, pk: int):
    """重置密码: a new one-time password, shown on this page once; the owner must change it at next login."""
    person = get_for_user(request.user, Person, pk)
    try:
        password = services.reset_password(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("orgs:person_access", pk=person.pk)
    return _no_store(render(request, "orgs/password_reset.html", {"person": person, "new_password": password}))


@never_cache  # the unmasked values must not stay in any cache
@login_required
@require_POST
def person_reveal(request, pk: int):
    person = get_for_user(request.user, Person, pk, write=True, capability=Person.CAPABILITIES["reveal"])
    values = services.reveal_pii(actor=request.user, person=person)
    return render(request, "orgs/_revealed.html", {"person": person, **values})


@login_required
def person_edit(request, pk: int):
    person = get_for_user(request.user, Person, pk, write=True)
    schools = scoped(request.user, School, "orgs.manage")
    orgs = selectors.live_orgs(request.user, "orgs.manage").exclude(kind="group")
    # The form edits a copy: the service compares it with the stored person to audit what changed.
    form = PersonForm(request.POST or None, instance=copy.copy(person), schools=schools, orgs=orgs, editing=person)
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
    return xlsx_response(content, f"{org.name}-名册-{timezone.localdate():%Y%m%d}.xlsx", personal=True)


@login_required
def roster_template(request):
    return xlsx_response(roster_io.template_xlsx(), "名册导入模板.xlsx")


@login_required
def roster_import(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.manage", org)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = _run_import(
        request, form, lambda upload: roster_io.submit_import(actor=request.user, org=org, upload=upload)
    )
    if isinstance(result, RosterImport):
        messages.success(request, _("文件较大，已转入后台检查并导入，本页会显示进度。"))
        return redirect("orgs:roster_import_job", pk=result.pk)
    if result and result.ok:
        messages.success(
            request, _("导入成功：新增%(c)d人，更新%(u)d人。") % {"c": result.created, "u": result.updated}
        )
        return redirect("orgs:detail", pk=org.pk)
    context = {"org": org, "form": form, "result": result}
    return render(request, "orgs/import.html", context, status=_import_status(form, result))


def _run_import(request, form, run):
    """Check the posted file and run the import on it; a refused file becomes the form's error (then None)."""
    if request.method != "POST" or not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    try:
        files.validate_upload(upload, ("xlsx",))
        return run(upload)
    except ValidationError as exc:
        form.add_error("file", exc)
        return None


def _import_status(form, result) -> int:
    return 400 if (result and not result.ok) or form.errors else 200


@login_required
def roster_import_job(request, pk: int):
    """A background import's progress (the page polls itself with htmx) and, at the end, its result."""
    job = get_for_user(request.user, RosterImport, pk)
    return render(request, "orgs/import_job.html", {"job": job, "org": job.org})


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
            elif grant_form.is_bound and grant_form.is_valid():
                # A person without a login gets one with the grant: its one-time password is shown below.
                _grant, new_password = services.grant_to_person(
                    actor=request.user, person=person, **grant_form.cleaned_data
                )
                messages.success(request, _("已授权。"))
                if new_password is None:
                    return redirect("orgs:person_access", pk=person.pk)
                person.refresh_from_db()
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
    response = render(
        request,
        "orgs/access.html",
        {
            "person": person,
            "account_form": account_form,
            "grant_form": grant_form,
            "grants": selectors.live_grants(request.user, person),
            "new_password": new_password,
            "role_label": capabilities.role_label,
        },
    )
    return _no_store(response) if new_password else response


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


# --- the tree and the county's set-up ------------------------------------------------------------


def _page_status(form) -> int:
    return 400 if form.errors else 200


def _apply(request, form, change):
    """The service call's result for a valid posted form, else None; its ValidationError becomes the form's."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return change()
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def tree(request):
    """组织架构: the part of the tree the user may change, with what can be done to each org."""
    if not has_capability(request.user, "orgs.manage_tree"):
        raise PermissionDenied
    root = get_for_user(request.user, Org, request.GET["org"]) if request.GET.get("org", "").isdigit() else None
    dissolved = request.GET.get("dissolved") == "1"
    page = paginate(request, selectors.tree_orgs(request.user, root, dissolved=dissolved), 100)
    top = min((o.depth for o in page.object_list), default=0)
    rows = [
        (
            o,
            o.depth - top,
            bool(services.kinds_under(o)) and not o.dissolved_on,
            has_capability(request.user, services.TREE_CAPABILITY[o.kind], o.path),
        )
        for o in page.object_list
    ]
    return render(
        request,
        "orgs/tree.html",
        {
            "page": page,
            "rows": rows,
            "root": root,
            "dissolved": dissolved,
            "can_manage_schools": has_capability(request.user, "orgs.manage_schools"),
        },
    )


@login_required
def org_create(request, pk: int):
    parent = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.manage_tree", parent)
    kinds = [
        k
        for k in services.kinds_under(parent)
        if has_capability(request.user, services.TREE_CAPABILITY[k], parent.path)
    ]
    form = OrgCreateForm(request.POST or None, kinds=kinds)
    org = _apply(request, form, lambda: services.create_org(actor=request.user, parent=parent, **form.cleaned_data))
    if org:
        messages.success(request, _("已设立%(o)s。") % {"o": org.name})
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_create.html", {"parent": parent, "form": form}, status=_page_status(form))


@login_required
def org_edit(request, pk: int):
    """更名或调整隶属关系: the whole subtree follows the org."""
    org = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.manage_tree", org)
    form = OrgEditForm(
        request.POST or None,
        parents=selectors.move_targets(request.user, org),
        initial={"name": org.name, "parent": org.parent_id},
    )
    if _apply(request, form, lambda: services.edit_org(actor=request.user, org=org, **form.cleaned_data)):
        messages.success(request, _("已保存。"))
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_edit.html", {"org": org, "form": form}, status=_page_status(form))


@login_required
def org_dissolve(request, pk: int):
    org = get_for_user(request.user, Org, pk)
    require(request.user, "orgs.manage_tree", org)
    form = DissolveForm(request.POST or None, initial={"on": timezone.localdate()})
    if _apply(request, form, lambda: services.dissolve_org(actor=request.user, org=org, **form.cleaned_data)):
        messages.success(request, _("已撤销%(o)s，其记录仍可查阅。") % {"o": org.name})
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_dissolve.html", {"org": org, "form": form}, status=_page_status(form))


@login_required
def school_create(request):
    """新建学校: by default the school and its single 党支部 in one step."""
    if not has_capability(request.user, "orgs.manage_schools"):
        raise PermissionDenied
    orgs = selectors.school_org_choices(request.user)
    initial = {"org": request.GET["org"]} if request.GET.get("org", "").isdigit() else {}
    form = SchoolForm(request.POST or None, orgs=orgs, initial=initial)

    def create():
        data = dict(form.cleaned_data)
        mode, org, branch_name = data.pop("mode"), data.pop("org"), data.pop("branch_name")
        if mode == SchoolForm.WITH_BRANCH:
            return services.create_school_with_branch(actor=request.user, parent=org, branch_name=branch_name, **data)[
                0
            ]
        return services.create_school(actor=request.user, org=org, **data)

    school = _apply(request, form, create)
    if school:
        messages.success(request, _("已新建学校%(s)s。") % {"s": school.name})
        return redirect("orgs:detail", pk=school.org_id)
    return render(request, "orgs/school_create.html", {"form": form}, status=_page_status(form))


def _setup_root(request) -> Org:
    root = selectors.setup_root(request.user)
    if root is None:
        raise PermissionDenied
    return root


@login_required
def setup(request):
    """建设清单: what the county still lacks, each with the page that fixes it."""
    gaps = selectors.setup_gaps(request.user, _setup_root(request))
    return render(request, "orgs/setup.html", {"gaps": gaps})


@login_required
def setup_template(request):
    root = _setup_root(request)
    return xlsx_response(setup_io.template_xlsx(root.name), "建制导入模板.xlsx")


@login_required
def setup_import(request):
    root = _setup_root(request)
    form = SetupImportForm(request.POST or None, request.FILES or None)
    result = _run_import(
        request, form, lambda upload: setup_io.import_xlsx(actor=request.user, root=root, upload=upload)
    )
    if result and result.ok:
        if result.created:
            messages.success(
                request,
                _("导入成功：新建党组织%(o)d个、学校%(s)d所；另有%(u)d行已存在，未重复创建。")
                % {"o": result.orgs_created, "s": result.schools_created, "u": result.unchanged},
            )
        else:
            messages.info(request, _("表中%(n)d行均已存在，没有新建任何内容。") % {"n": result.rows})
        return redirect("orgs:setup")
    context = {"root": root, "form": form, "result": result}
    return render(request, "orgs/setup_import.html", context, status=_import_status(form, result))
