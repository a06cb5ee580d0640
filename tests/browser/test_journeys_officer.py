"""The grid officer on a 375×812 phone: logs a visit and raises a problem at the gate, records the
week's tracking and confirms the figures the enterprise reported; explains a pushed policy in person
and acknowledges an incident on an enterprise's behalf; every page clean."""

import pytest
from django.utils import timezone

from emergency.models import AckMethod, AffectedEnterprise, Kind
from emergency.services import incident_declare
from enterprises.models import EmploymentRecord, SubmissionState
from enterprises.profile.submissions import figures_submit
from fieldwork.models import Visit, WeeklyTracking
from issues.models import State
from policies.models import PolicyPush, PushState
from tests.browser.journeys import Journey, sign_in
from tests.conftest import PASSWORD
from tests.policies.conftest import make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True)
    yield context.new_page()
    context.close()


def test_the_officers_journey_on_a_phone(phone, live_server, cast):
    report = figures_submit(
        enterprise=cast.enterprise_a, actor=cast.enterprise_user_a, month=timezone.localdate(), headcount=318
    )
    journey, page = Journey(phone, live_server), phone
    sign_in(journey, "officer-a", PASSWORD)
    assert "企业报送待确认（1）" in page.inner_text("main")

    # A visit with a problem, from the search at the gate.
    journey.follow(lambda: page.get_by_role("link", name="登记走访").click())
    page.fill("#enterprise-query", "甲企业")
    result = page.locator(".enterprise-results .card", has_text=cast.enterprise_a.name)
    journey.follow(lambda: result.get_by_role("link", name="走访").click())
    page.fill("textarea[name=findings]", "二期厂房已封顶，订单排产至明年一季度。")
    page.fill("input[name=problems-0-title]", "二期用电负荷不足")
    page.fill("textarea[name=problems-0-description]", "二期投产后需增容 2000 千伏安。")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    journey.follow(lambda: page.click("#submit-visit"))
    visit = Visit.objects.get()
    assert visit.raised_issues.get().state == State.SUBMITTED

    # The week's tracking of the same enterprise: the menu → 首页 → its card in 我的企业 · 跟踪任务.
    page.click(".navbar-toggler")
    journey.follow(lambda: page.locator("#main-nav").get_by_role("link", name="首页").click())
    due_card = page.locator(f".due-card[data-enterprise='{cast.enterprise_a.pk}']")
    journey.follow(lambda: due_card.get_by_role("link", name="周跟踪").click())
    journey.follow(lambda: page.get_by_role("button", name="保存周跟踪").click())
    assert WeeklyTracking.objects.filter(enterprise=cast.enterprise_a, officer=cast.officer_a).count() == 1

    # Confirm the enterprise's report from the home's 企业报送待确认 panel: now it is the official figure.
    assert page.locator(".due-list").count() == 1, "saving the tracking returns to the officer's home"
    journey.follow(lambda: page.locator(".figures-panel").get_by_role("link", name="去确认").click())
    journey.follow(lambda: page.click(f"#report-{report.pk} .confirm-figures"))
    report.refresh_from_db()
    assert report.state == SubmissionState.CONFIRMED
    assert EmploymentRecord.objects.get(enterprise=cast.enterprise_a).headcount == 318

    # The issue links back to the visit that raised it.
    journey.go(visit.raised_issues.get().get_absolute_url())
    assert page.locator(f".source-visit a[href='{visit.get_absolute_url()}']").count() == 1
    journey.assert_clean()


def test_the_officer_explains_a_push_and_acknowledges_an_incident_on_a_phone(phone, live_server, cast):
    push = PolicyPush.objects.create(policy=make_policy(), enterprise=cast.enterprise_a, pushed_at=timezone.now())
    incident = incident_declare(
        actor=cast.manager,
        kind=Kind.FLOOD,
        title="长江汛情预警",
        description="请受影响企业做好防汛准备。",
        district=cast.district_a,
        enterprises=[cast.enterprise_a],
    )
    row = AffectedEnterprise.objects.get(incident=incident)
    visit = Visit.objects.create(enterprise=cast.enterprise_a, officer=cast.officer_a, visited_at=timezone.now())
    journey, page = Journey(phone, live_server), phone
    sign_in(journey, "officer-a", PASSWORD)

    # 当面解读: from the home's pushes to explain, on the enterprise's behalf.
    panel = page.locator(".panel-pushes")
    journey.follow(lambda: panel.get_by_role("link", name=f"{cast.enterprise_a.name} · {push.policy.title}").click())
    page.get_by_label("已在走访时当面解读").fill("逐条讲解了申报条件和材料清单。")
    page.get_by_label("走访记录").select_option(str(visit.pk))
    journey.follow(lambda: page.get_by_role("button", name="登记当面解读").click())
    push.refresh_from_db()
    assert (push.state, push.in_person, push.acknowledged_by) == (PushState.ACKNOWLEDGED, True, cast.officer_a)
    assert (push.in_person_note, push.visit) == ("逐条讲解了申报条件和材料清单。", visit)
    assert page.locator(f".push-visit a[href='{visit.get_absolute_url()}']").count() == 1
    assert "逐条讲解了申报条件和材料清单" in page.inner_text("main")
    assert page.get_by_role("button", name="登记当面解读").count() == 0

    # The roll-call: the menu → 应急 → the incident → reached by phone, acknowledged on its behalf.
    page.click(".navbar-toggler")
    journey.follow(lambda: page.locator("#main-nav").get_by_role("link", name="应急").click())
    journey.follow(lambda: page.get_by_role("link", name="长江汛情预警").click())
    card = page.locator(f"#unreached-list [data-row='{row.pk}']")
    assert cast.enterprise_a.name in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    journey.follow(lambda: card.get_by_role("button", name="已接通，代为确认").click())
    row.refresh_from_db()
    assert (row.ack_method, row.acknowledged_by) == (AckMethod.ON_BEHALF, cast.officer_a)
    assert page.locator("#unreached-empty").count() == 1
    reached = page.locator(f"#reached-list [data-row='{row.pk}']")
    assert "代为确认" in reached.inner_text()
    assert page.inner_text("#total-acknowledged") == "1 / 1"
    journey.assert_clean()
