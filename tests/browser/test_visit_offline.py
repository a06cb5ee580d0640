"""At a factory gate with no signal: the officer's visit form opens from the phone (service
worker), two visits with their problems and photos wait in the queue on the page, and when the
network returns each is sent and stored exactly once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork.models import Visit, VisitAttachment
from issues.models import Issue, Source
from tests.conftest import browser_login
from tests.fieldwork.conftest import JPEG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_visit(page, *, findings: str, problem: str, photo) -> None:
    page.fill("input[name=met_with]", "李总")
    page.fill("textarea[name=findings]", findings)
    page.fill("input[name=problems-0-title]", problem)
    page.fill("textarea[name=problems-0-description]", f"{problem}，需要协调。")
    page.set_input_files("input[name=attachments]", str(photo))


def test_visits_logged_offline_are_sent_once_when_the_network_returns(
    phone_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "门口.jpg"
    photo.write_bytes(JPEG_BYTES)
    page = phone_page
    context = page.context
    failed_requests, console_errors = [], []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("requestfailed", lambda request: failed_requests.append((request.url, request.failure)))

    browser_login(page, live_server, "officer-a")
    form_url = f"{live_server.url}{reverse('fieldwork:visit_create', args=[cast.enterprise_a.pk])}"
    page.goto(form_url)
    # The service worker is installed and this form is kept on the phone.
    page.wait_for_selector("#visit-queue[data-ready='1']", state="attached")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.locator("#visit-queue").is_hidden()
    assert page.locator("#offline-banner").is_hidden()

    # No signal: the form still opens, from the phone.
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("form.visit-form")
    assert page.locator("#offline-banner").is_visible()
    assert "当前没有网络" in page.locator("#offline-banner").inner_text()
    first_key = page.input_value("input[name=client_key]")

    fill_visit(page, findings="门口登记：厂房已封顶。", problem="二期用电负荷不足", photo=photo)
    page.click("#submit-visit")
    page.wait_for_selector("#visit-queue .queued-visit")
    assert page.locator("#visit-queue-notice").inner_text() == "已保存在本机，联网后自动发送。"
    # The form is ready for the next visit, with a new key.
    second_key = page.input_value("input[name=client_key]")
    assert second_key != first_key
    assert page.input_value("textarea[name=findings]") == ""

    fill_visit(page, findings="第二次登记：订单饱满。", problem="招工困难", photo=photo)
    page.click("#submit-visit")
    expect(page.locator("#visit-queue .queued-visit")).to_have_count(2)
    queue = page.locator("#visit-queue")
    assert queue.is_visible()
    assert page.locator("#visit-queue-count").inner_text() == "2"
    rows = page.locator("#visit-queue .queued-visit")
    assert rows.nth(0).get_attribute("data-state") == "waiting"
    assert "甲企业有限公司" in rows.nth(0).inner_text()
    assert "问题 1 个 · 附件 1 个" in rows.nth(0).inner_text()
    assert "待发送" in rows.nth(1).inner_text()
    assert Visit.objects.count() == 0  # nothing left the phone

    # Kept on the phone: a reload while still offline shows the same queue.
    page.reload()
    expect(page.locator("#visit-queue .queued-visit[data-state='waiting']")).to_have_count(2)

    # The network returns: both are sent, each once.
    context.set_offline(False)
    expect(page.locator("#visit-queue .queued-visit[data-state='sent']")).to_have_count(2, timeout=20000)
    assert page.locator("#visit-queue-count").inner_text() == "0"
    assert page.locator("#offline-banner").is_hidden()
    visits = list(Visit.objects.order_by("findings"))
    assert [visit.findings for visit in visits] == ["第二次登记：订单饱满。", "门口登记：厂房已封顶。"]
    assert {str(visit.client_key) for visit in visits} == {first_key, second_key}
    assert all(visit.officer == cast.officer_a and visit.enterprise == cast.enterprise_a for visit in visits)
    # The time was preset to now in the portal's zone (Asia/Shanghai), though this browser runs in UTC.
    assert all(abs(timezone.now() - visit.visited_at) < datetime.timedelta(minutes=10) for visit in visits)
    assert sorted(Issue.objects.values_list("title", "source")) == [
        ("二期用电负荷不足", Source.VISIT),
        ("招工困难", Source.VISIT),
    ]
    assert VisitAttachment.objects.count() == 2
    assert set(VisitAttachment.objects.values_list("original_name", flat=True)) == {"门口.jpg"}

    # Another page load (and its sync) sends nothing again.
    page.reload()
    page.wait_for_selector("#visit-queue[data-ready='1']", state="attached")
    page.wait_for_timeout(500)
    assert page.locator("#visit-queue .queued-visit").count() == 0
    assert Visit.objects.count() == 2
    assert Issue.objects.count() == 2

    # The sent visit opens from its link.
    page.goto(f"{live_server.url}{visits[0].get_absolute_url()}")
    assert "订单饱满" in page.content()
    # No console error (a CSP violation would be one) and no failed request, offline included.
    assert console_errors == []
    assert failed_requests == []


def test_signing_out_drops_the_kept_pages(phone_page, live_server, cast):
    page = phone_page
    browser_login(page, live_server, "officer-a")
    page.goto(f"{live_server.url}{reverse('fieldwork:visit_create', args=[cast.enterprise_a.pk])}")
    page.wait_for_selector("#visit-queue[data-ready='1']", state="attached")
    assert page.evaluate("caches.open('jk-pages').then(c => c.keys()).then(k => k.length)") == 1

    # Signing out ends on the sign-in page: the next officer on this phone gets none of these pages.
    with page.expect_navigation(url="**/accounts/login/"):
        page.locator("form[action='/accounts/logout/']").evaluate("form => form.submit()")
    assert page.evaluate("caches.open('jk-pages').then(c => c.keys()).then(k => k.length)") == 0


def test_a_visit_whose_sending_fails_on_a_weak_signal_is_kept_and_sent_later(
    phone_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "门口.jpg"
    photo.write_bytes(JPEG_BYTES)
    page = phone_page
    browser_login(page, live_server, "officer-a")
    form_url = f"{live_server.url}{reverse('fieldwork:visit_create', args=[cast.enterprise_a.pk])}"
    page.goto(form_url)
    page.wait_for_selector("#visit-queue[data-ready='1']", state="attached")

    # The phone believes it is online, but the visit's POST never reaches the server.
    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/visits/new/", drop_posts)
    fill_visit(page, findings="信号弱时登记。", problem="道路积水", photo=photo)
    page.click("#submit-visit")
    expect(page.locator("#visit-queue .queued-visit[data-state='waiting']")).to_have_count(1)
    assert Visit.objects.count() == 0

    # The signal is back: the next page load sends it, once.
    page.unroute("**/visits/new/", drop_posts)
    page.reload()
    expect(page.locator("#visit-queue .queued-visit[data-state='sent']")).to_have_count(1, timeout=20000)
    visit = Visit.objects.get()
    assert (visit.findings, visit.raised_issues.get().title, visit.attachments.count()) == (
        "信号弱时登记。",
        "道路积水",
        1,
    )
