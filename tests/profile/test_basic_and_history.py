"""Editing the basic data, and the audit history that shows who changed what."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Product
from enterprises.profile.history import profile_history
from enterprises.profile.services import employment_record_save, product_create, product_update
from tests.profile.conftest import HTMX

pytestmark = pytest.mark.django_db


def basic_form(enterprise: Enterprise, **changes) -> dict:
    data = {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "ownership": enterprise.ownership,
        "industry": enterprise.industry,
        "grid": enterprise.grid_id,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
        "phone": enterprise.phone,
        "employees": enterprise.employees,
        "founded_on": "",
        "registered_capital": "",
        "main_products": enterprise.main_products,
        "version": enterprise.updated_at.isoformat(),
    }
    if enterprise.above_scale:
        data["above_scale"] = "on"
    data.update(changes)
    return data


def edit_url(enterprise) -> str:
    return reverse("enterprises:profile_basic_edit", args=[enterprise.pk])


class TestBasicData:
    def test_an_officer_edits_the_basic_data_and_the_page_reloads(self, cast, client_for):
        enterprise = cast.enterprise_a

        response = client_for(cast.officer_a).post(
            edit_url(enterprise), basic_form(enterprise, address="重庆经开区腾飞路66号", employees=300), **HTMX
        )

        assert response.status_code == 200
        assert response["HX-Refresh"] == "true"
        enterprise.refresh_from_db()
        assert (enterprise.address, enterprise.employees) == ("重庆经开区腾飞路66号", 300)

    def test_without_htmx_the_form_redirects_to_the_tab(self, cast, client_for):
        response = client_for(cast.manager).post(
            edit_url(cast.enterprise_a), basic_form(cast.enterprise_a, phone="023-60000000")
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("enterprises:profile_basic", args=[cast.enterprise_a.pk])

    def test_a_bad_value_keeps_the_form_with_its_data_and_changes_nothing(self, cast, client_for):
        enterprise = cast.enterprise_a
        before = Enterprise.objects.filter(pk=enterprise.pk).values().get(), enterprise.history.count()

        response = client_for(cast.officer_a).post(
            edit_url(enterprise), basic_form(enterprise, uscc="91500108MA5U0000X0", address="新地址"), **HTMX
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "统一社会信用代码" in page and "新地址" in page
        assert "is-invalid" in page
        assert (Enterprise.objects.filter(pk=enterprise.pk).values().get(), enterprise.history.count()) == before

    def test_an_officer_cannot_move_an_enterprise_to_a_grid_outside_his_own(self, cast, client_for):
        enterprise = cast.enterprise_a

        client_for(cast.officer_a).post(edit_url(enterprise), basic_form(enterprise, grid=cast.grid_b.pk), **HTMX)

        enterprise.refresh_from_db()
        assert enterprise.grid == cast.grid_a

    def test_a_manager_may_move_an_enterprise_to_another_grid(self, cast, client_for):
        enterprise = cast.enterprise_a

        client_for(cast.manager).post(edit_url(enterprise), basic_form(enterprise, grid=cast.grid_b.pk), **HTMX)

        enterprise.refresh_from_db()
        assert enterprise.grid == cast.grid_b

    def test_saving_an_unchanged_form_writes_no_history(self, cast, client_for):
        before = cast.enterprise_a.history.count()

        client_for(cast.officer_a).post(edit_url(cast.enterprise_a), basic_form(cast.enterprise_a), **HTMX)

        assert cast.enterprise_a.history.count() == before

    def test_a_stale_form_does_not_overwrite_someone_elses_edit(self, cast, client_for):
        enterprise = cast.enterprise_a
        stale = basic_form(enterprise, address="旧表单的地址")
        client_for(cast.manager).post(edit_url(enterprise), basic_form(enterprise, address="领导刚改的地址"), **HTMX)

        response = client_for(cast.officer_a).post(edit_url(enterprise), stale, **HTMX)

        assert "已被他人修改" in response.content.decode()
        enterprise.refresh_from_db()
        assert enterprise.address == "领导刚改的地址"


class TestAuditHistory:
    def test_records_who_changed_which_field_with_old_and_new_values(self, cast, client_for):
        enterprise = cast.enterprise_a
        client_for(cast.officer_a).post(
            edit_url(enterprise), basic_form(enterprise, address="重庆经开区腾飞路66号", above_scale="on"), **HTMX
        )

        latest = enterprise.history.latest()
        entry = profile_history(enterprise=enterprise)[0]

        assert latest.history_user == cast.officer_a
        assert entry.user_name == "张网格"
        assert (entry.action, entry.subject) == ("~", "基本信息")
        changes = {change.label: (change.old, change.new) for change in entry.changes}
        assert changes == {"地址": ("（空）", "重庆经开区腾飞路66号"), "规上企业": ("否", "是")}

    def test_the_history_tab_shows_the_change_in_chinese(self, cast, client_for):
        enterprise = cast.enterprise_a
        client_for(cast.manager).post(edit_url(enterprise), basic_form(enterprise, ownership="state"), **HTMX)

        page = client_for(cast.manager).get(reverse("enterprises:profile_history", args=[enterprise.pk]), **HTMX)

        html = page.content.decode()
        assert "王主任" in html
        assert "所有制：" in html
        assert "<del>民营</del>" in html and "国有</ins>" in html

    def test_grid_changes_show_grid_names(self, cast, client_for):
        enterprise = cast.enterprise_a
        client_for(cast.manager).post(edit_url(enterprise), basic_form(enterprise, grid=cast.grid_b.pk), **HTMX)

        entry = profile_history(enterprise=enterprise)[0]

        assert [(c.label, c.old, c.new) for c in entry.changes] == [("网格工作组", "甲网格", "乙网格")]

    def test_products_and_monthly_figures_are_in_the_history_too(self, cast):
        enterprise = cast.enterprise_a
        product = product_create(enterprise=enterprise, actor=cast.officer_a, name="制动器总成", share_percent=60)
        product_update(product=product, actor=cast.leader_a, share_percent=70)
        employment_record_save(
            enterprise=enterprise, actor=cast.officer_a, month=product.created_at.date(), headcount=80
        )

        entries = profile_history(enterprise=enterprise)

        by_subject = {(entry.subject, entry.action): entry for entry in entries}
        created = by_subject[("产品：制动器总成", "+")]
        assert created.user_name == "张网格"
        assert ("占比（%）", "", "60") in [(c.label, c.old, c.new) for c in created.changes]
        changed = by_subject[("产品：制动器总成", "~")]
        assert changed.user_name == "李片长"
        assert [(c.label, c.old, c.new) for c in changed.changes] == [("占比（%）", "60", "70")]
        assert any(subject.startswith("用工情况：") for subject, _action in by_subject)

    def test_deleted_products_stay_in_the_history(self, cast, client_for):
        product = Product.objects.create(enterprise=cast.enterprise_a, name="转向节")

        client_for(cast.officer_a).post(
            reverse("enterprises:profile_product_delete", args=[cast.enterprise_a.pk, product.pk]), **HTMX
        )

        entry = profile_history(enterprise=cast.enterprise_a)[0]
        assert (entry.action, entry.subject, entry.user_name) == ("-", "产品：转向节", "张网格")


class TestWhoReadsTheHistory:
    """变更记录 follows the portal's one rule (``common.audit.may_see_change_history``):
    managers and administrators read it; officers, leaders and the enterprise do not."""

    def history_url(self, enterprise) -> str:
        return reverse("enterprises:profile_history", args=[enterprise.pk])

    @pytest.mark.parametrize("who", ["officer_a", "leader_a", "enterprise_user_a"])
    def test_others_get_no_history_tab_and_no_history(self, cast, client_for, who):
        client = client_for(getattr(cast, who))
        client_for(cast.manager).post(edit_url(cast.enterprise_a), basic_form(cast.enterprise_a, phone="023-1"), **HTMX)

        tab = client.get(self.history_url(cast.enterprise_a), **HTMX)
        detail = client.get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))
        full_page = client.get(reverse("enterprises:profile_products", args=[cast.enterprise_a.pk]))

        assert tab.status_code == 404
        assert "王主任" not in tab.content.decode()
        assert (detail.status_code, full_page.status_code) == (200, 200)
        assert self.history_url(cast.enterprise_a) not in detail.content.decode()
        assert self.history_url(cast.enterprise_a) not in full_page.content.decode()

    @pytest.mark.parametrize("who", ["manager", "admin"])
    def test_managers_and_admins_read_it(self, cast, client_for, who):
        client = client_for(getattr(cast, who))
        enterprise = cast.enterprise_a
        client_for(cast.officer_a).post(edit_url(enterprise), basic_form(enterprise, phone="023-1"), **HTMX)

        tab = client.get(self.history_url(cast.enterprise_a), **HTMX)
        detail = client.get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))
        full_page = client.get(reverse("enterprises:profile_products", args=[cast.enterprise_a.pk]))

        assert tab.status_code == 200
        assert "张网格" in tab.content.decode()
        assert self.history_url(cast.enterprise_a) in detail.content.decode()
        assert self.history_url(cast.enterprise_a) in full_page.content.decode()

    def test_the_tab_and_the_tab_lists_ask_the_one_rule(self, cast, client_for, monkeypatch):
        """Not a copy of the rule: the view holds common.audit's function itself, and the
        detail page's and the full page's tab lists follow it when it changes."""
        from common import audit
        from enterprises.profile import views

        assert views.may_see_change_history is audit.may_see_change_history
        monkeypatch.setattr(views, "may_see_change_history", lambda user: True)
        client = client_for(cast.officer_a)

        detail = client.get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))
        full_page = client.get(reverse("enterprises:profile_products", args=[cast.enterprise_a.pk]))
        tab = client.get(self.history_url(cast.enterprise_a), **HTMX)

        assert self.history_url(cast.enterprise_a) in detail.content.decode()
        assert self.history_url(cast.enterprise_a) in full_page.content.decode()
        assert tab.status_code == 200
