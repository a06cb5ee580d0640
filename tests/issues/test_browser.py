"""In a browser: an enterprise submits, its officer accepts and escalates, the bureau resolves,
the enterprise is notified and closes it with feedback; the timeline shows every step."""

import pytest

from issues.models import Issue, State
from tests.conftest import browser_login
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_monday():
    """Real time here: the live server and the browser run on the wall clock."""
    yield None


def _open_action(page, action: str) -> None:
    page.click(f"[data-action={action}] .accordion-button")
    page.wait_for_selector(f"#action-{action}.show")


def test_an_issue_from_submission_to_feedback(cast, chromium, phone_page, live_server):
    CategoryFactory(code="financing", name="融资贷款", default_bureau=cast.bureau_x)
    staff_context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    officer_page = staff_context.new_page()
    bureau_context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    bureau_page = bureau_context.new_page()
    try:
        # The enterprise submits on a phone.
        browser_login(phone_page, live_server, "ent-a")
        phone_page.goto(f"{live_server.url}/issues/new/")
        phone_page.fill("input[name=title]", "流动资金紧张，申请银企对接")
        phone_page.fill("textarea[name=description]", "原材料涨价占用资金，希望协调续贷。")
        phone_page.select_option("select[name=category]", label="融资贷款")
        with phone_page.expect_navigation():
            phone_page.click("button[type=submit].tap-target")
        issue = Issue.objects.get(title="流动资金紧张，申请银企对接")
        assert f"/issues/{issue.pk}/" in phone_page.url
        assert "待受理" in phone_page.content()

        # Officer A accepts and escalates to bureau X.
        browser_login(officer_page, live_server, "officer-a")
        officer_page.goto(f"{live_server.url}/issues/{issue.pk}/")
        _open_action(officer_page, "accept")
        with officer_page.expect_navigation():
            officer_page.click("#action-accept button[type=submit]")
        assert "已受理立案" in officer_page.content()
        _open_action(officer_page, "escalate")
        officer_page.select_option("#action-escalate select[name=escalate-bureau]", label="财政局")
        officer_page.fill("#action-escalate textarea[name=escalate-reason]", "需财政局协调贴息")
        with officer_page.expect_navigation():
            officer_page.click("#action-escalate button[type=submit]")
        assert Issue.objects.get(pk=issue.pk).level == "bureau"

        # Bureau X resolves from its workbench.
        browser_login(bureau_page, live_server, "bureau-x")
        assert "/issues/workbench/" in bureau_page.url
        bureau_page.click(f"#issue-{issue.pk} button[data-bs-target='#resolve-{issue.pk}']")
        bureau_page.fill(f"#wb-resolution-{issue.pk}", "已协调合作银行完成续贷。")
        with bureau_page.expect_navigation():
            bureau_page.click(f"#resolve-{issue.pk} button[type=submit]")
        assert Issue.objects.get(pk=issue.pk).state == State.RESOLVED

        # The enterprise is notified, follows the notification and closes it with feedback.
        phone_page.goto(f"{live_server.url}/accounts/notifications/")
        assert "您反映的问题已办结，请评价" in phone_page.content()
        with phone_page.expect_navigation():
            phone_page.click("text=您反映的问题已办结，请评价")
        assert f"/issues/{issue.pk}/" in phone_page.url
        _open_action(phone_page, "feedback")
        # The choices are big toggle buttons: the thumb taps the button (the label), not a 16-px radio.
        phone_page.click("#action-feedback label[for=id_feedback-rating_0]")
        assert phone_page.is_checked("#action-feedback input[value=satisfied]")
        phone_page.fill("#action-feedback textarea[name=feedback-comment]", "感谢帮助！")
        with phone_page.expect_navigation():
            phone_page.click("#action-feedback button[type=submit]")
        assert Issue.objects.get(pk=issue.pk).state == State.CLOSED

        timeline = phone_page.inner_text(".issue-timeline")
        for step in ("提交问题", "受理立案", "升级转办", "办结", "企业评价"):
            assert step in timeline
        for actor in ("张网格", "周科员"):
            assert actor in timeline
        assert timeline.count(":") >= 5  # every step carries its time (HH:MM)
    finally:
        staff_context.close()
        bureau_context.close()
