"""Writes for the organization tree: one keyword-only function per use case, each in a transaction,
validated, and written to the audit log."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from dangjian.core import accounts, audit, capabilities, rules, scoping
from dangjian.core.models import LocalRule
from dangjian.core.scoping import forget_grants, unscoped
from dangjian.orgs import idnumber
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    Grant,
    LeaveReason,
    Membership,
    Org,
    OrgKind,
    Person,
    Position,
    PostKind,
    School,
    Stage,
)

PERSON_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "school_id",
    "org_id",
    "job",
    "title",
    "is_active",
]
MEMBERSHIP_FIELDS = ["stage", *STAGE_DATE_FIELD.values(), "group_id"]


@functools.lru_cache(maxsize=65536)  # names repeat: the generator and large imports ask for the same ones
def initials_of(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()[:20]


def set_path(org: Org) -> None:
    org.path = f"{org.parent.path}{org.pk}." if org.parent is not None else f"{org.pk}."
    org.depth = org.path.count(".") - 1


# --- the tree -----------------------------------------------------------------------------------

# Branches and groups are a school's own business; schools and their 党委/党总支 are the county's.
TREE_CAPABILITY: dict[str, str] = {
    OrgKind.COMMITTEE: "orgs.manage_schools",
    OrgKind.GENERAL_BRANCH: "orgs.manage_schools",
    OrgKind.BRANCH: "orgs.manage_tree",
    OrgKind.GROUP: "orgs.manage_tree",
}


def tree_rules(on: dt.date | None = None) -> dict[str, Any]:
    """The allowed nesting (orgs/rules/tree.yaml) in force on the day."""
    return rules.rule_values("orgs", "tree", on=on)


def kinds_under(parent: Org) -> list[str]:
    """The kinds of organization that may be set up under `parent`."""
    return [kind for kind, parents in tree_rules()["parents"].items() if parent.kind in parents]


def check_nesting(*, kind: str | None, parent: Org | None) -> None:
    r = tree_rules()
    if kind is None or kind not in r["parents"]:
        raise ValidationError(_("未知的组织类型：%(kind)s") % {"kind": kind})
    if parent is None:
        if kind not in r["root"]:
            raise ValidationError(_("只有党委可以作为最上级组织。"))
        return
    if parent.dissolved_on:
        raise ValidationError(_("上级组织“%(p)s”已撤销。") % {"p": parent.name})
    if parent.kind not in r["parents"][kind]:
        raise ValidationError(
            _("%(kind)s只能设在%(allowed)s下，不能设在%(parent)s下。")
            % {
                "kind": OrgKind(kind).label,
                "allowed": "、".join(str(OrgKind(k).label) for k in r["parents"][kind]),
                "parent": parent.get_kind_display(),
            }
        )


def _require_tree(actor, kind: str, path: str) -> None:
    """Actor None is trusted code (bootstrap, the generator); anyone else needs the kind's capability there."""
    if actor is not None and not scoping.has_capability(actor, TREE_CAPABILITY[kind], path):
        raise PermissionDenied(_("您不能在此调整%(kind)s。") % {"kind": OrgKind(kind).label})


def _check_sibling_name(*, name: str, parent: Org | None, exclude: Org | None = None) -> None:
    """Names are unique among the live children of one parent: the set-up import finds orgs by name path."""
    with unscoped("orgs: sibling name check"):
        siblings = Org.objects.filter(parent=parent, name=name, dissolved_on__isnull=True)
        if exclude is not None:
            siblings = siblings.exclude(pk=exclude.pk)
        if siblings.exists():
            raise ValidationError(_("上级组织下已有名为“%(n)s”的组织。") % {"n": name})


