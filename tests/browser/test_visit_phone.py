"""On a 375-px phone an officer logs a visit with one problem in well under a minute,
sees it on the enterprise's timeline, and the problem is a submitted issue in the ledger."""

import time

import pytest
from django.urls import reverse

from fieldwork.models import Visit
from issues.models import Source, State
from tests.conftest import browser_login
from tests.fieldwork.conftest import JPEG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_a_visit_with_a_problem_on_a_phone(phone_page, live_server, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "门口.jpg"
    photo.write_bytes(JPEG_BYTES)
    page = phone_page
    started = time.monotonic()

    browser_login(page, live_server, "officer-a")
    assert page.url.endswith("/fieldwork/")
    page.get_by_role("link", name="登记走访").click()
    page.fill("#enterprise-query", "甲企业")
    result = page.locator(".enterprise-results .card", has_text=cast.enterprise_a.name)
    result.get_by_role("link", name="走访").click()
    page.wait_for_selector("form.visit-form")

    page.fill("input[name=met_with]", "李总（总经理）")
    page.fill("textarea[name=findings]", "二期厂房已封顶，订单排产至明年一季度。")
    page.get_by_text("下降", exact=True).click()
    page.fill("input[name=employees]", "320")
    page.fill("input[name=problems-0-title]", "二期用电负荷不足")
    page.fill("textarea[name=problems-0-description]", "二期投产后需增容 2000 千伏安。")
    page.set_input_files("input[name=attachments]", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#submit-visit")

    page.wait_for_selector(".timeline-visit")
    elapsed = time.monotonic() - started
    timeline = page.locator("#enterprise-timeline")
    assert "二期厂房已封顶" in timeline.inner_text()
    assert "二期用电负荷不足" in timeline.inner_text()
    assert "1 个问题已提交问题台账" in page.content()
    assert page.locator("img.attachment-thumb").count() == 1
    assert elapsed < 60

    # The problem is in the ledger (问题台账) the officer follows.
    page.goto(f"{live_server.url}{reverse('issues:ledger')}")
    assert "二期用电负荷不足" in page.content()
    # Each row is rendered once: on the phone the table row is a card, no wider than the screen.
    row = page.locator(".issue-table tr.issue-row", has_text="二期用电负荷不足")
    assert row.is_visible() and row.locator(".issue-category").is_hidden()
    assert page.locator(".issue-table thead").is_hidden()
    assert row.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    visit = Visit.objects.get()
    issue = visit.raised_issues.get()
    assert (visit.enterprise, visit.officer, visit.orders_trend, visit.employees) == (
        cast.enterprise_a,
        cast.officer_a,
        "down",
        320,
    )
    assert (issue.title, issue.state, issue.source, issue.enterprise) == (
        "二期用电负荷不足",
        State.SUBMITTED,
        Source.VISIT,
        cast.enterprise_a,
    )
