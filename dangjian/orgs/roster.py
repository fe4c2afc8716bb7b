"""Roster import and export in Excel (.xlsx) with Chinese column headers.

Import is all-or-nothing: every row is checked first (ID checksum, duplicates in the file and in the
database, unknown school or organization, dates), and if any row is wrong nothing is written and the user
gets each bad row's number and reason. Clean files are written with bulk inserts in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import Workbook

from dangjian.core import audit
from dangjian.core.actions import error_text
from dangjian.core.models import AuditEntry
from dangjian.core.requestlocal import current_ip
from dangjian.core.scoping import has_capability, unscoped
from dangjian.core.xlsx import (
    ImportResult,
    RowError,
    cell_text,
    check_archive,
    count_rows,
    read_rows,
    style_header,
    text_safe_row,
    throttle_imports,
    workbook_bytes,
)
from dangjian.orgs import idnumber
from dangjian.orgs.models import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    Gender,
    ImportStatus,
    Membership,
    Org,
    OrgKind,
    Person,
    RosterImport,
    School,
    Stage,
)
from dangjian.orgs.selectors import live_orgs, roster, schools_for_import
from dangjian.orgs.services import initials_of

NON_MEMBER = "群众"
COLUMNS = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("id_number", "身份证号"),
    ("birth_date", "出生日期"),
    ("phone", "手机号"),
    ("school", "学校"),
    ("org", "所属党组织"),
    ("job", "岗位"),
    ("title", "职称"),
    ("stage", "政治面貌"),
    ("applied_on", "递交申请日期"),
    ("activist_on", "确定积极分子日期"),
    ("candidate_on", "确定发展对象日期"),
    ("probationary_on", "接收预备党员日期"),
    ("full_on", "转正日期"),
    ("group", "党小组"),
]
REQUIRED = {"name", "id_number", "school"}
STAGE_BY_LABEL: dict[str, Stage] = {str(Stage(s).label): s for s in STAGE_ORDER}
GENDER_BY_LABEL: dict[str, str] = {"男": Gender.MALE, "女": Gender.FEMALE}
MAX_ROWS = 100_000
PROGRESS_EVERY = 1000


# --- export -----------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("名册")
    sheet.append([header for _key, header in COLUMNS])
    style_header(sheet, (10, 6, 22, 12, 14, 24, 22, 12, 12, 12, 14, 16, 16, 16, 12, 12))
    return workbook_bytes(book)


def export_xlsx(*, actor, org: Org, reveal: bool = False) -> bytes:
    """The roster of the org's subtree as the user may see it. PII is masked unless `reveal` (audited)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("名册"))
    sheet.append([header for _key, header in COLUMNS])
    count = 0
    for person in roster(actor, org).iterator(chunk_size=2000):
        membership = getattr(person, "membership", None)
        row = [
            person.name,
            person.get_gender_display(),
            person.id_number if reveal else person.id_number_masked,
            person.birth_date if reveal else person.birth_date_masked,
            person.phone if reveal else person.phone_masked,
            person.school.name if person.school else "",
            person.org.name,
            person.job,
            person.title,
            membership.get_stage_display() if membership else NON_MEMBER,
        ]
        row += [getattr(membership, STAGE_DATE_FIELD[s]) if membership else None for s in STAGE_ORDER]
        row.append(membership.group.name if membership and membership.group else "")
        sheet.append(text_safe_row(sheet, row))
        count += 1
    content = workbook_bytes(book)
    audit.record(
        actor=actor, action="export", obj=org, model="orgs.Roster", changes={"rows": count, "revealed": reveal}
    )
    return content


# --- import -----------------------------------------------------------------------------------


def _date(value, column: str, errors: list[RowError], row: int) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        errors.append(RowError(row, column, _("日期格式应为 2024-09-01，实际为“%(v)s”") % {"v": cell_text(value)}))
        return None


def submit_import(*, actor, org: Org, upload) -> ImportResult | RosterImport:
    """An import from the page or the API: rate-limited per user; up to IMPORT_BACKGROUND_ROWS rows it runs at
    once (an ImportResult), above that as a background job (a RosterImport to follow on its page)."""
    throttle_imports(actor)
    try:
        check_archive(upload)
        if count_rows(upload) <= settings.IMPORT_BACKGROUND_ROWS:
            return import_xlsx(actor=actor, org=org, upload=upload)
    except ValidationError as exc:
        _audit_failure(actor, org, problem=error_text(exc))
        raise
    job = RosterImport(org=org, requested_by=actor)
    job.file.save(f"roster-{org.pk}.xlsx", upload, save=False)
    with unscoped("orgs.submit_import: the job row of an import the user may make"):
        job.save()
    audit.record(actor=actor, action="create", obj=job, model="orgs.RosterImport")
    transaction.on_commit(lambda: run_import.enqueue(import_id=job.pk))
    return job