@transaction.atomic
def create_org(*, actor, kind: str, name: str, parent: Org | None, **fields: Any) -> Org:
    name = name.strip()
    check_nesting(kind=kind, parent=parent)
    if parent is None and actor is not None:
        raise ValidationError(_("请选择上级组织。"))
    if parent is not None:
        _require_tree(actor, kind, parent.path)
    _check_sibling_name(name=name, parent=parent)
    with unscoped("orgs.create_org"):
        org = Org(kind=kind, name=name, parent=parent, **fields)
        org.full_clean(exclude=["path"])
        org.save()
        set_path(org)
        org.save(update_fields=["path", "depth"])
    audit.record(actor=actor, action="create", obj=org, changes={"name": [None, name], "kind": [None, kind]})
    return org


@transaction.atomic
def rename_org(*, actor, org: Org, name: str) -> Org:
    name = name.strip()
    _require_tree(actor, org.kind, org.path)
    if name == org.name:
        return org
    _check_sibling_name(name=name, parent=org.parent, exclude=org)
    before = org.name
    org.name = name
    with unscoped("orgs.rename_org"):
        org.full_clean(exclude=["path"])
        org.save(update_fields=["name"])
    audit.record(actor=actor, action="update", obj=org, changes={"name": [before, name]})
    return org


@transaction.atomic
def move_org(*, actor, org: Org, parent: Org) -> Org:
    """Re-parent an org: its own and every descendant's path and depth are rewritten in two statements."""
    if org.parent_id is None:
        raise ValidationError(_("最上级组织不能调整隶属关系。"))
    if parent.path.startswith(org.path):
        raise ValidationError(_("不能把组织调整到它自己或它的下级组织之下。"))
    if org.dissolved_on:
        raise ValidationError(_("已撤销的组织不能调整。"))
    check_nesting(kind=org.kind, parent=parent)
    _require_tree(actor, org.kind, org.path)
    _require_tree(actor, org.kind, parent.path)
    if parent.pk == org.parent_id:
        return org
    _check_sibling_name(name=org.name, parent=parent, exclude=org)
    old_path, new_path = org.path, f"{parent.path}{org.pk}."
    rest = Substr("path", len(old_path) + 1)
    with unscoped("orgs.move_org"):
        before = Org.all_objects.get(pk=org.parent_id).name
        Org.all_objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), rest, output_field=CharField()),
            depth=F("depth") + (new_path.count(".") - old_path.count(".")),
        )
        Org.all_objects.filter(pk=org.pk).update(parent=parent)
        # County overrides of rule values are kept by org path: they follow the org they were made for.
        moved_rules = set(LocalRule.objects.filter(org_path__startswith=old_path).values_list("rule", flat=True))
        LocalRule.objects.filter(org_path__startswith=old_path).update(
            org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1), output_field=CharField())
        )
    for rule in moved_rules:
        rules.forget_overrides(rule)
    org.refresh_from_db()
    audit.record(actor=actor, action="move", obj=org, changes={"parent": [before, parent.name]})
    return org


@transaction.atomic
def edit_org(*, actor, org: Org, name: str | None = None, parent: Org | None = None) -> Org:
    """Rename and/or move in one transaction: either both hold or neither."""
    if parent is not None:
        org = move_org(actor=actor, org=org, parent=parent)
    if name is not None:
        org = rename_org(actor=actor, org=org, name=name)
    return org


