"""Each profile tab reads in a fixed number of queries, however much data there is."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import EmploymentRecord, OperatingIndicator, Product, SupplyLink, Tier, TierChange
from enterprises.profile.services import product_update
from tests.factories import EnterpriseFactory
from tests.profile.conftest import HTMX

pytestmark = pytest.mark.django_db

TABS = ["basic", "products", "supply", "employment", "indicators", "tier", "history"]
# Session, user, scope, enterprise, can-edit and the tab's own reads; the
# history tab reads five history tables and the names they point to.
MAX_QUERIES = {"history": 12}
DEFAULT_MAX = 8


def add_profile_data(cast, serial, count: int) -> None:
    enterprise = cast.enterprise_a
    for number in itertools.islice(serial, count):
        partner = EnterpriseFactory(grid=cast.grid_b if number % 2 else cast.grid_a)
        product = Product.objects.create(enterprise=enterprise, name=f"产品{number}")
        product_update(product=product, actor=cast.officer_a, category=f"类别{number}")
        SupplyLink.objects.create(supplier=partner, customer=enterprise, product=f"配件{number}")
        SupplyLink.objects.create(supplier=enterprise, outside_name=f"区外客户{number}", product="整车")
        month = datetime.date(2024 - number // 12, number % 12 + 1, 1)
        EmploymentRecord.objects.create(enterprise=enterprise, month=month, headcount=100 + number)
        OperatingIndicator.objects.create(enterprise=enterprise, month=month, output_value=Decimal(number))
        TierChange.objects.create(
            enterprise=enterprise,
            to_tier=Tier.GROWTH,
            reason=f"调整{number}",
            changed_by=cast.manager,
            changed_at=enterprise.created_at,
        )


@pytest.mark.parametrize(
    ("persona", "tab"),
    [
        (persona, tab)
        for persona in ["officer_a", "leader_a", "manager", "enterprise_user_a"]
        for tab in TABS
        # 变更记录 is the managers' and administrators' (common.audit.may_see_change_history).
        if tab != "history" or persona == "manager"
    ],
)
def test_tab_queries_stay_the_same_as_data_grows(cast, client_for, django_assert_max_num_queries, tab, persona):
    client = client_for(getattr(cast, persona))
    url = reverse(f"enterprises:profile_{tab}", args=[cast.enterprise_a.pk])
    serial = itertools.count()
    limit = MAX_QUERIES.get(tab, DEFAULT_MAX)

    add_profile_data(cast, serial, 2)
    with django_assert_max_num_queries(limit):
        assert client.get(url, **HTMX).status_code == 200

    add_profile_data(cast, serial, 25)
    with django_assert_max_num_queries(limit):
        assert client.get(url, **HTMX).status_code == 200


def test_the_full_profile_page_has_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.officer_a)
    url = reverse("enterprises:profile_supply", args=[cast.enterprise_a.pk])
    serial = itertools.count()

    add_profile_data(cast, serial, 2)
    with django_assert_max_num_queries(9):
        client.get(url)
    add_profile_data(cast, serial, 25)
    with django_assert_max_num_queries(9):
        client.get(url)