@task()
def run_import(import_id: int) -> str:
    """The background import: progress is written as the rows are checked, the file is deleted at the end."""
    with unscoped("orgs.run_import: a queued import, checked with its requester's rights"):
        job = RosterImport.objects.select_related("org", "requested_by").get(pk=import_id)
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])

    def progress(checked: int, rows: int) -> None:
        with unscoped("orgs.run_import: progress"):
            RosterImport.objects.filter(pk=job.pk).update(checked=checked, rows=rows)

    try:
        with job.file.open("rb") as handle:
            result = import_xlsx(actor=job.requested_by, org=job.org, upload=handle, progress=progress)
    except ValidationError as exc:
        job.status, job.message = ImportStatus.FAILED, error_text(exc)[:300]
        _audit_failure(job.requested_by, job.org, problem=job.message)
    else:
        job.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
        job.rows = job.checked = result.rows
        job.created, job.updated, job.error_count = result.created, result.updated, len(result.errors)
        job.errors = [[e.row, e.column, e.message] for e in result.errors[: RosterImport.MAX_ERRORS_KEPT]]
    job.file.delete(save=False)  # it holds ID numbers: kept no longer than the import
    job.finished_at = timezone.now()
    with unscoped("orgs.run_import: result"):
        job.save()
    return job.status


def _audit_failure(actor, org: Org, **changes) -> None:
    # Failed imports are audited too: a run of them is how someone probes for ID numbers registered elsewhere.
    audit.record(actor=actor, action="import_failed", obj=org, model="orgs.Roster", changes=changes)


@dataclass
class _ImportScope:
    """What every row is checked against: the importer, the places it may name, and who already exists."""

    actor: object
    org: Org
    schools: dict[str, School]
    orgs: dict[str, list[Org]]
    groups: dict[tuple[int | None, str], Org]
    existing: dict[str, Person]
    first_row_of: dict[str, int] = field(default_factory=dict)


