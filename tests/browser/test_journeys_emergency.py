"""The manager declares an incident and watches the roll-call fill: the enterprise acknowledges from
its home, the officer (on his phone's home first) confirms a second enterprise by phone and reports
its people from the gate,
and the manager's board, left open and never reloaded, counts each of them as they come in."""

import pytest
from playwright.sync_api import expect

from emergency.models import AckMethod, AffectedEnterprise, Incident
from policies import eligibility
from tests.browser.journeys import Journey, open_context, sign_in, text_lines
from tests.conftest import PASSWORD
from tests.factories import EnterpriseFactory
from tests.policies.conftest import make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The board polls every 10 s (emergency.views.BOARD_REFRESH_SECONDS); allow for two rounds.
REFRESH = 25_000


@pytest.fixture
def phones(chromium):
    contexts = []

    def open_phone():
        context = open_context(chromium, phone=True)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def test_the_manager_declares_an_incident_and_watches_the_roll_call_fill(desktop_page, phones, live_server, cast):
    riverside = EnterpriseFactory(name="重庆临江船舶重工装备制造有限责任公司", grid=cast.grid_a, phone="023-6000001")
    make_policy()  # the officer's home lists what to collect from his enterprises for it
    eligibility.evaluate_enterprises()
    manager, page = Journey(desktop_page, live_server), desktop_page

    # Declare: 甲片区, the whole of 甲网格.
    sign_in(manager, "manager", PASSWORD)
    manager.go("/emergency/")
    manager.follow(lambda: page.get_by_role("link", name="发布应急事件").click())
    page.select_option("#district-pick", str(cast.district_a.pk))
    manager.follow(lambda: page.get_by_role("button", name="选择").click())
    page.select_option("select[name=kind]", index=0)
    page.fill("input[name=title]", "暴雨红色预警：沿江企业撤离")
    page.fill("textarea[name=description]", "请沿江企业立即组织人员撤离，并报告在场人数。")
    page.check(f"input[name=grids][value='{cast.grid_a.pk}']")
    manager.follow(lambda: page.get_by_role("button", name="发布并立即通知").click())
    incident = Incident.objects.get()
    assert page.url.endswith(f"/emergency/{incident.pk}/")
    assert AffectedEnterprise.objects.filter(incident=incident).count() == 2
    expect(page.locator("#total-acknowledged")).to_have_text("0 / 2")
    expect(page.locator("#unreached-list .rollcall-row")).to_have_count(2)

    # The enterprise acknowledges from its home, on its phone.
    enterprise_page = phones()
    enterprise = Journey(enterprise_page, live_server)
    sign_in(enterprise, "ent-a", PASSWORD)
    enterprise.go("/my/")
    enterprise.follow(lambda: enterprise_page.get_by_role("button", name="确认收到").click())
    assert "已确认收到" in enterprise_page.inner_text("main")

    # The manager's board counts it without a reload.
    expect(page.locator("#total-acknowledged")).to_have_text("1 / 2", timeout=REFRESH)
    expect(page.locator("#reached-list .rollcall-row", has_text=cast.enterprise_a.name)).to_have_count(1)
    expect(page.locator("#unreached-list .rollcall-row")).to_have_count(1)

    # The officer reaches the riverside enterprise by phone and reports its people from the gate.
    officer_page = phones()
    officer = Journey(officer_page, live_server)
    sign_in(officer, "officer-a", PASSWORD)
    # On the phone's home the 录入 buttons keep their label on one line beside a long company name.
    collect = officer_page.locator(".panel-missing-facts li", has_text=riverside.name).get_by_role("link", name="录入")
    assert text_lines(collect) == 1
    officer.go("/emergency/")
    officer.follow(lambda: officer_page.get_by_role("link", name="暴雨红色预警").click())
    row = officer_page.locator("#unreached-list .rollcall-row", has_text=riverside.name)
    officer.follow(lambda: row.get_by_role("button", name="已接通，代为确认").click())
    row = officer_page.locator("#reached-list .rollcall-row", has_text=riverside.name)
    officer.follow(lambda: row.get_by_role("link", name="登记现场情况").click())
    officer_page.fill("input[name=evacuated]", "46")
    officer_page.fill("input[name=on_site]", "3")
    officer_page.fill("input[name=needs]", "抽水泵 2 台")
    officer.follow(lambda: officer_page.get_by_role("button", name="保存").click())
    assert f"已登记 {riverside.name} 的情况" in officer_page.inner_text("main")
    acknowledged = AffectedEnterprise.objects.get(incident=incident, enterprise=riverside)
    assert acknowledged.ack_method == AckMethod.ON_BEHALF

    # All reached: the board's totals and lists follow, still without a reload.
    expect(page.locator("#total-acknowledged")).to_have_text("2 / 2", timeout=REFRESH)
    expect(page.locator("#total-evacuated")).to_have_text("46", timeout=REFRESH)
    expect(page.locator("#unreached-empty")).to_be_visible()
    riverside_card = page.locator("#reached-list .rollcall-row", has_text=riverside.name)
    expect(riverside_card).to_contain_text("代为确认")
    expect(riverside_card).to_contain_text("抽水泵 2 台")
    assert len([url for url in manager.pages if url.endswith(f"/emergency/{incident.pk}/")]) == 1
    manager.check()  # the refreshed board: accessible, no CSP violation

    for journey in (manager, enterprise, officer):
        journey.assert_clean()
