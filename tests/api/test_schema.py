"""OpenAPI 3 at /api/schema/, Swagger UI at /api/docs/ from local assets."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_with_our_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything OpenAPI 3 does not allow
    for route in ("/api/districts/", "/api/grids/{id}/", "/api/bureaus/", "/api/enterprises/{id}/", "/api/auth/token/"):
        assert route in schema["paths"]
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/enterprises/{id}/"])
    assert "delete" not in schema["paths"]["/api/enterprises/{id}/"]
    enterprise = schema["components"]["schemas"]["Enterprise"]["properties"]
    assert {
        "id",
        "name",
        "uscc",
        "ownership",
        "tier",
        "industry",
        "above_scale",
        "grid",
        "district",
        "board_url",
    } <= set(enterprise)


def test_our_endpoints_generate_with_no_warning_or_error():
    # Only this part's routes: other apps answer for their own warnings.
    patterns = [
        path("api/auth/", include("accounts.apis")),
        path("api/", include("grids.apis")),
        path("api/", include("enterprises.registry.apis")),
    ]
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    assert not GENERATOR_STATS, "drf-spectacular warned or failed on the API base endpoints"
    validate_schema(schema)
    assert set(schema["paths"]) >= {"/api/enterprises/", "/api/grids/", "/api/districts/", "/api/bureaus/"}


def test_the_docs_page_loads_its_assets_from_this_server(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page references no assets"
    # Swagger UI's start-up script comes from the page's own URL (?script), not inline: the CSP allows none.
    scripts = [url for url in assets if url.startswith("/api/docs/?script")]
    assert len(scripts) == 1
    for url in set(assets) - set(scripts):
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    assert "//cdn" not in html and "unpkg" not in html
    start_up = client.get(scripts[0].replace("&amp;", "&"))
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in start_up.content.decode()
