"""The scoping layer: the only way a view, an API route, an export or a job gets a queryset a user reaches.

Every organization sits in one tree, addressed by a materialized path ("1.5.23."). A grant gives a role at
one node and reaches that node's subtree; a role carries capabilities (rule data, see core.capabilities).
`scoped(user, Model, capability)` returns the rows whose owning org lies under a grant that carries the
capability. Models opt in by subclassing `ScopedModel`, which says where their org path is.

The safety net: `Model.objects` on a scoped model raises `ScopeError` unless it is called from inside this
layer or inside an explicit `unscoped("why")` block (services writing, jobs, the generator, migrations).
So a view that forgets the layer fails loudly in the first test that reaches it, instead of leaking data.
Related managers and forward relations use `all_objects`: reaching from an object you may see to its own
parts is allowed.

Missing and foreign objects answer 404 alike; a visible object without the needed capability answers 403.
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.core import capabilities

if TYPE_CHECKING:
    from dangjian.orgs.models import Org

_context: ContextVar[str | None] = ContextVar("dangjian_scope_context", default=None)


class ScopeError(RuntimeError):
    """A scoped model was queried outside the scoping layer."""


@contextlib.contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """Lift the safety net for trusted code (services, jobs, generator). Say why: it shows in tracebacks."""
    token = _context.set(f"unscoped: {reason}")
    try:
        yield
    finally:
        _context.reset(token)


@contextlib.contextmanager
def _layer() -> Iterator[None]:
    token = _context.set("layer")
    try:
        yield
    finally:
        _context.reset(token)


class ScopedManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        if _context.get() is None:
            raise ScopeError(
                f"{self.model._meta.label}.objects used outside the scoping layer: "
                "use core.scoping.scoped()/get_for_user(), or unscoped('reason') in trusted code"
            )
        return super().get_queryset()


class ScopedModel(models.Model):
    """Base for every model whose rows belong to an org.

    SCOPE_PATH: lookup from this model to the owning org's `path` ("org__path").
    SCOPE_SELF: lookup to a user FK whose rows a user always sees as their own ("user"), a tuple of such lookups
    (the rows are theirs through any of them), or None.
    CAPABILITIES: the capability needed to view and to change rows.
    """

    all_objects = models.Manager()  # declared first: Django's default manager (relations, validation)
    objects = ScopedManager()

    SCOPE_PATH: ClassVar[str] = "org__path"
    SCOPE_SELF: ClassVar[str | tuple[str, ...] | None] = None
    CAPABILITIES: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def scope_path(self) -> str:
        value: Any = self
        for part in self.SCOPE_PATH.split("__"):
            value = getattr(value, part)
            if value is None:
                return ""
        return value


# --- grants -----------------------------------------------------------------------------------


def _grants(user) -> list[tuple[str, str]]:
    """(org path, role) for each live grant of the user; loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dangjian_grants", None)
    if cached is None:
        from dangjian.orgs.models import Grant  # cycle: orgs.models builds on this module's ScopedModel

        cached = list(Grant.live_for(user).values_list("org__path", "role"))
        user._dangjian_grants = cached
    return cached


def grants(user) -> list[tuple[str, str]]:
    """(org path, role) of the user's live grants."""
    return list(_grants(user))


def forget_grants(user) -> None:
    """Call after changing a user's grants within the same request or test."""
    user.__dict__.pop("_dangjian_grants", None)
    user.__dict__.pop("_dangjian_subtrees", None)
    user.__dict__.pop("_dangjian_prefixes", None)


def prefixes(user, capability: str) -> list[str]:
    """The minimal set of subtree roots where the user holds `capability`; worked out once per user object and
    capability (a page with its navigation asks some seventy times)."""
    if not getattr(user, "is_authenticated", False):
        return []
    held = _grants(user)
    # Kept with the grants it was worked out from: grants loaded again (forget_grants) start a new memo.
    source, memo = user.__dict__.get("_dangjian_prefixes", (None, None))
    if source is not held:
        memo = {}
        user.__dict__["_dangjian_prefixes"] = (held, memo)
    if capability not in memo:
        memo[capability] = _minimal_roots(held, capability)
    return list(memo[capability])


def _minimal_roots(held: list[tuple[str, str]], capability: str) -> list[str]:
    roles = capabilities.roles_with(capability)
    paths = sorted({path for path, role in held if role in roles})
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(root) for root in minimal):
            minimal.append(path)
    return minimal