@transaction.atomic
def dissolve_org(*, actor, org: Org, on: dt.date | None = None) -> Org:
    """Mark an org dissolved from `on`. It keeps its records; its current posts end that day.

    Its people, schools and live sub-organizations must have gone elsewhere first: nothing is left hanging
    under an org that no longer exists."""
    on = on or timezone.localdate()
    _require_tree(actor, org.kind, org.path)
    if org.parent_id is None:
        raise ValidationError(_("最上级组织不能撤销。"))
    if org.dissolved_on:
        raise ValidationError(_("该组织已于%(d)s撤销。") % {"d": org.dissolved_on.isoformat()})
    if on > timezone.localdate():
        raise ValidationError(_("撤销日期不能晚于今天。"))
    if org.founded_on and on < org.founded_on:
        raise ValidationError(_("撤销日期不能早于成立日期。"))
    with unscoped("orgs.dissolve_org: what is still attached"):
        children = Org.objects.filter(parent=org, dissolved_on__isnull=True).count()
        people = Person.objects.filter(org=org, is_active=True).count()
        schools = list(School.objects.filter(org=org).values_list("name", flat=True)[:3])
        positions = list(Position.objects.filter(org=org, ended_on__isnull=True))
    if children:
        raise ValidationError(_("该组织下还有%(n)d个下级组织，请先撤销或调整。") % {"n": children})
    if people:
        raise ValidationError(_("该组织还有%(n)d名在职人员，请先将他们调整到其他组织。") % {"n": people})
    if schools:
        raise ValidationError(_("请先将学校“%(s)s”改由其他党组织负责。") % {"s": "、".join(schools)})
    for position in positions:
        end_position(actor=actor, position=position, ended_on=max(on, position.started_on))
    org.dissolved_on, org.is_active = on, False
    with unscoped("orgs.dissolve_org"):
        org.save(update_fields=["dissolved_on", "is_active"])
    audit.record(actor=actor, action="dissolve", obj=org, changes={"dissolved_on": [None, on.isoformat()]})
    return org


SCHOOL_FIELDS = ["name", "code", "stage", "township", "student_count", "staff_count", "org_id"]


@transaction.atomic
def create_school(*, actor, org: Org, name: str, stage: str, **fields: Any) -> School:
    """A school under the Party organization responsible for it (a county decision)."""
    if org.parent_id is None or org.kind not in tree_rules()["school_orgs"]:
        raise ValidationError(_("学校应由本校的党委、党总支或党支部负责，不能直接设在%(o)s下。") % {"o": org.name})
    if org.dissolved_on:
        raise ValidationError(_("党组织“%(o)s”已撤销。") % {"o": org.name})
    if actor is not None:
        scoping.require(actor, "orgs.manage_schools", org)
    school = School(org=org, name=name.strip(), stage=stage, **fields)
    with unscoped("orgs.create_school"):
        school.full_clean()
        school.save()
    audit.record(
        actor=actor, action="create", obj=school, changes=audit.diff({}, audit.snapshot(school, SCHOOL_FIELDS))
    )
    return school


@transaction.atomic
def create_school_with_branch(
    *, actor, parent: Org, name: str, stage: str, branch_name: str = "", **fields: Any
) -> tuple[School, Org]:
    """The common case in one step: a new school and its single 党支部 under `parent`."""
    branch = create_org(
        actor=actor, kind=OrgKind.BRANCH, name=branch_name.strip() or f"{name.strip()}党支部", parent=parent
    )
    return create_school(actor=actor, org=branch, name=name, stage=stage, **fields), branch


def _validate_person(person: Person) -> None:
    person.id_number = idnumber.normalize(person.id_number)
    person.initials = initials_of(person.name)
    with unscoped("orgs.person validation"):
        person.full_clean()
    if person.org.kind == OrgKind.GROUP:
        raise ValidationError(_("人员只能属于党支部、党总支或党委，不能直接属于党小组。"))


@transaction.atomic
def create_person(*, actor, **fields: Any) -> Person:
    person = Person(**fields)
    if not idnumber.problem(person.id_number):
        person.birth_date = person.birth_date or idnumber.birth_date(person.id_number)
        person.gender = person.gender or idnumber.gender(person.id_number)
    _validate_person(person)
    with unscoped("orgs.create_person"):
        person.save()
    audit.record(
        actor=actor,
        action="create",
        obj=person,
        changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS), masked=Person.PII_FIELDS),
    )
    return person


