"""Pages for zone staff only ask one rule, ``accounts.scoping.require_staff_side``.

Given the rule another answer (``Scope.is_staff_side`` false for a manager), every such page
follows it: none of them kept a copy of "who is staff".
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.scoping import Scope
from policies.trainings import services

pytestmark = pytest.mark.django_db

STARTS = datetime.datetime(2026, 11, 10, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def staff_pages(cast) -> list[str]:
    session = services.session_create(
        topic="惠企政策解读专题培训",
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=2),
        place="经开区管委会三楼会议室",
        capacity=2,
        actor=cast.manager,
    )
    return [
        reverse("issues:print"),
        reverse("funding:list"),
        reverse("trainings:door", args=[session.pk]),
    ]


def test_staff_pages_open_to_staff_and_answer_404_to_an_enterprise(cast, client_for, staff_pages):
    manager, enterprise = client_for(cast.manager), client_for(cast.enterprise_user_a)
    assert [manager.get(url).status_code for url in staff_pages] == [200, 200, 200]
    # The funding list sends an enterprise to its own applications; the others are not there for it.
    assert [enterprise.get(url).status_code for url in staff_pages] == [404, 302, 404]


def test_who_is_staff_is_asked_of_the_scope_alone(cast, client_for, staff_pages, monkeypatch):
    monkeypatch.setattr(Scope, "is_staff_side", property(lambda scope: False))

    manager = client_for(cast.manager)
    assert [manager.get(url).status_code for url in staff_pages] == [404, 404, 404]
