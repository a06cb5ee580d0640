"""An incident's affected rows are filtered by ``Scope.grid_or_own_filter`` alone.

The test gives that one question another answer and shows the selectors, the API
and the enterprise lists all follow it (``Scope.enterprise_filter`` asks it too).
"""

import pytest
from django.db.models import Q

from accounts.scoping import Scope
from emergency import selectors
from enterprises.registry.selectors import enterprises_visible
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_rows_a_user_sees_are_asked_of_the_scope_alone(flood, monkeypatch):
    cast = flood.cast
    rows_url = f"/api/incidents/{flood.incident.pk}/enterprises/"
    client = login(cast.enterprise_user_a)
    assert [row["id"] for row in client.get(rows_url).json()["results"]] == [flood.row_a.pk]
    visible = selectors.affected_visible(user=cast.officer_a, incident=flood.incident)
    assert {row.pk for row in visible} == {flood.row_a.pk, flood.row_river.pk}

    monkeypatch.setattr(
        Scope, "grid_or_own_filter", lambda scope, *, grid="grid_id", enterprise="enterprise_id": Q(pk__in=[])
    )

    assert client.get(rows_url).status_code == 404
    assert client.get(f"/api/incidents/{flood.incident.pk}/").status_code == 404
    assert list(selectors.affected_visible(user=cast.officer_a, incident=flood.incident)) == []
    assert list(selectors.incident_list(user=cast.officer_a)) == []
    assert list(enterprises_visible(user=cast.officer_a)) == []