@transaction.atomic
def update_person(*, actor, person: Person, **fields: Any) -> Person:
    """Edit a person. A new org or school is a transfer (posts and grants at the old place end)."""
    org, school = fields.pop("org", person.org), fields.pop("school", person.school)
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person)
    with unscoped("orgs.update_person"):
        person.save()
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS), masked=Person.PII_FIELDS)
    if changes:
        audit.record(actor=actor, action="update", obj=person, changes=changes)
    if org != person.org or school != person.school:
        transfer(actor=actor, person=person, org=org, school=school)
    return person


def _check_stage_dates(membership: Membership) -> None:
    reached = STAGE_ORDER[: STAGE_ORDER.index(Stage(membership.stage)) + 1]
    previous: dt.date | None = None
    for stage in reached:
        day = getattr(membership, STAGE_DATE_FIELD[stage])
        if day and previous and day < previous:
            raise ValidationError(_("%(stage)s的日期早于上一阶段的日期。") % {"stage": Stage(stage).label})
        previous = day or previous
    for stage in STAGE_ORDER[len(reached) :]:
        if getattr(membership, STAGE_DATE_FIELD[stage]):
            raise ValidationError(_("尚未到达“%(stage)s”阶段，不能填写该阶段日期。") % {"stage": Stage(stage).label})


@transaction.atomic
def set_membership(
    *, actor, person: Person, stage: str | None, group: Org | None = None, **dates: dt.date | None
) -> Membership | None:
    """Record where a person stands; stage None removes the record (a non-member)."""
    with unscoped("orgs.set_membership"):
        current = Membership.all_objects.filter(person=person).first()
        if stage is None:
            if current:
                before = audit.snapshot(current, MEMBERSHIP_FIELDS)
                current.delete()
                audit.record(
                    actor=actor, action="delete", obj=person, model="orgs.Membership", changes=audit.diff(before, {})
                )
            return None
        membership = current or Membership(person=person)
        before = audit.snapshot(membership, MEMBERSHIP_FIELDS) if current else {}
        membership.stage = stage
        membership.group = group
        for name, value in dates.items():
            if name not in STAGE_DATE_FIELD.values():
                raise TypeError(name)
            setattr(membership, name, value)
        if group is not None and group.parent_id != person.org_id:
            raise ValidationError(_("党小组必须属于该党员所在的党支部。"))
        _check_stage_dates(membership)
        membership.full_clean()
        membership.save()
    changes = audit.diff(before, audit.snapshot(membership, MEMBERSHIP_FIELDS))
    if changes:
        audit.record(actor=actor, action="update" if current else "create", obj=membership, changes=changes)
    return membership


@transaction.atomic
def appoint(*, actor, org: Org, person: Person, post: str, started_on: dt.date | None = None) -> Position:
    if not person.org.path.startswith(org.path):
        raise ValidationError(_("只能任命本组织的人员。"))
    with unscoped("orgs.appoint"):
        if post == "secretary":
            for old in Position.all_objects.filter(org=org, post=post, ended_on__isnull=True):
                end_position(actor=actor, position=old, ended_on=started_on or timezone.localdate())
        position = Position(org=org, person=person, post=post, started_on=started_on or timezone.localdate())
        position.full_clean()
        position.save()
    audit.record(
        actor=actor, action="appoint", obj=position, changes={"post": [None, post], "person": [None, person.name]}
    )
    return position


@transaction.atomic
def end_position(*, actor, position: Position, ended_on: dt.date | None = None) -> Position:
    position.ended_on = ended_on or timezone.localdate()
    with unscoped("orgs.end_position"):
        position.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="end", obj=position, changes={"ended_on": [None, str(position.ended_on)]})
    return position


def grantable_roles(actor, org: Org) -> list[str]:
    """Roles the actor may grant at `org`: those whose `grantable_by` names a role the actor holds over it."""
    held = {role for path, role in scoping.grants(actor) if org.path.startswith(path)}
    return [role for role, spec in capabilities.role_table().items() if held & set(spec.get("grantable_by", []))]


