"""The bureau user at the office PC: from the 科室工作台 accepts (立案) a problem the bureau entered,
signs for (签收) and resolves (办结) one escalated to it, and returns (退回) one that is not its
business to the grid; each change shows on the workbench and in the issue's timeline (办理过程)."""

import pytest

from issues import services
from issues.models import Action, Issue, Level, Source, State
from tests.browser.journeys import Journey, sign_in
from tests.conftest import PASSWORD
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def escalated_to_the_bureau(cast, category, title: str) -> Issue:
    issue = services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title=title,
        description="请协调。",
        source=Source.ENTERPRISE,
    )
    issue = services.issue_accept(issue=issue, actor=cast.officer_a, category=category)
    return services.issue_escalate(issue=issue, actor=cast.officer_a, reason="需科室协调", bureau=cast.bureau_x)


def timeline(page) -> str:
    return page.inner_text(".issue-timeline")


def test_the_bureau_users_journey(desktop_page, live_server, cast):
    category = CategoryFactory(code="finance", name="财税政策", default_bureau=cast.bureau_x)
    to_resolve = escalated_to_the_bureau(cast, category, "研发费用加计扣除咨询")
    to_return = escalated_to_the_bureau(cast, category, "厂区道路破损")
    # A bureau enters problems of the enterprises it already serves (here through the two above).
    entered = services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.bureau_user_x,
        title="贴息资金未到账",
        description="企业反映去年贴息资金未到账。",
        source=Source.BUREAU,
        category=category,
    )
    journey, page = Journey(desktop_page, live_server), desktop_page

    sign_in(journey, "bureau-x", PASSWORD)
    assert page.url.endswith("/issues/workbench/")
    assert page.locator(".workbench-item").count() == 3
    assert "待签收" in page.inner_text(".workbench-counts")

    # 受理立案: the workbench's button opens the issue with the accept form already unfolded.
    journey.follow(lambda: page.click(f"#issue-{entered.pk} a[href$='#action-accept']"))
    assert page.is_visible("#action-accept button[type=submit]")
    journey.follow(lambda: page.click("#action-accept button[type=submit]"))
    assert Issue.objects.get(pk=entered.pk).state == State.ACCEPTED
    assert "已立案" in page.inner_text("header")
    assert "受理立案" in timeline(page) and "待受理 → 已立案" in timeline(page)

    # 签收办理 then 办结, both on the workbench.
    journey.go("/issues/workbench/")
    row = f"#issue-{to_resolve.pk}"
    journey.follow(lambda: page.click(f"{row} button:has-text('签收办理')"))
    assert Issue.objects.get(pk=to_resolve.pk).state == State.IN_PROGRESS
    assert "办理中" in page.inner_text(f"{row} .badge")
    page.click(f"{row} button[data-bs-target='#resolve-{to_resolve.pk}']")
    page.fill(f"#wb-resolution-{to_resolve.pk}", "已上门辅导企业完成加计扣除申报。")
    journey.follow(lambda: page.click(f"#resolve-{to_resolve.pk} button[type=submit]"))
    assert Issue.objects.get(pk=to_resolve.pk).state == State.RESOLVED
    assert page.locator(row).count() == 0  # out of the queue, into 近期经手
    recent = page.locator(".workbench-recent li", has_text="研发费用加计扣除咨询")
    assert "已办结" in recent.inner_text()
    journey.follow(lambda: recent.get_by_role("link").click())
    assert "已办结" in page.inner_text("header")
    assert "签收办理" in timeline(page) and "已立案 → 办理中" in timeline(page)
    assert "办理中 → 已办结" in timeline(page) and "已上门辅导企业完成加计扣除申报" in page.inner_text("main")

    # 退回网格 with a reason: back to the grid, which holds it as accepted.
    journey.go("/issues/workbench/")
    row = f"#issue-{to_return.pk}"
    page.click(f"{row} button[data-bs-target='#return-{to_return.pk}']")
    page.fill(f"#wb-return-{to_return.pk}", "道路养护属建设局职责，请转建设局。")
    journey.follow(lambda: page.click(f"#return-{to_return.pk} button[type=submit]"))
    returned = Issue.objects.get(pk=to_return.pk)
    assert (returned.state, returned.level, returned.bureau_id) == (State.ACCEPTED, Level.GRID, None)
    assert page.locator(row).count() == 0
    journey.follow(lambda: page.locator(".workbench-recent a", has_text="厂区道路破损").click())
    assert "退回网格" in timeline(page) and "道路养护属建设局职责" in timeline(page)
    assert returned.events.filter(action=Action.RETURN, actor=cast.bureau_user_x).count() == 1
    journey.assert_clean()
