"""The route registry behind tests/test_routes.py.

Every named URL and every API operation must have a sample here (each app keeps its own samples in
`tests/<app>/routes.py`, a function `routes(world) -> list[Route]`). The walker then requests each sample
three ways: logged out, as an outsider from school B, and as a read-only member of school A.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

import tests


@dataclass
class Route:
    name: str  # URL name ("orgs:detail") or API operation ("GET /api/v1/orgs/orgs/{org_id}")
    kwargs: dict = field(default_factory=dict)
    method: str = "GET"
    data: dict | None = None
    api: bool = False
    public: bool = False  # answers without login (public site, token endpoint)
    write: bool = False  # changes something: a read-only member gets 403
    # Object routes name school A's objects: an outsider gets 404. List routes show only what the user may
    # see: an outsider's answer must not contain school A's secret name.
    object_route: bool = True
    # Pages a member may not even read (county-level pages) answer the member 403 too.
    member_forbidden: bool = False
    # Objects a member may not even see (another person's grants): the member gets 404, as an outsider would.
    member_hidden: bool = False
    content_type: str | None = None


def collect(world) -> list[Route]:
    found: list[Route] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            samples = importlib.import_module(f"tests.{module.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.routes":
                raise
            continue
        found.extend(samples.routes(world))
    return found