@transaction.atomic
def grant_role(*, actor, user, org: Org, role: str, expires_on: dt.date | None = None) -> Grant:
    if role not in capabilities.role_table():
        raise ValidationError(_("未知角色：%(role)s") % {"role": role})
    if actor is not None and role not in grantable_roles(actor, org):
        raise PermissionDenied(_("您不能在该组织授予“%(role)s”角色。") % {"role": capabilities.role_label(role)})
    with unscoped("orgs.grant_role: duplicate check"):
        if Grant.live_for(user).filter(org=org, role=role).exists():
            raise ValidationError(_("该账号在此组织已有这一角色。"))
    with unscoped("orgs.grant_role"):
        grant = Grant.all_objects.create(user=user, org=org, role=role, expires_on=expires_on)
    forget_grants(user)
    audit.record(
        actor=actor, action="grant", obj=grant, changes={"role": [None, role], "user": [None, user.get_username()]}
    )
    return grant


@transaction.atomic
def revoke_grant(*, actor, grant: Grant) -> Grant:
    if actor is not None and grant.role not in grantable_roles(actor, grant.org):
        raise PermissionDenied(_("您不能撤销“%(role)s”角色。") % {"role": capabilities.role_label(grant.role)})
    grant.revoked_at = timezone.now()
    with unscoped("orgs.revoke_grant"):
        grant.save(update_fields=["revoked_at"])
    forget_grants(grant.user)
    audit.record(actor=actor, action="revoke", obj=grant, changes={"role": [grant.role, None]})
    return grant


@transaction.atomic
def create_account(*, actor, person: Person, username: str) -> tuple[Any, str]:
    """A login for a person, with a one-time password shown once to the person opening it; the owner must
    change it at the first login (core.accounts)."""
    User = get_user_model()
    username = username.strip()
    if person.user_id:
        raise ValidationError(_("该人员已开通账号。"))
    if not person.is_active:
        raise ValidationError(_("该人员已离开，不能开通账号。"))
    if not username or User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(u)s”不可用，请换一个。") % {"u": username})
    password = accounts.one_time_password()
    user = User(username=username, first_name=person.name, must_change_password=True)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    person.user = user
    with unscoped("orgs.create_account"):
        person.save(update_fields=["user"])
    audit.record(actor=actor, action="create", obj=person, model="core.User", changes={"username": [None, username]})
    return user, password


def free_username(name: str) -> str:
    """The name in pinyin (张三 → zhangsan), with a number added when taken (zhangsan2, zhangsan3…)."""
    base = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name)).lower())[:140] or "user"
    taken = set(get_user_model().objects.filter(username__regex=rf"^{base}[0-9]*$").values_list("username", flat=True))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


@transaction.atomic
def grant_to_person(
    *, actor, person: Person, org: Org, role: str, expires_on: dt.date | None = None
) -> tuple[Grant, str | None]:
    """Grant a role to a person at their org or one above it, opening a login first if they have none.
    Returns the grant and, for a new login, its one-time password (to be shown once)."""
    if not person.is_active:
        raise ValidationError(_("该人员已离开，不能授权。"))
    if org.path not in person.org.ancestor_paths():
        raise ValidationError(_("只能在该人员所属组织或其上级组织授权。"))
    password = None
    if person.user_id is None:
        _user, password = create_account(actor=actor, person=person, username=free_username(person.name))
    grant = grant_role(actor=actor, user=person.user, org=org, role=role, expires_on=expires_on)
    return grant, password


def _require_outranks(actor, person: Person) -> None:
    """Resetting, deactivating or moving an account is for those who could have granted all it holds: else a
    branch secretary could reset the password of a county administrator who belongs to the branch."""
    if actor is None or person.user_id is None:
        return
    with unscoped("orgs: the roles the account holds"):
        held = list(Grant.live_for(person.user).select_related("org"))
    for grant in held:
        if grant.role not in grantable_roles(actor, grant.org):
            raise PermissionDenied(
                _("该账号持有您不能授予的角色（%(role)s），请由上级管理员办理。")
                % {"role": capabilities.role_label(grant.role)}
            )


