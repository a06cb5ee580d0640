"""The enterprise user: sees what waits on the home, submits an issue, follows it, gives feedback
(满意 and 不满意), reads a pushed policy and reports the month's figures for the officer to confirm;
registers for a training, posts surplus workers and sees the proposals made for them."""

import datetime

import pytest
from django.utils import timezone

from enterprises.models import FiguresSubmission, SubmissionState
from issues import services
from issues.models import Feedback, Issue, Source, State
from platforms.labour.models import LabourPosting, LabourProposal, PostingKind, Skill
from platforms.labour.services import labour_posting_create
from policies.models import PolicyPush
from policies.trainings.models import Registration, RegistrationState, TrainingSession
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


def test_the_enterprise_user_registers_for_a_training_and_posts_surplus_workers(desktop_page, live_server, cast):
    now, today = timezone.now(), timezone.localdate()
    session = TrainingSession.objects.create(
        topic="智能制造扶持政策解读会",
        starts_at=now + datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=7, hours=2),
        place="经开区管委会三楼会议室",
        capacity=50,
    )
    demand = labour_posting_create(
        actor=cast.enterprise_user_b,
        enterprise=cast.enterprise_b,
        kind=PostingKind.DEMAND,
        skills=[Skill.WELDER, Skill.GENERAL],
        count=12,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )
    journey, page = Journey(desktop_page, live_server), desktop_page
    sign_in(journey, "ent-a", PASSWORD)
    menu = page.locator("#main-nav")

    # 政策 → 专题培训 → the session → 报名.
    menu.get_by_role("button", name="政策", exact=True).click()
    journey.follow(lambda: menu.get_by_role("link", name="专题培训").click())
    journey.follow(lambda: page.get_by_role("link", name=session.topic).click())
    journey.follow(lambda: page.get_by_role("link", name="报名", exact=True).click())
    page.get_by_label("参训人").fill("刘晓梅")
    page.get_by_label("手机号").fill("13800138000")
    journey.follow(lambda: page.get_by_role("button", name="提交报名").click())
    registration = Registration.objects.get(session=session)
    assert (registration.enterprise, registration.state) == (cast.enterprise_a, RegistrationState.REGISTERED)
    assert page.url.endswith(session.get_absolute_url())
    assert "刘晓梅" in page.inner_text("main") and "已报名 1 / 50" in page.inner_text("main")

    # 平台 → 共享用工 → 发布用工信息: 8 surplus welders for two months.
    menu.get_by_role("button", name="平台", exact=True).click()
    journey.follow(lambda: menu.get_by_role("link", name="共享用工").click())
    journey.follow(lambda: page.get_by_role("link", name="发布用工信息").click())
    page.get_by_label("富余员工").check()
    page.get_by_label("焊工").check()
    page.get_by_label("人数").fill("8")
    page.get_by_label("开始日期").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("结束日期").fill(f"{today + datetime.timedelta(days=60):%Y-%m-%d}")
    page.get_by_label("备注").fill("二期停产检修期间富余焊工。")
    journey.follow(lambda: page.get_by_role("button", name="发布并查看推荐").click())
    surplus = LabourPosting.objects.get(enterprise=cast.enterprise_a)
    assert (surplus.kind, surplus.skills, surplus.count) == (PostingKind.SURPLUS, [Skill.WELDER], 8)
    assert page.url.endswith(surplus.get_absolute_url())

    # The proposal the platform made: the other firm's need, with its reasons.
    proposal = LabourProposal.objects.get(surplus=surplus, demand=demand)
    card = page.locator(f"#proposal-{proposal.pk}")
    assert cast.enterprise_b.name in card.inner_text()
    assert "部分工种相符：焊工" in card.inner_text() and "可供 8 人 < 需 12 人" in card.inner_text()

    # And again from 我的用工信息, where the posting is listed.
    menu.get_by_role("button", name="平台", exact=True).click()
    journey.follow(lambda: menu.get_by_role("link", name="共享用工").click())
    assert page.inner_text("h1") == "我的用工信息"
    journey.follow(lambda: page.locator(f"a[href='{surplus.get_absolute_url()}']").click())
    assert page.locator(f"#proposal-{proposal.pk}").count() == 1
    journey.assert_clean()
