"""House rules that hold for every app, checked over the source so that a new app cannot skip them."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from dangjian.core.scoping import ScopedModel
from dangjian.orgs.models import Org

ROOT = Path(__file__).resolve().parents[1] / "dangjian"
THIN_MODULES = sorted([*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py"), *ROOT.glob("*/api.py")])


@pytest.mark.parametrize("path", THIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_api_never_build_querysets_by_hand(path):
    """Views and API routes reach data only through the scoping layer and selectors, never a model manager."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = [
        f"{path.name}:{node.lineno} .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "all_objects", "_default_manager"}
    ]
    assert offenders == []


def test_every_domain_model_with_an_org_is_scoped():
    """A model that points at an organization belongs to it: it must be a ScopedModel (or say why not)."""

    unscoped_by_design = {"core.LocalRule", "core.AuditEntry"}
    offenders = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("dangjian.") or label in unscoped_by_design:
            continue
        points_at_org = any(getattr(f, "related_model", None) is Org for f in model._meta.concrete_fields)
        if points_at_org and not issubclass(model, ScopedModel):
            offenders.append(label)
    assert offenders == []


def test_every_app_is_in_the_settings():
    on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert {f"dangjian.{name}" for name in on_disk} == {"dangjian.core", *settings.DOMAIN_APPS}


# The kernel's one upward edge (docs/architecture.md): the scoping layer reads the tree and the grants from orgs.
KERNEL_EDGE = {"scoping.py": {"dangjian.orgs.models"}}


def _imported_modules(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_kernel_imports_no_domain_app_but_through_its_one_edge():
    domain = tuple(f"{app}." for app in settings.DOMAIN_APPS) + tuple(settings.DOMAIN_APPS)
    offenders = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        allowed = KERNEL_EDGE.get(path.name, set())
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module.startswith(domain) and module not in allowed:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_a_refusal_becomes_one_message_line_in_one_place():
    """core.actions.error_text is the one way a ValidationError becomes a page message (issue 16)."""
    offenders = [
        f"{path.relative_to(ROOT)}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "actions.py" and ".join(exc.messages)" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