@transaction.atomic
def reset_password(*, actor, person: Person) -> str:
    """A new one-time password for a person's login, set by an administrator over the person's org."""
    scoping.require(actor, "orgs.manage_grants", person)
    _require_outranks(actor, person)
    if person.user is None:
        raise ValidationError(_("该人员尚未开通账号。"))
    if not person.is_active:
        raise ValidationError(_("该人员已离开，请先恢复。"))
    return accounts.reset_password(actor=actor, user=person.user)


def _revoke_live_grants(user, keep: Any = None) -> list[str]:
    """Revoke the user's live grants (all, or all but those `keep(grant)` says stay); returns what went."""
    now = timezone.now()
    with unscoped("orgs: revoking a person's grants"):
        live = list(Grant.live_for(user).select_related("org"))
        gone = [g for g in live if keep is None or not keep(g)]
        Grant.all_objects.filter(pk__in=[g.pk for g in gone]).update(revoked_at=now)
    forget_grants(user)
    return [f"{g.role}@{g.org.name}" for g in gone]


def _end_positions(person: Person, on: dt.date, keep: Any = None) -> list[str]:
    with unscoped("orgs: ending a person's posts"):
        current = list(Position.all_objects.filter(person=person, ended_on__isnull=True).select_related("org"))
        gone = [p for p in current if keep is None or not keep(p)]
        for position in gone:
            position.ended_on = max(on, position.started_on)
        Position.all_objects.bulk_update(gone, ["ended_on"])
    return [f"{p.get_post_display()}@{p.org.name}" for p in gone]


@transaction.atomic
def mark_left(*, actor, person: Person, on: dt.date, reason: str) -> Person:
    """调离、退休、离职、去世: the person stays with all their records, marked as left; at once their login is
    deactivated, every grant and API token revoked and their posts ended. One audit entry."""
    if reason not in LeaveReason.values:
        raise ValidationError(
            _("离开原因只能是：%(choices)s。") % {"choices": "、".join(str(label) for label in LeaveReason.labels)}
        )
    if not person.is_active:
        raise ValidationError(_("该人员已标记为离开。"))
    if on > timezone.localdate():
        raise ValidationError(_("离开日期不能晚于今天。"))
    _require_outranks(actor, person)
    person.is_active, person.left_on, person.left_reason = False, on, reason
    with unscoped("orgs.mark_left"):
        person.save(update_fields=["is_active", "left_on", "left_reason"])
    changes: dict[str, list] = {
        "is_active": [True, False],
        "left_on": [None, str(on)],
        "left_reason": [None, reason],
        "positions_ended": [None, _end_positions(person, on)],
    }
    if person.user is not None:
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        changes["grants_revoked"] = [None, _revoke_live_grants(user)]
        changes["tokens_revoked"] = [None, accounts.revoke_tokens(user)]
    audit.record(actor=actor, action="leave", obj=person, changes=changes)
    return person


@transaction.atomic
def reactivate(*, actor, person: Person) -> Person:
    """Undo a leave: the person is active again and the login enabled. Grants are not restored: whoever
    grants roles decides again."""
    if person.is_active:
        raise ValidationError(_("该人员在职，无需恢复。"))
    before = audit.snapshot(person, ["is_active", "left_on", "left_reason"])
    person.is_active, person.left_on, person.left_reason = True, None, ""
    with unscoped("orgs.reactivate"):
        person.save(update_fields=["is_active", "left_on", "left_reason"])
    changes = audit.diff(before, audit.snapshot(person, ["is_active", "left_on", "left_reason"]))
    if person.user is not None:
        person.user.is_active = True
        person.user.save(update_fields=["is_active"])
        changes["login"] = [False, True]
    audit.record(actor=actor, action="reactivate", obj=person, changes=changes)
    return person


