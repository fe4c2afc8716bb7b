"""Every URL and API route, three ways: logged out, outsider from another school, read-only member.

A route without a sample in tests/<app>/routes.py fails `test_every_route_has_a_sample`, so a new page or
API operation cannot be added without being walked."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.api.main import api
from tests.conftest import SECRET_NAME_A
from tests.routes import Route, collect

# Routes that are not the platform's pages: the framework's own, or deliberately open.
EXEMPT = {"healthz", "set_language", "core:login", "core:logout", "api:openapi-json", "api:openapi-view"}


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def _request(client, route: Route):
    if route.api:
        method, template = route.name.split(" ", 1)
        path = template
        for key, value in route.kwargs.items():
            path = path.replace("{" + key + "}", str(value))
        if method == "GET":
            return client.get(path, data=route.data or {})
        body = json.dumps(route.data or {})
        return getattr(client, method.lower())(path, data=body, content_type="application/json")
    url = reverse(route.name, kwargs=route.kwargs)
    if route.method == "GET":
        return client.get(url)
    return client.post(url, data=route.data or {})


def test_every_route_has_a_sample(world):
    sampled = {r.name for r in collect(world)}
    pages = {name for name in _url_names() if not name.startswith("api:")} - EXEMPT
    operations = _api_operations()
    assert pages - sampled == set(), "pages without a route sample"
    assert operations - sampled == set(), "API operations without a route sample"


def test_logged_out(world, client):
    for route in collect(world):
        if route.public:
            continue
        status = _request(client, route).status_code
        if route.api:
            assert status == 401, (route, status)
        else:
            assert status == 302, (route, status)


def test_outsider_from_another_school(world, login, api_client):
    outsider = world.users["outsider"]
    for route in collect(world):
        if route.public:
            continue
        client = api_client(outsider) if route.api else login(outsider)
        response = _request(client, route)
        if route.object_route:
            assert response.status_code == 404, (route, response.status_code)
        else:
            assert response.status_code in (200, 302, 400, 403), (route, response.status_code)
            assert SECRET_NAME_A.encode() not in response.content, route
            assert SECRET_NAME_A.encode("unicode_escape") not in response.content, route


def test_read_only_member(world, login, api_client):
    member = world.users["member"]
    for route in collect(world):
        if route.public:
            continue
        client = api_client(member) if route.api else login(member)
        response = _request(client, route)
        if route.member_hidden:
            assert response.status_code == 404, (route, response.status_code)
        elif route.write or route.member_forbidden:
            assert response.status_code == 403, (route, response.status_code)
        else:
            assert response.status_code in (200, 302), (route, response.status_code)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json"])
def test_openapi_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert re.search(r'"openapi":\s*"3', response.content.decode())
