"""API test helpers on top of the shared cast."""

import pytest

from tests.factories import issue_at_bureau


@pytest.fixture
def cast_with_issues(cast):
    """The cast, with bureau X holding two issues of enterprise A and bureau Y one of
    enterprise B, so each bureau user sees exactly one enterprise (once). The issues get
    there through the services: submitted, accepted and escalated by the manager."""
    for title in ("用电增容", "融资需求"):
        issue_at_bureau(cast.enterprise_a, cast.bureau_x, actor=cast.manager, title=title)
    issue_at_bureau(cast.enterprise_b, cast.bureau_y, actor=cast.manager, title="招工困难")
    return cast


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}
