"""The demo reads like the real thing: its 问题类别 give every common difficulty somewhere to go
(a flooded road included), and its timeline events have the shape the services write."""

from io import StringIO

import lxml.html
import pytest
from django.http import HttpRequest
from django.urls import reverse

from enterprises.registry import demo as enterprises_demo
from grids import demo as grids_demo
from grids.models import Bureau, JointTaskForce
from issues import demo
from issues.demo_data import CATEGORIES, CATEGORY_WEIGHTS, PROBLEMS, RESOLUTIONS
from issues.models import Category, Issue, IssueEvent


@pytest.fixture
def demo_zone(db):
    grids_demo.seed_demo_data(stdout=StringIO())
    enterprises_demo.seed_demo_data(stdout=StringIO())
    demo.seed_demo_data(stdout=StringIO())


def test_every_demo_category_has_problems_a_resolution_and_a_weight():
    codes = [row[0] for row in CATEGORIES]
    assert set(codes) == set(PROBLEMS) == set(RESOLUTIONS) == set(CATEGORY_WEIGHTS)


def test_roads_and_drains_go_to_the_municipal_bureau_quickly(demo_zone):
    municipal = Category.objects.select_related("default_bureau").get(code="municipal")

    assert municipal.name == "市政道路与排水"
    assert (municipal.default_bureau.code, municipal.default_bureau.name) == ("municipal", "市政管理局")
    assert (municipal.grid_days, municipal.bureau_days, municipal.task_force_days) == (2, 7, 15)
    # The demo ledger holds such issues, e.g. the flooded road at the gate.
    assert Issue.objects.filter(category=municipal).exists()
    assert "厂区道路积水影响运输" in dict(PROBLEMS["municipal"])


def test_an_enterprise_can_file_a_flooded_road_under_it(demo_zone, client):
    client.login(request=HttpRequest(), username="enterprise-001", password="jingkai-demo")

    page = client.get(reverse("issues:new")).content.decode()

    choices = [
        option.text_content() for option in lxml.html.fromstring(page).xpath('//select[@name="category"]/option')
    ]
    assert "市政道路与排水" in choices


def test_every_demo_escalation_names_the_unit_it_went_to(demo_zone, client):
    escalations = list(IssueEvent.objects.filter(action="escalate").select_related("issue"))
    assert escalations
    bureau_codes = set(Bureau.objects.values_list("code", flat=True))
    force_ids = set(JointTaskForce.objects.values_list("pk", flat=True))
    for event in escalations:
        if event.data["to_level"] == "bureau":
            assert event.data["bureau"] in bureau_codes, event.pk
        else:
            assert event.data["task_force"] in force_ids, event.pk

    # So the timeline says where each went.
    client.login(request=HttpRequest(), username="manager", password="jingkai-demo")
    forced = next(event for event in escalations if event.data["to_level"] == "task_force")
    page = client.get(reverse("issues:detail", args=[forced.issue_id])).content.decode()
    assert "升级转办至 联合服务专班（企业服务联合专班）" in page
