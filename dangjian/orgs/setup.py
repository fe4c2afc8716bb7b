"""The county set-up import: one Excel sheet of Party organizations and the schools they are responsible for.

Each row is one organization, found by its name path ("某某县教育党工委/实验小学党委/第一党支部"); a row may also
name the school that organization is responsible for. Like the roster import it is all-or-nothing with each bad
row's number and reason in Chinese, and it is idempotent: a row whose organization (and school) already exist
creates nothing, so a rerun of the same file reports that everything is there already.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core import audit
from dangjian.core.actions import error_text
from dangjian.core.scoping import unscoped
from dangjian.core.xlsx import ImportResult, RowError, cell_text, read_rows, style_header, workbook_bytes
from dangjian.orgs import services
from dangjian.orgs.models import Org, OrgKind, School, SchoolStage
from dangjian.orgs.selectors import live_orgs

COLUMNS = [
    ("name", "组织名称"),
    ("kind", "类型"),
    ("parent", "上级组织"),
    ("school", "学校名称"),
    ("stage", "学段"),
    ("township", "乡镇"),
    ("student_count", "学生数"),
    ("staff_count", "教职工数"),
    ("code", "学校代码"),
]
REQUIRED = {"name", "kind", "parent"}
MAX_ROWS = 5_000
SEPARATOR = "/"
KIND_BY_LABEL = {str(k.label): k.value for k in OrgKind} | {k.value: k.value for k in OrgKind}
STAGE_BY_LABEL = {str(s.label): s.value for s in SchoolStage} | {s.value: s.value for s in SchoolStage}
COUNT_COLUMNS = {"student_count": "学生数", "staff_count": "教职工数"}


@dataclass
class SetupResult(ImportResult):
    orgs_created: int = 0
    schools_created: int = 0
    unchanged: int = 0  # rows whose organization and school were there already


def template_xlsx(root_name: str = "某某县教育党工委") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("建制")
    sheet.append([header for _key, header in COLUMNS])
    school_committee = f"{root_name}{SEPARATOR}实验中学党委"
    sheet.append(["实验中学党委", "党委", root_name, "实验中学", "初中", "城关镇", 1800, 120, ""])
    sheet.append(["实验中学第一党支部", "党支部", school_committee, "", "", "", "", "", ""])
    sheet.append(["中心小学党支部", "党支部", root_name, "中心小学", "小学", "城关镇", 900, 60, ""])
    style_header(sheet, (22, 10, 40, 18, 12, 12, 10, 10, 14))
    return workbook_bytes(book)


def name_paths(orgs: list[Org]) -> dict[tuple[str, ...], Org]:
    """Each org by its names from the top of the given orgs down (parents are among `orgs`)."""
    by_id: dict[int | None, Org] = {o.pk: o for o in orgs}
    found: dict[tuple[str, ...], Org] = {}
    for org in sorted(orgs, key=lambda o: o.depth):
        parent = by_id.get(org.parent_id)
        key = (org.name,) if parent is None else (*_path_of(parent, by_id), org.name)
        found[key] = org
    return found


def _path_of(org: Org, by_id: dict[int | None, Org]) -> tuple[str, ...]:
    names = []
    step: Org | None = org
    while step is not None:
        names.append(step.name)
        step = by_id.get(step.parent_id)
    return tuple(reversed(names))


def _split(text: str, root: Org) -> tuple[str, ...]:
    """A parent name path; empty means the root, and the root's own name may be left out in front."""
    parts = tuple(p.strip() for p in text.replace("／", SEPARATOR).split(SEPARATOR) if p.strip())
    return parts if parts[:1] == (root.name,) else (root.name, *parts)


def _count(value, column: str, errors: list[RowError], row: int) -> int:
    text = cell_text(value)
    if not text:
        return 0
    if not text.isdigit():
        errors.append(RowError(row, column, _("应为不小于0的整数，实际为“%(v)s”") % {"v": text}))
        return 0
    return int(text)