def has_capability(user, capability: str, at: str | None = None) -> bool:
    """Whether the user holds `capability` anywhere (at=None) or over the org path `at`."""
    roots = prefixes(user, capability)
    if at is None:
        return bool(roots)
    return any(at.startswith(root) for root in roots)


def roles(user) -> set[str]:
    return {role for _path, role in _grants(user)}


# --- querysets --------------------------------------------------------------------------------


def path_q(lookup: str, roots: list[str]) -> Q:
    return functools.reduce(operator.or_, (Q(**{f"{lookup}__startswith": root}) for root in roots))


def _subtree_org_ids(user, roots: list[str]) -> list[int]:
    """Ids of the orgs under `roots`, looked up once per user object and set of roots (one small query)."""
    cache = user.__dict__.setdefault("_dangjian_subtrees", {}) if getattr(user, "is_authenticated", False) else {}
    key = tuple(roots)
    if key not in cache:
        from dangjian.orgs.models import Org  # cycle: orgs.models builds on this module's ScopedModel

        cache[key] = list(Org.all_objects.filter(path_q("path", roots)).values_list("id", flat=True))
    return cache[key]


def _subtree_q(user, scope_path: str, roots: list[str]) -> Q:
    """Rows whose org lies under one of `roots`. For a model that reaches its org through a foreign key, the
    condition is on the foreign key with the subtree's org ids as literals: the database then uses the
    foreign-key index and can combine it with the own-rows condition (an OR against a LIKE on the joined org
    table, or against a subquery, makes PostgreSQL scan every row of a large table)."""
    if scope_path == "path":
        return path_q("path", roots)
    return Q(**{f"{scope_path.removesuffix('__path')}_id__in": _subtree_org_ids(user, roots)})


def scoped(
    user, model: type[ScopedModel], capability: str | None = None, *, own: bool = True, extra: Q | None = None
) -> models.QuerySet:
    """The rows of `model` the user reaches with `capability` (default: the model's view capability).

    With own=True, rows tied to the user themselves (SCOPE_SELF) are included too. `extra` adds rows reached
    another way the caller has itself derived from scoped querysets (e.g. a student seen through one's own
    pairing)."""
    capability = capability or model.CAPABILITIES["view"]
    roots = prefixes(user, capability)
    with _layer():
        qs = model.objects.all()
    condition = _subtree_q(user, model.SCOPE_PATH, roots) if roots else None
    if own and model.SCOPE_SELF and getattr(user, "is_authenticated", False):
        lookups = (model.SCOPE_SELF,) if isinstance(model.SCOPE_SELF, str) else model.SCOPE_SELF
        mine = functools.reduce(operator.or_, (Q(**{lookup: user}) for lookup in lookups))
        condition = mine if condition is None else condition | mine
    if extra is not None and getattr(user, "is_authenticated", False):
        condition = extra if condition is None else condition | extra
    return qs.filter(condition) if condition is not None else qs.none()


def unscoped_queryset(model: type[ScopedModel], reason: str) -> models.QuerySet:
    """A full queryset for trusted code that runs with no user (jobs, the generator, public aggregates)."""
    with unscoped(reason):
        return model.objects.all()


def get_for_user(
    user,
    model: type[ScopedModel],
    pk: Any,
    *,
    write: bool = False,
    capability: str | None = None,
    queryset: models.QuerySet | None = None,
) -> Any:
    """Fetch and authorize in one step. Missing or out of scope: 404. Visible but not writable: 403."""
    qs = queryset if queryset is not None else scoped(user, model)
    try:
        obj = qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("没有找到，或您无权查看。")) from exc
    if write:
        require(user, capability or model.CAPABILITIES["change"], obj.scope_path())
    return obj


def home_org(user) -> Org | None:
    """The org a user starts from: the top of their first grant that shows organizations."""
    from dangjian.orgs.models import Org  # cycle: orgs.models builds on this module's ScopedModel

    roots = prefixes(user, "orgs.view")
    return scoped(user, Org).filter(path=roots[0]).first() if roots else None


def require(user, capability: str, at: str | Org | ScopedModel) -> None:
    """403 unless the user holds `capability` over the given org path, org or scoped object."""
    path = at if isinstance(at, str) else at.scope_path()
    if not has_capability(user, capability, path):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