@transaction.atomic
def transfer(*, actor, person: Person, org: Org, school=None, on: dt.date | None = None) -> Person:
    """Move a person to another unit (and school) of the county, keeping the person and their history.
    Posts and grants at orgs that do not cover the new unit end; county-wide ones (above both) stay."""
    if not person.is_active:
        raise ValidationError(_("该人员已离开，请先恢复。"))
    if org.pk == person.org_id and (school.pk if school else None) == person.school_id:
        raise ValidationError(_("调入单位与原单位相同。"))
    scoping.require(actor, "orgs.manage", person)
    scoping.require(actor, "orgs.manage", org)
    _require_outranks(actor, person)
    return move_agreed(actor=actor, person=person, org=org, school=school, on=on)


@transaction.atomic
def move_agreed(*, actor, person: Person, org: Org, school=None, on: dt.date | None = None) -> Person:
    """The move itself, for a transfer both sides agreed to elsewhere (membership: the sending branch asked, the
    receiving branch accepted; each side's right was checked by that app). Same effects as `transfer`."""
    if not person.is_active:
        raise ValidationError(_("该人员已离开，请先恢复。"))
    if org.pk == person.org_id and (school.pk if school else None) == person.school_id:
        raise ValidationError(_("调入单位与原单位相同。"))
    on = on or timezone.localdate()
    old_org, old_school = person.org, person.school
    person.org, person.school = org, school
    _validate_person(person)
    with unscoped("orgs.transfer"):
        person.save(update_fields=["org", "school"])
        membership = Membership.all_objects.filter(person=person, group__isnull=False).first()
        if membership is not None and membership.group is not None and membership.group.parent_id != org.pk:
            membership.group = None  # a 党小组 belongs to its branch: the new branch assigns one
            membership.save(update_fields=["group"])
    covers_new = org.ancestor_paths()
    changes: dict[str, list] = {
        "org": [old_org.name, org.name],
        "school": [str(old_school or ""), str(school or "")],
        "positions_ended": [None, _end_positions(person, on, keep=lambda p: p.org.path in covers_new)],
    }
    if person.user is not None:
        changes["grants_revoked"] = [
            None,
            _revoke_live_grants(person.user, keep=lambda g: g.org.path in covers_new),
        ]
    audit.record(actor=actor, action="transfer", obj=person, changes=changes)
    return person


@transaction.atomic
def renew_committee(*, actor, org: Org, posts: list[tuple[Person, str]], on: dt.date) -> list[Position]:
    """A new committee from an election record (membership): the current committee posts end, the elected take
    theirs, and the org's term starts on the election day."""
    if any(post not in [p.value for p in COMMITTEE_POSTS] for _person, post in posts):
        raise ValidationError(_("职务不正确。"))
    if sum(1 for _person, post in posts if post == PostKind.SECRETARY) > 1:
        raise ValidationError(_("每个组织只有一名书记。"))
    with unscoped("orgs.renew_committee"):
        current = list(Position.all_objects.filter(org=org, ended_on__isnull=True, post__in=COMMITTEE_POSTS))
        for position in current:
            position.ended_on = max(on, position.started_on)
        Position.all_objects.bulk_update(current, ["ended_on"])
        created = [Position(org=org, person=person, post=post, started_on=on) for person, post in posts]
        for position in created:
            position.full_clean()
        Position.all_objects.bulk_create(created)
        before = org.term_started_on
        org.term_started_on = on
        org.save(update_fields=["term_started_on"])
    audit.record(
        actor=actor,
        action="renew_committee",
        obj=org,
        changes={
            "term_started_on": [str(before) if before else None, str(on)],
            "committee": [[str(p) for p in current], [f"{post}:{person.name}" for person, post in posts]],
        },
    )
    return created


def reveal_pii(*, actor, person: Person) -> dict[str, str]:
    """The unmasked ID number and phone. Every reveal is written to the audit log."""
    audit.record(actor=actor, action="reveal", obj=person, changes={"fields": ["id_number", "phone"]})
    return {"id_number": person.id_number, "phone": person.phone}