def import_xlsx(*, actor, root: Org, upload) -> SetupResult:
    """Check every row; create what is missing, all or nothing. `root` is the top the name paths start at."""
    data = list(read_rows(upload, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS))
    result = SetupResult(rows=len(data))
    existing = name_paths(list(live_orgs(actor, "orgs.manage_schools").filter(path__startswith=root.path)))
    if (root.name,) not in existing:  # the actor manages schools below the root only: nothing to set up here
        raise ValidationError(_("您不能在“%(o)s”进行建制导入。") % {"o": root.name})
    school_names = [cell_text(cell.get("school")) for _row, cell in data if cell_text(cell.get("school"))]
    with unscoped("set-up import: school names are unique across the whole database"):
        schools = {s.name: s for s in School.objects.filter(name__in=school_names).select_related("org")}

    planned: dict[tuple[str, ...], tuple[int, str]] = {}  # name path → (row, kind) of rows that create an org
    first_row: dict[tuple[str, ...], int] = {}
    school_row: dict[str, int] = {}
    parsed = []
    for row, cell in data:
        errors: list[RowError] = []
        name = cell_text(cell.get("name"))
        if not name:
            errors.append(RowError(row, "组织名称", _("组织名称不能为空")))
        elif SEPARATOR in name:
            errors.append(RowError(row, "组织名称", _("组织名称不能含“/”（“/”用于分隔上级组织）")))
        kind_text = cell_text(cell.get("kind"))
        kind = KIND_BY_LABEL.get(kind_text)
        if kind is None:
            errors.append(RowError(row, "类型", _("类型应为：%(v)s") % {"v": "、".join(str(k.label) for k in OrgKind)}))
        parent_names = _split(cell_text(cell.get("parent")), root)
        path = (*parent_names, name)
        if name and path in first_row:
            errors.append(RowError(row, "组织名称", _("与第%(r)d行是同一组织") % {"r": first_row[path]}))
        elif name:
            first_row[path] = row
            current = existing.get(path)
            if current is not None and kind and current.kind != kind:
                errors.append(RowError(row, "类型", _("已有同名组织，类型为%(k)s") % {"k": current.get_kind_display()}))
            elif current is None and kind:
                planned[path] = (row, kind)
        school = _school(cell, row, path, kind, existing, schools, school_row, errors)
        result.errors.extend(errors)
        parsed.append((row, path, kind, school))

    result.errors.extend(_check_parents(parsed, existing, planned))
    result.errors.sort(key=lambda e: e.row)
    if result.errors:
        return result
    _write(actor=actor, root=root, rows=parsed, existing=existing, planned=planned, result=result)
    return result


def _check_parents(
    parsed: list, existing: dict[tuple[str, ...], Org], planned: dict[tuple[str, ...], tuple[int, str]]
) -> list[RowError]:
    """Each org the file creates needs a parent that exists or that the file creates, of a kind it may sit under."""
    errors: list[RowError] = []
    for row, path, kind, _school_fields in parsed:
        if path not in planned:
            continue
        parent_path = path[:-1]
        parent = existing.get(parent_path)
        if parent is None and parent_path in planned:
            parent = Org(kind=planned[parent_path][1], name=parent_path[-1])  # created by an earlier step
        if parent is None:
            errors.append(
                RowError(
                    row,
                    "上级组织",
                    _("上级组织“%(p)s”不存在，也不在本表中") % {"p": SEPARATOR.join(parent_path)},
                )
            )
            continue
        try:
            services.check_nesting(kind=kind, parent=parent)
        except ValidationError as exc:
            errors.append(RowError(row, "类型", error_text(exc)))
    return errors


def _school(cell, row, path, kind, existing, schools, school_row, errors: list[RowError]) -> dict | None:
    """The row's school, checked: None when the row names none or it is there already under this org."""
    name = cell_text(cell.get("school"))
    if not name:
        for key in ("stage", "township", "code", *COUNT_COLUMNS):
            if cell_text(cell.get(key)):
                errors.append(RowError(row, "学校名称", _("填写了学校信息，但没有填学校名称")))
                break
        return None
    if name in school_row:
        errors.append(RowError(row, "学校名称", _("与第%(r)d行学校重复") % {"r": school_row[name]}))
        return None
    school_row[name] = row
    if kind and kind not in services.tree_rules()["school_orgs"]:
        errors.append(RowError(row, "学校名称", _("学校应由党委、党总支或党支部负责，党小组不能负责学校")))
    known = schools.get(name)
    if known is not None:
        if existing.get(path) is None or known.org_id != existing[path].pk:
            errors.append(
                RowError(row, "学校名称", _("学校“%(s)s”已存在，由“%(o)s”负责") % {"s": name, "o": known.org.name})
            )
        return None
    stage = STAGE_BY_LABEL.get(cell_text(cell.get("stage")))
    if stage is None:
        errors.append(RowError(row, "学段", _("学段应为：%(v)s") % {"v": "、".join(str(s.label) for s in SchoolStage)}))
    counts = {key: _count(cell.get(key), label, errors, row) for key, label in COUNT_COLUMNS.items()}
    township, code = cell_text(cell.get("township")), cell_text(cell.get("code"))
    if len(township) > 50:
        errors.append(RowError(row, "乡镇", _("乡镇名称过长")))
    if len(code) > 20:
        errors.append(RowError(row, "学校代码", _("学校代码不超过20个字符")))
    return {"name": name, "stage": stage, "township": township, "code": code, **counts}


@transaction.atomic
def _write(*, actor, root: Org, rows, existing, planned, result: SetupResult) -> None:
    orgs = dict(existing)
    for path in sorted(planned, key=len):  # parents before their children
        _row, kind = planned[path]
        orgs[path] = services.create_org(actor=actor, kind=kind, name=path[-1], parent=orgs[path[:-1]])
        result.orgs_created += 1
    for _row, path, _kind, school in rows:
        if school is not None:
            services.create_school(actor=actor, org=orgs[path], **school)
            result.schools_created += 1
        elif path not in planned:
            result.unchanged += 1
    result.created = result.orgs_created + result.schools_created
    audit.record(
        actor=actor,
        action="import",
        obj=root,
        model="orgs.Setup",
        changes={"rows": result.rows, "orgs": result.orgs_created, "schools": result.schools_created},
    )
