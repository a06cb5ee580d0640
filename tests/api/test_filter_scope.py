"""``?enterprise=<id>`` on an API list takes only enterprises the caller may see (common.api.ScopedFilterBackend).

An enterprise outside the scope answers what an id that does not exist answers — a 400 naming the
filter — so an empty page cannot tell that it exists; the zone sees every enterprise.
"""

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

LISTS = [
    ("/api/labour-postings/", "enterprise"),
    ("/api/space-listings/", "owner"),
    ("/api/purchase-needs/", "buyer"),
    ("/api/enterprise-facts/", "enterprise"),
]


@pytest.mark.parametrize(("url", "parameter"), LISTS)
def test_an_enterprise_outside_the_scope_answers_like_one_that_does_not_exist(cast, url, parameter):
    client = login(cast.officer_a)

    outside = client.get(url, {parameter: cast.enterprise_b.pk})
    missing = client.get(url, {parameter: 987654321})

    assert (outside.status_code, missing.status_code) == (400, 400)
    assert list(outside.json()) == list(missing.json()) == [parameter]


@pytest.mark.parametrize(("url", "parameter"), LISTS)
def test_an_enterprise_inside_the_scope_filters_the_list(cast, url, parameter):
    assert login(cast.officer_a).get(url, {parameter: cast.enterprise_a.pk}).status_code == 200
    assert login(cast.manager).get(url, {parameter: cast.enterprise_b.pk}).status_code == 200
