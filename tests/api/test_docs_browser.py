"""The Swagger UI at /api/docs/ renders in a real browser with nothing fetched from elsewhere."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_render_our_endpoints_from_local_assets_only(desktop_page, live_server):
    requested: list[str] = []
    desktop_page.on("request", lambda request: requested.append(request.url))

    desktop_page.goto(f"{live_server.url}/api/docs/")
    # Tags start collapsed (some 60 collections): open ours and see its endpoints.
    desktop_page.locator("h3.opblock-tag", has_text="enterprises").first.click(timeout=15_000)
    desktop_page.wait_for_selector("text=/api/enterprises/", timeout=15_000)

    assert "Jingkai Portal API" in desktop_page.inner_text(".swagger-ui .info")
    own_host = urlparse(live_server.url).netloc
    foreign = [
        url for url in requested if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc != own_host
    ]
    assert foreign == []
    assert any(
        url.endswith("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") for url in requested
    )
