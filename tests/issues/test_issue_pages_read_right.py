"""The issue pages say what a reader needs, in the reader's words.

The timeline names where each escalation went; the bureau workbench names the bureau; the
enterprise's pages are 我的诉求 and tell it when it will hear back (not the staff's SLA
warnings); the choices of a form are big toggle buttons, as on the visit form.
"""

import re

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grids.models import JointTaskForce
from issues import services
from tests.issues.conftest import accepted, at_bureau, resolved, submitted


def detail_url(issue):
    return reverse("issues:detail", args=[issue.pk])


def page_of(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def timeline_headings(page: str) -> list[str]:
    items = lxml.html.fromstring(page).xpath('//ol[contains(@class, "issue-timeline")]/li')
    return [
        re.sub(r"\s+", " ", item.xpath(".//span[contains(@class, 'fw-semibold')]")[0].text_content()).strip()
        for item in items
    ]


def title_of(page: str) -> str:
    return lxml.html.fromstring(page).findtext(".//title").strip()


@pytest.fixture
def named_task_force(ledger):
    force = JointTaskForce.objects.create(name="企业服务联合专班", lead_bureau=ledger.bureau_x)
    force.bureaus.add(ledger.bureau_x, ledger.bureau_y)
    return force


# --- The timeline names where an escalation went ------------------------------------------------


def test_an_escalation_names_the_bureau_and_then_the_task_force(ledger, client_for, named_task_force):
    issue = at_bureau(ledger)  # to 财政局
    services.issue_escalate(issue=issue, actor=ledger.bureau_user_x, reason="涉及多部门", task_force=named_task_force)

    headings = timeline_headings(page_of(client_for(ledger.officer_a), detail_url(issue)))

    assert headings == [
        "提交问题",
        "受理立案",
        "升级转办至 财政局",
        "升级转办至 联合服务专班（企业服务联合专班）",
    ]


def test_the_automatic_escalation_names_where_it_went_too(ledger, client_for):
    issue = accepted(ledger)  # financing: bureau X by default
    services.issue_escalate(issue=issue, actor=None, reason="逾期超过 2 个工作日，自动升级", automatic=True)

    page = page_of(client_for(ledger.enterprise_user_a), detail_url(issue))

    assert timeline_headings(page)[-1] == "升级转办至 财政局"


def test_a_task_force_named_like_its_level_is_not_named_twice(ledger, client_for):
    issue = at_bureau(ledger)
    services.issue_escalate(issue=issue, actor=ledger.bureau_user_x, reason="涉及多部门", task_force=ledger.task_force)

    headings = timeline_headings(page_of(client_for(ledger.manager), detail_url(issue)))

    assert headings[-1] == "升级转办至 联合服务专班"


def test_naming_the_units_costs_the_same_queries_however_many_escalations(ledger, client_for, named_task_force):
    once = at_bureau(ledger, title="升级一次")
    many = at_bureau(ledger, title="升级多次")
    many = services.issue_return(issue=many, actor=ledger.bureau_user_x, reason="属网格职责")
    many = services.issue_escalate(issue=many, actor=ledger.officer_a, reason="再次升级", bureau=ledger.bureau_y)
    many = services.issue_return(issue=many, actor=ledger.bureau_user_y, reason="属网格职责")
    many = services.issue_escalate(issue=many, actor=ledger.officer_a, reason="第三次升级", bureau=ledger.bureau_x)
    services.issue_escalate(issue=many, actor=ledger.bureau_user_x, reason="涉及多部门", task_force=named_task_force)
    client = client_for(ledger.manager)
    page_of(client, detail_url(once))  # warm the session

    counts = []
    for issue in (once, many):
        with CaptureQueriesContext(connection) as queries:
            page = page_of(client, detail_url(issue))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert [heading for heading in timeline_headings(page) if heading.startswith("升级转办")] == [
        "升级转办至 财政局",
        "升级转办至 税务局",
        "升级转办至 财政局",
        "升级转办至 联合服务专班（企业服务联合专班）",
    ]


# --- The workbench names the bureau ---------------------------------------------------------------


def test_the_workbench_names_the_bureau_not_the_level(ledger, client_for, named_task_force):
    at_bureau(ledger, title="在科室的问题")
    with_force = at_bureau(ledger, title="在专班的问题")
    services.issue_escalate(
        issue=with_force, actor=ledger.bureau_user_x, reason="涉及多部门", task_force=named_task_force
    )

    page = page_of(client_for(ledger.bureau_user_x), reverse("issues:workbench"))

    units = {
        item.xpath(".//a")[0].text_content().split(" ", 1)[1]: item.xpath(".//span[@class='workbench-unit']")[0]
        .text_content()
        .strip()
        for item in lxml.html.fromstring(page).xpath('//article[contains(@class, "workbench-item")]')
    }
    assert units == {"在科室的问题": "财政局", "在专班的问题": "联合服务专班（企业服务联合专班）"}


# --- The enterprise's pages are 我的诉求 ----------------------------------------------------------


def test_the_enterprise_pages_are_titled_my_requests(ledger, client_for):
    issue = submitted(ledger)
    client = client_for(ledger.enterprise_user_a)

    assert title_of(page_of(client, reverse("issues:my_list"))) == "我的诉求 · 经开区网格化企业服务平台"
    assert title_of(page_of(client, reverse("issues:new"))) == "反映问题 · 我的诉求"
    detail = page_of(client, detail_url(issue))
    assert title_of(detail) == f"#{issue.pk} {issue.title} · 我的诉求"
    assert "问题台账" not in detail
    # Staff keep the ledger's name.
    assert title_of(page_of(client_for(ledger.officer_a), detail_url(issue))) == f"#{issue.pk} {issue.title} · 问题台账"
    assert title_of(page_of(client_for(ledger.officer_a), reverse("issues:new"))) == "登记问题 · 问题台账"


def test_a_just_submitted_issue_tells_the_enterprise_when_it_will_hear_back(ledger, client_for):
    # Given an issue submitted on Monday 2 November: the response is due on Tuesday 3 November
    issue = submitted(ledger)
    client = client_for(ledger.enterprise_user_a)

    detail = page_of(client, detail_url(issue))
    header = lxml.html.fromstring(detail).xpath("//header")[0].text_content()
    assert "待受理，将于2026年11月3日前答复" in header
    assert "即将到期" not in detail and "sla-badge" not in detail and "sla-countdown" not in detail
    mine = page_of(client, reverse("issues:my_list"))
    assert "待受理，将于2026年11月3日前答复" in mine and "即将到期" not in mine

    # The officer still sees the warning.
    staff = page_of(client_for(ledger.officer_a), detail_url(issue))
    assert "即将到期" in staff and "待受理，将于" not in staff


def test_an_accepted_issue_tells_the_enterprise_when_it_will_be_done(ledger, client_for):
    issue = accepted(ledger)  # grid: 3 working days, due Thursday 5 November
    page = page_of(client_for(ledger.enterprise_user_a), detail_url(issue))
    assert "正在办理，将于2026年11月5日前办结" in page
    assert "剩余 3 个工作日" not in page and "时限内" not in page


def test_a_late_issue_tells_the_enterprise_it_is_being_hurried(ledger, client_for, frozen_monday):
    issue = accepted(ledger)
    frozen_monday.move_to("2026-11-10 10:00+08:00")
    page = page_of(client_for(ledger.enterprise_user_a), detail_url(issue))
    assert "正在加紧办理（原定2026年11月5日前办结）" in page
    assert "已逾期" not in lxml.html.fromstring(page).xpath("//header")[0].text_content()


# --- Choices are big toggles ----------------------------------------------------------------------


def test_the_satisfaction_choices_are_big_toggle_buttons(ledger, client_for):
    issue = resolved(ledger)
    page = page_of(client_for(ledger.enterprise_user_a), detail_url(issue))
    form = lxml.html.fromstring(page).get_element_by_id("action-feedback")

    group = form.xpath('.//div[@role="radiogroup"]')[0]
    assert "choice-buttons" in group.get("class")
    radios = group.xpath('.//input[@type="radio"][@name="feedback-rating"]')
    assert [radio.get("class") for radio in radios] == ["btn-check"] * 3
    labels = [group.xpath(f'.//label[@for="{radio.get("id")}"]')[0] for radio in radios]
    assert [label.text_content().strip() for label in labels] == ["满意", "基本满意", "不满意"]
    assert all({"btn", "btn-outline-primary", "tap-target"} <= set(label.get("class").split()) for label in labels)
    assert not form.xpath('.//*[contains(@class, "form-check-inline")]')
