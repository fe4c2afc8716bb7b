"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.params import year_param
from dangjian.core.scoping import get_for_user, has_capability, scoped
from dangjian.meetings import forms, ics, logic, selectors, services
from dangjian.meetings.models import (
    LEADERSHIP_KINDS,
    ORG_LIFE_CHOICES,
    Attendance,
    Kind,
    Meeting,
    Presence,
    Rectification,
    Status,
)
from dangjian.orgs.models import Org, Person


def _person_choices(meeting: Meeting) -> list[Person]:
    return [a.person for a in selectors.attendance(meeting)]


def _errors(form, exc: ValidationError) -> None:
    form.add_error(None, exc)


@login_required
def index(request):
    """Meetings of the user's orgs, newest first, with what is due now for the orgs the user records."""
    form = forms.ListFilter(request.GET or None)
    org = get_for_user(request.user, Org, request.GET["org"]) if request.GET.get("org") else None
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.meetings(
        request.user,
        org=org,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    recordable = list(selectors.recordable_orgs(request.user)[:20])
    page = paginate(request, qs)
    page.object_list = selectors.show_list(page.object_list)
    context = {
        "page": page,
        "form": form,
        "org": org,
        "recordable": recordable,
        "due": list(selectors.due_now(request.user, recordable)[:30]) if recordable else [],
        "upcoming": list(selectors.my_upcoming(request.user)[:5]),
    }
    return render(request, "meetings/index.html", context)


@login_required
def plan(request, pk: int):
    org = get_for_user(request.user, Org, pk, write=True, capability="meetings.record")
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.THEME_DAY
    initial = {"kind": kind, "roster": selectors.default_roster(kind, org), "duration_minutes": 90}
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(
                actor=request.user, org=org, roster=form.cleaned_data["roster"], **form.meeting_fields()
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已安排，应到人员已按名册生成。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/plan.html", {"org": org, "form": form})


def _quick_initial(request, org: Org) -> dict:
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.COMMITTEE_MEETING
    roster = request.GET.get("roster") or selectors.default_roster(kind, org)
    if roster not in selectors.ROSTERS:
        roster = selectors.default_roster(kind, org)
    person = getattr(request.user, "person", None)
    secretary = org.positions.filter(post="secretary", ended_on__isnull=True).values_list("person_id", flat=True)
    return {
        "kind": kind,
        "roster": roster,
        "host": secretary.first() or (person.pk if person else None),
        "recorder": person.pk if person else None,
    }


@login_required
def record_new(request, pk: int):
    """The phone flow: a meeting already held, recorded in one step. Attendance defaults to the expected
    roster (everyone 出席), so only the exceptions are tapped."""
    org = get_for_user(request.user, Org, pk, write=True, capability="meetings.record")
    return _record_new(request, org, on_behalf=False)


@login_required
def record_on_behalf(request, pk: int):
    """代录: a county administrator records a held meeting in a branch's name, with the reason; the record and the
    audit log show who did it and why. County roles have no other way to write a branch's records."""
    org = get_for_user(request.user, Org, pk, write=True, capability="meetings.record_on_behalf")
    return _record_new(request, org, on_behalf=True)


def _record_new(request, org: Org, *, on_behalf: bool):
    initial = _quick_initial(request, org)
    roster = (request.POST.get("roster") if request.method == "POST" else None) or initial["roster"]
    pair_ids, candidates = None, []
    if roster == "pair":  # 谈心谈话: the two people who talked, chosen from the members
        candidates = [e.person for e in selectors.expected_roster(org, "members")]
        talker = request.POST.get("talker") or str(initial["recorder"] or "")
        pair_ids = [int(v) for v in (talker, request.POST.get("partner", "")) if v.isdigit()]
    expected = selectors.expected_roster(org, roster, pair_ids)
    people = candidates if roster == "pair" else [e.person for e in expected]
    form_class = forms.OnBehalfRecordForm if on_behalf else forms.QuickRecordForm
    form = form_class(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {p.pk: p for p in people}
        try:
            meeting = services.record_new_meeting(
                actor=request.user,
                org=org,
                kind=data["kind"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                place=data["place"],
                roster=roster,
                statuses=forms.attendance_from_post(request.POST, list(by_id)),
                minutes=data["minutes"],
                resolutions=data["resolutions"],
                host=by_id.get(data["host"]),
                recorder=by_id.get(data["recorder"]),
                pair_ids=pair_ids,
                on_behalf_reason=data["on_behalf_reason"] if on_behalf else None,
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已记录。组织生活落实情况已随之更新。"))
            return redirect("meetings:detail", pk=meeting.pk)
    context = {
        "org": org,
        "form": form,
        "expected": expected,
        "roster": roster,
        "candidates": candidates,
        "talker": (pair_ids or [initial["recorder"]])[0],
        "on_behalf": on_behalf,
        "action_url": reverse("meetings:record_on_behalf" if on_behalf else "meetings:record_new", args=[org.pk]),
    }
    template = "meetings/_attendance_new.html" if request.headers.get("HX-Request") else "meetings/record_new.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    # 党组织会议 and 校长办公会议 are recorded on the leadership pages (their roster is the school's bodies).
    leadership = meeting.kind in LEADERSHIP_KINDS
    can_record = selectors.can_record(request.user, meeting) and not leadership
    context = {
        "meeting": meeting,
        "leadership": leadership,
        "rows": selectors.attendance_for_viewer(request.user, meeting),
        "motions": meeting.motions.all(),
        "rectifications": meeting.rectifications.select_related("owner"),
        # Grades exist only for a 民主评议党员, and one's own row matters only before the meeting (to ask for leave):
        # neither is read for the others.
        "grades": meeting.grades.select_related("person") if meeting.kind == Kind.MEMBER_REVIEW else [],
        "can_record": can_record,
        "mine": selectors.my_attendance(request.user, meeting) if meeting.status == Status.PLANNED else None,
        "hours": selectors.hours_for_kind(meeting),
        "motion_form": forms.MotionForm() if can_record and meeting.kind == Kind.GENERAL_ASSEMBLY else None,
        "leave_form": forms.LeaveForm(),
        "attachments": meeting.attachments.all(),
        "attachment_form": forms.AttachmentForm() if can_record else None,
    }
    return render(request, "meetings/detail.html", context)


@login_required
def edit(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    initial = {name: getattr(meeting, name) for name in forms.EditForm.base_fields}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = forms.EditForm(request.POST or None, initial=initial, editing=meeting)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **fields)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/edit.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def delete(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    org_id = meeting.org_id
    services.delete_meeting(actor=request.user, meeting=meeting)
    messages.success(request, _("已删除。"))
    return redirect(f"{redirect('meetings:index').url}?org={org_id}")


@login_required
def record(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    people = _person_choices(meeting)
    initial = {
        "host": meeting.host_id or (people[0].pk if people else None),
        "recorder": meeting.recorder_id or getattr(getattr(request.user, "person", None), "pk", None),
        "minutes": meeting.minutes,
        "resolutions": meeting.resolutions,
    }
    form = forms.RecordFields(request.POST or None, initial=initial, people=people, editing=meeting)
    if request.method == "POST" and form.is_valid():
        by_id = {p.pk: p for p in people}
        data = form.cleaned_data
        try:
            services.record_meeting(
                actor=request.user,
                meeting=meeting,
                statuses=forms.attendance_from_post(request.POST, list(by_id)),
                host=by_id.get(data["host"]),
                recorder=by_id.get(data["recorder"]),
                minutes=data["minutes"],
                resolutions=data["resolutions"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/record.html",
        {"meeting": meeting, "form": form, "rows": selectors.attendance(meeting), "presence": Presence.choices},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def leave(request, pk: int):
    """A member asks for leave; anyone who can see the meeting may ask for themselves only."""
    meeting = selectors.meeting_for(request.user, pk)
    form = forms.LeaveForm(request.POST)

    def ask():
        if not form.is_valid():
            raise ValidationError(_("请填写请假事由。"))
        services.request_leave(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])

    return post_action(request, ask, success=_("已提交请假，待书记批准。"), to="meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def decide_leave(request, pk: int):
    """The secretary (whoever records the meeting) approves or declines one leave request."""
    row = get_for_user(request.user, Attendance, pk, write=True)
    approve = request.POST.get("decision") == "approve"
    return post_action(
        request,
        lambda: services.decide_leave(actor=request.user, attendance=row, approve=approve),
        success=_("已批准请假。") if approve else _("已不批准请假，该同志仍应出席。"),
        to="meetings:detail",
        pk=row.meeting_id,
    )


@login_required
def invitation(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return attachment_response(ics.calendar_for([meeting]), f"meeting-{meeting.pk}.ics", ics.CONTENT_TYPE)


@login_required
@require_POST
def add_attachment(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    form = forms.AttachmentForm(request.POST, request.FILES)

    def upload():
        if not form.is_valid():
            raise ValidationError(_("请选择文件。"))
        services.add_attachment(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"])

    return post_action(request, upload, success=_("附件已上传。"), to="meetings:detail", pk=meeting.pk)


@login_required
def attachment(request, pk: int):
    item = selectors.attachment_for(request.user, pk)
    with item.file.open("rb") as handle:  # small files; read whole so nothing is left open
        content = handle.read()
    return attachment_response(content, item.name, personal=True)


@login_required
@require_POST
def add_motion(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    form = forms.MotionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请完整填写表决事项和票数。"))
        motion = services.add_motion(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if motion.valid:
            messages.success(request, _("表决已登记：%(r)s") % {"r": _("通过") if motion.passed else _("未通过")})
        else:
            messages.error(request, _("到会有表决权党员未过半数，表决无效，已登记为无效。"))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def org_life(request, pk: int):
    """组织生活会: preparation, each member's criticism and self-criticism, and rectification items."""
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    if meeting.kind != Kind.ORG_LIFE_MEETING:
        raise Http404
    rows = list(selectors.attendance(meeting))
    entries = {e.person_id: e for e in meeting.life_entries.all()}
    form = forms.OrgLifePrepForm(
        request.POST or None, initial={"prep_talks": meeting.prep_talks, "prep_opinions": meeting.prep_opinions}
    )
    if request.method == "POST" and form.is_valid():
        data = {
            r.person_id: (request.POST.get(f"self_{r.person_id}", ""), request.POST.get(f"recv_{r.person_id}", ""))
            for r in rows
        }
        try:
            services.save_org_life(actor=request.user, meeting=meeting, entries=data, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("meetings:detail", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "rows": [(r, entries.get(r.person_id)) for r in rows],
        "rect_form": forms.RectificationForm(people=[r.person for r in rows]),
        "rectifications": meeting.rectifications.select_related("owner"),
    }
    return render(request, "meetings/org_life.html", context)


@login_required
@require_POST
def add_rectification(request, pk: int):
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    form = forms.RectificationForm(request.POST, people=_person_choices(meeting))

    def add():
        if not form.is_valid():
            raise ValidationError(_("请填写整改事项、责任人和完成时限。"))
        services.add_rectification(
            actor=request.user,
            meeting=meeting,
            item=form.cleaned_data["item"],
            owner=get_for_user(request.user, Person, form.cleaned_data["owner"]),
            deadline=form.cleaned_data["deadline"],
        )

    return post_action(request, add, success=_("已添加整改事项。"), to="meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def complete_rectification(request, pk: int):
    rect = get_for_user(request.user, Rectification, pk, write=True)
    return post_action(
        request,
        lambda: services.complete_rectification(actor=request.user, rectification=rect),
        success=_("已标记完成。"),
        to="meetings:detail",
        pk=rect.meeting_id,
    )


@login_required
def review(request, pk: int):
    """民主评议党员: grades for full members; probationary members take part without a grade."""
    meeting = get_for_user(request.user, Meeting, pk, write=True)
    if meeting.kind != Kind.MEMBER_REVIEW:
        raise Http404
    rows = list(selectors.attendance(meeting))
    default = logic.review_rules(on=meeting.day, org_path=meeting.org.path)["default_grade"]
    saved = {g.person_id: g.grade for g in meeting.grades.all()}
    # Before the first save every full member shows 合格: the secretary changes only the exceptions.
    current = saved if saved else {r.person_id: default for r in rows if r.is_voting}
    error = None
    if request.method == "POST":
        grades = {r.person_id: request.POST.get(f"g_{r.person_id}", "") for r in rows if r.is_voting}
        try:
            services.set_review_grades(actor=request.user, meeting=meeting, grades=grades)
        except ValidationError as exc:
            error = error_text(exc)
            current = grades
        else:
            messages.success(request, _("评议等次已保存。"))
            return redirect("meetings:detail", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "rows": [(r, current.get(r.person_id, "")) for r in rows],
        "choices": forms.GRADE_CHOICES,
        "error": error,
    }
    return render(request, "meetings/review.html", context, status=400 if error else 200)


@login_required
def compliance_home(request):
    """One's own organization's grid; with ?org= (evidence links, reminders) that organization's, for the year
    of ?year= or of ?start=. Whether the user may see it is decided by the page it leads to."""
    year = request.GET.get("year") or request.GET.get("start", "")[:4]
    query = f"?year={year}" if year.isdigit() else ""
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        return redirect(reverse("meetings:compliance_org", kwargs={"pk": int(org_id)}) + query)
    org = selectors.home_org(request.user)
    if org is None:
        raise PermissionDenied
    return redirect(reverse("meetings:compliance_org", kwargs={"pk": org.pk}) + query)


@login_required
def compliance(request, pk: int):
    """Held versus required for each kind and period of one org's year; each cell links to its meetings."""
    org = get_for_user(request.user, Org, pk)
    year = year_param(request)
    children = (
        scoped(request.user, Org, "meetings.view").filter(parent=org, kind__in=["branch", "group"]).order_by("path")
    )
    context = {
        "grid": selectors.compliance_grid(request.user, org, year),
        "children": children,
        "year": year,
        "can_record": selectors.can_record(request.user, org),
        "can_record_on_behalf": selectors.can_record_on_behalf(request.user, org),
        "current_month": timezone.localdate().month if year == timezone.localdate().year else None,
    }
    return render(request, "meetings/compliance.html", context)


@login_required
def county(request):
    """Every branch of the county: held versus required per kind this year, most overdue first."""
    if not has_capability(request.user, "meetings.view_county"):
        raise PermissionDenied
    year = year_param(request)
    page = paginate(request, selectors.county_orgs(request.user, year), 30)
    rows = selectors.county_rows(request.user, list(page.object_list), year)
    kinds = ORG_LIFE_CHOICES
    return render(request, "meetings/county.html", {"page": page, "rows": rows, "year": year, "kinds": kinds})


def public_list(request):
    """Public live sessions (no login): only date, kind, topic, organization and the link."""
    return render(request, "meetings/public.html", {"page": paginate(request, selectors.public_sessions())})


def public_ics(request, pk: int):
    meeting = selectors.public_session(pk)
    if meeting is None:
        raise Http404
    return attachment_response(
        ics.calendar_for([meeting], with_place=False), f"live-{meeting.pk}.ics", ics.CONTENT_TYPE
    )