def import_xlsx(*, actor, org: Org, upload, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Check every row; write all of them or none. Existing people (same ID number) in scope are updated.
    `progress(checked, rows)` is told how far the check got, every PROGRESS_EVERY rows."""
    data = list(read_rows(upload, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS))
    result = ImportResult(rows=len(data))
    scope = _import_scope(actor, org, data)
    parsed = []
    for checked, (row, cell) in enumerate(data):
        if progress and checked % PROGRESS_EVERY == 0:
            progress(checked, len(data))
        errors: list[RowError] = []
        person = _check_row(scope, row, cell, errors)
        result.errors.extend(errors)
        if not errors:
            parsed.append(person)
    if result.errors:
        _audit_failure(actor, org, rows=len(data), errors=len(result.errors))
        return result
    if progress:
        progress(len(data), len(data))
    _write(actor=actor, org=org, rows=parsed, existing=scope.existing, result=result)
    return result


def _import_scope(actor, org: Org, data: list[tuple[int, dict]]) -> _ImportScope:
    orgs: dict[str, list[Org]] = defaultdict(list)
    for o in live_orgs(actor, "orgs.manage").filter(path__startswith=org.path):
        orgs[o.name].append(o)
    ids_in_file = [idnumber.normalize(cell_text(cell.get("id_number"))) for _row, cell in data]
    with unscoped("roster import: duplicate check across the whole database"):
        existing = {
            p.id_number: p
            for chunk_start in range(0, len(ids_in_file), 900)
            for p in Person.objects.filter(id_number__in=ids_in_file[chunk_start : chunk_start + 900]).select_related(
                "org"
            )
        }
    return _ImportScope(
        actor=actor,
        org=org,
        schools={s.name: s for s in schools_for_import(actor, org)},
        orgs=orgs,
        groups={(o.parent_id, o.name): o for same in orgs.values() for o in same if o.kind == OrgKind.GROUP},
        existing=existing,
    )


def _check_row(scope: _ImportScope, row: int, cell: dict, errors: list[RowError]) -> dict:
    """One row's fields, checked in column order; each problem is appended to `errors`."""
    name = cell_text(cell.get("name"))
    if not name:
        errors.append(RowError(row, "姓名", _("姓名不能为空")))
    number, number_ok = _check_id_number(scope, row, cell, errors)
    gender, birth = _check_gender_and_birth(row, cell, number if number_ok else None, errors)
    phone = cell_text(cell.get("phone"))
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        errors.append(RowError(row, "手机号", _("手机号应为以1开头的11位数字")))
    school = _check_school(scope, row, cell, errors)
    stage = _check_stage(row, cell, errors)
    target = _check_org(scope, row, cell, school, stage, errors)
    dates = _check_stage_dates(row, cell, stage, errors)
    group = _check_group(scope, row, cell, target, errors)
    return {
        "name": name,
        "gender": gender,
        "id_number": number,
        "birth_date": birth,
        "phone": phone,
        "school": school,
        "org": target,
        "job": cell_text(cell.get("job")),
        "title": cell_text(cell.get("title")),
        "stage": stage,
        "dates": dates,
        "group": group,
    }


def _check_id_number(scope: _ImportScope, row: int, cell: dict, errors: list[RowError]) -> tuple[str, bool]:
    """The normalized number and whether it is a valid one (then gender and birth date follow from it)."""
    number = idnumber.normalize(cell_text(cell.get("id_number")))
    reason = idnumber.problem(number)
    if reason:
        errors.append(RowError(row, "身份证号", reason))
    elif number in scope.first_row_of:
        errors.append(RowError(row, "身份证号", _("与第%(r)d行身份证号重复") % {"r": scope.first_row_of[number]}))
    else:
        scope.first_row_of[number] = row
        other = scope.existing.get(number)
        if other and not (
            other.org.path.startswith(scope.org.path) and has_capability(scope.actor, "orgs.manage", other.org.path)
        ):
            # Neutral: whether and where the number is registered is not the importer's to learn.
            errors.append(
                RowError(row, "身份证号", _("该身份证号不能由本组织导入；如需调入人员，请联系上级党组织办理"))
            )
    return number, not reason


def _check_gender_and_birth(
    row: int, cell: dict, valid_number: str | None, errors: list[RowError]
) -> tuple[str | None, dt.date | None]:
    """Gender and birth date as written, or as the valid ID number says when left empty; they must agree with it."""
    gender_text = cell_text(cell.get("gender"))
    gender = GENDER_BY_LABEL.get(gender_text)
    if gender_text and gender is None:
        errors.append(RowError(row, "性别", _("性别应为“男”或“女”")))
    if valid_number is not None:
        if gender and gender != idnumber.gender(valid_number):
            errors.append(RowError(row, "性别", _("性别与身份证号不符")))
        gender = gender or idnumber.gender(valid_number)
    birth = _date(cell.get("birth_date"), "出生日期", errors, row)
    if valid_number is not None:
        if birth and birth != idnumber.birth_date(valid_number):
            errors.append(RowError(row, "出生日期", _("出生日期与身份证号不符")))
        birth = birth or idnumber.birth_date(valid_number)
    return gender, birth


def _check_school(scope: _ImportScope, row: int, cell: dict, errors: list[RowError]) -> School | None:
    school_name = cell_text(cell.get("school"))
    school = scope.schools.get(school_name)
    if school is None:
        errors.append(
            RowError(
                row,
                "学校",
                _("学校“%(s)s”不存在或不在本组织范围内") % {"s": school_name} if school_name else _("学校不能为空"),
            )
        )
    return school


def _check_stage(row: int, cell: dict, errors: list[RowError]) -> Stage | None:
    """The political stage; None for 群众 (no membership)."""
    stage_text = cell_text(cell.get("stage")) or NON_MEMBER
    stage = None if stage_text == NON_MEMBER else STAGE_BY_LABEL.get(stage_text)
    if stage_text != NON_MEMBER and stage is None:
        errors.append(
            RowError(row, "政治面貌", _("政治面貌应为：%(v)s") % {"v": "、".join([NON_MEMBER, *STAGE_BY_LABEL])})
        )
    return stage


def _check_org(
    scope: _ImportScope, row: int, cell: dict, school: School | None, stage: str | None, errors: list[RowError]
) -> Org | None:
    """The row's 所属党组织: named (unambiguous within the school), or the default for its school."""
    org_name = cell_text(cell.get("org"))
    named = scope.orgs.get(org_name, [])
    if len(named) > 1 and school is not None:  # a county-wide file: "第一党支部" exists in many schools
        named = [o for o in named if o.path.startswith(school.org.path)] or named
    target = named[0] if len(named) == 1 else None if org_name else _default_org(scope.org, school)
    if org_name and not named:
        errors.append(RowError(row, "所属党组织", _("党组织“%(o)s”不存在或不在本组织范围内") % {"o": org_name}))
    elif len(named) > 1:
        errors.append(
            RowError(row, "所属党组织", _("有%(n)d个党组织名为“%(o)s”，请核对学校") % {"n": len(named), "o": org_name})
        )
    elif target is not None and target.kind == OrgKind.GROUP:
        errors.append(RowError(row, "所属党组织", _("所属党组织应填党支部，党小组请填在“党小组”列")))
    elif stage is not None and target is not None and target.kind != OrgKind.BRANCH:
        errors.append(RowError(row, "所属党组织", _("党员、积极分子等应填写其所在的党支部")))
    return target


def _check_stage_dates(row: int, cell: dict, stage: Stage | None, errors: list[RowError]) -> dict[str, dt.date | None]:
    """Every stage date column parsed; dates of stages not reached are refused, reached ones must be in order."""
    labels = dict(COLUMNS)
    dates = {}
    for s in STAGE_ORDER:
        label = labels[STAGE_DATE_FIELD[s]]
        dates[STAGE_DATE_FIELD[s]] = _date(cell.get(STAGE_DATE_FIELD[s]), label, errors, row)
    if stage is not None:
        reached = STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]
        for s in STAGE_ORDER[len(reached) :]:
            if dates[STAGE_DATE_FIELD[s]]:
                errors.append(RowError(row, labels[STAGE_DATE_FIELD[s]], _("尚未到达该阶段，不应填写此日期")))
        known = [d for s in reached if (d := dates[STAGE_DATE_FIELD[s]])]
        if known != sorted(known):
            errors.append(RowError(row, "政治面貌", _("各阶段日期先后顺序不正确")))
        if any(d > timezone.localdate() for d in known):
            errors.append(RowError(row, "政治面貌", _("日期不能晚于今天")))
    return dates


