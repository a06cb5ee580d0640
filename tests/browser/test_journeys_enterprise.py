"""The enterprise user: sees what waits on the home, submits an issue, follows it, gives feedback
(满意 and 不满意), reads a pushed policy and reports the month's figures for the officer to confirm."""

import pytest
from django.utils import timezone

from enterprises.models import FiguresSubmission, SubmissionState
from issues import services
from issues.models import Feedback, Issue, Source, State
from policies.models import PolicyPush
from tests.browser.journeys import Journey, sign_in
from tests.conftest import PASSWORD
from tests.factories import CategoryFactory
from tests.policies.conftest import make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resolved_issue(cast, title: str) -> Issue:
    category = CategoryFactory(code=f"c{Issue.objects.count()}", name=f"类别{title}", default_bureau=cast.bureau_x)
    issue = services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title=title,
        description="请协调。",
        source=Source.ENTERPRISE,
    )
    issue = services.issue_accept(issue=issue, actor=cast.officer_a, category=category)
    issue = services.issue_start(issue=issue, actor=issue.handler)
    return services.issue_resolve(issue=issue, actor=issue.handler, resolution=f"{title}已办结。")


def test_the_enterprise_users_journey(desktop_page, live_server, cast):
    first, second = resolved_issue(cast, "用电增容"), resolved_issue(cast, "道路破损")
    push = PolicyPush.objects.create(policy=make_policy(), enterprise=cast.enterprise_a, pushed_at=timezone.now())
    journey, page = Journey(desktop_page, live_server), desktop_page

    sign_in(journey, "ent-a", PASSWORD)
    summary = page.inner_text(".enterprise-summary")
    assert "待评价 2" in summary and "办理中 0" in summary and "新政策 1" in summary

    # Submit an issue and follow it in 我的诉求.
    journey.follow(lambda: page.get_by_role("link", name="反映问题").first.click())
    page.fill("input[name=title]", "招工难，缺普工 30 人")
    page.fill("textarea[name=description]", "二期投产后普工缺口 30 人，希望对接人力资源平台。")
    journey.follow(lambda: page.click("main form button[type=submit]"))
    submitted = Issue.objects.get(title="招工难，缺普工 30 人")
    assert page.url.endswith(submitted.get_absolute_url())
    journey.go("/issues/mine/")
    page.select_option("select[name=state]", "submitted")
    journey.follow(lambda: page.click(".my-issues-filter button[type=submit]"))
    assert page.locator(".issue-card").count() == 1 and "招工难" in page.inner_text(".my-issues")

    # Feedback: 满意 on one, 不满意 (with a reason) on the other, from the 待评价 list.
    for issue, rating, comment in ((first, "satisfied", ""), (second, "dissatisfied", "路面仍未修复。")):
        journey.go("/my/")
        journey.follow(lambda: page.click("[data-figure=issues-resolved] a"))
        link = f"a[href='{issue.get_absolute_url()}']"
        journey.follow(lambda link=link: page.click(link))
        page.click("[data-action=feedback] .accordion-button")
        radio_id = page.get_attribute(f"input[name$=rating][value={rating}]", "id")
        page.click(f"label[for='{radio_id}']")  # the radios are drawn as buttons
        if comment:
            page.fill("textarea[name$=comment]", comment)
        journey.follow(lambda: page.click("#action-feedback button[type=submit]"))
    assert list(Feedback.objects.order_by("at").values_list("issue", "rating")) == [
        (first.pk, "satisfied"),
        (second.pk, "dissatisfied"),
    ]
    assert Issue.objects.get(pk=second.pk).state == State.IN_PROGRESS

    # Read the pushed policy from 新政策.
    journey.go("/my/")
    journey.follow(lambda: page.click("[data-figure=policies-unread] a"))
    journey.follow(lambda: page.click(f"a[href='/policies/pushes/{push.pk}/']"))
    assert PolicyPush.objects.get(pk=push.pk).opened_at is not None

    # Report the month's figures for the officer to confirm.
    journey.go("/my/figures/")
    page.fill("input[name=month]", f"{timezone.localdate():%Y-%m}")
    page.fill("input[name=headcount]", "320")
    page.fill("input[name=output_value]", "1880.5")
    journey.follow(lambda: page.click("#submit-figures"))
    assert FiguresSubmission.objects.get().state == SubmissionState.PENDING
    assert "待网格员确认" in page.inner_text(".figures-reports")

    journey.assert_clean()
