"""API test helpers on top of the shared cast."""

import pytest
from django.core.cache import cache

from issues.models import Source
from issues.services import issue_submit


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The token endpoint counts failed sign-ins in the cache; start every test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast_with_issues(cast):
    """The cast, with bureau X holding two issues of enterprise A and bureau Y one of
    enterprise B, so each bureau user sees exactly one enterprise (once)."""
    for title in ("用电增容", "融资需求"):
        issue = issue_submit(
            enterprise=cast.enterprise_a, actor=cast.officer_a, title=title, description="说明", source=Source.VISIT
        )
        issue.bureaus_involved.add(cast.bureau_x)
    issue = issue_submit(
        enterprise=cast.enterprise_b, actor=cast.officer_b, title="招工困难", description="说明", source=Source.VISIT
    )
    issue.bureaus_involved.add(cast.bureau_y)
    return cast


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}