def _check_group(scope: _ImportScope, row: int, cell: dict, target: Org | None, errors: list[RowError]) -> Org | None:
    group_name = cell_text(cell.get("group"))
    if not group_name:
        return None
    group = scope.groups.get((target.id if target else None, group_name))
    if group is None:
        errors.append(RowError(row, "党小组", _("党小组“%(g)s”不在该党支部下") % {"g": group_name}))
    return group


def _default_org(org: Org, school: School | None) -> Org | None:
    """Where a row without 所属党组织 belongs: the importing org when it lies within the row's school, otherwise
    the school's own organization, never an org above the school (a county-wide import names many schools)."""
    if school is None:
        return None
    if org.path.startswith(school.org.path) and org.kind != OrgKind.GROUP:
        return org
    return school.org


PERSON_COLUMNS = ("name", "gender", "id_number", "birth_date", "phone", "school", "org", "job", "title")


@transaction.atomic
def _write(*, actor, org: Org, rows: list[dict], existing: dict[str, Person], result: ImportResult) -> None:
    now = timezone.now()
    entries = []
    with unscoped("roster import: bulk write after every row was checked"):
        new_people, changed_people = [], []
        for r in rows:
            person = existing.get(r["id_number"])
            if person is None:
                person = Person(**{k: r[k] for k in PERSON_COLUMNS}, initials=initials_of(r["name"]))
                new_people.append(person)
            else:
                for k in PERSON_COLUMNS:
                    setattr(person, k, r[k])
                person.initials = initials_of(r["name"])
                person.is_active = True
                changed_people.append(person)
            r["person"] = person
        Person.objects.bulk_create(new_people, batch_size=1000)
        Person.objects.bulk_update(changed_people, [*PERSON_COLUMNS, "initials", "is_active"], batch_size=1000)
        by_person = (
            {m.person_id: m for m in Membership.objects.filter(person__in=[p.pk for p in changed_people])}
            if changed_people
            else {}
        )
        new_memberships: list[Membership] = []
        changed_memberships: list[Membership] = []
        dropped = []
        for r in rows:
            person = r["person"]
            current = by_person.get(person.pk)
            if r["stage"] is None:
                if current:
                    dropped.append(current.pk)
                continue
            membership = current or Membership(person=person)
            membership.stage, membership.group = r["stage"], r["group"]
            for name, value in r["dates"].items():
                setattr(membership, name, value)
            (changed_memberships if current else new_memberships).append(membership)
        Membership.objects.bulk_create(new_memberships, batch_size=1000)
        Membership.objects.bulk_update(
            changed_memberships, ["stage", "group", *STAGE_DATE_FIELD.values()], batch_size=1000
        )
        Membership.objects.filter(pk__in=dropped).delete()
    created_ids = {id(p) for p in new_people}
    username = actor.get_username()
    ip = current_ip()
    for r in rows:
        person = r["person"]
        entries.append(
            AuditEntry(
                at=now,
                actor=actor,
                actor_name=username,
                action="import",
                model="orgs.Person",
                object_id=str(person.pk),
                object_repr=person.name,
                org_path=r["org"].path,
                ip=ip,
                changes={"stage": r["stage"] or NON_MEMBER, "created": id(person) in created_ids},
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    result.created, result.updated = len(new_people), len(changed_people)
    audit.record(
        actor=actor,
        action="import",
        obj=org,
        model="orgs.Roster",
        changes={"rows": len(rows), "created": result.created, "updated": result.updated},
    )
