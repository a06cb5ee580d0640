"""The demo profile data: every enterprise gets products and 12 months of
figures, the vehicle chain links zone enterprises, and a second run adds nothing."""

import datetime
import io

import pytest

from enterprises.models import EmploymentRecord, Enterprise, OperatingIndicator, Product, SupplyLink, Tier
from enterprises.profile.demo import seed_demo_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def counts() -> tuple:
    return tuple(model.objects.count() for model in (Product, SupplyLink, EmploymentRecord, OperatingIndicator))


def content() -> list:
    return sorted(
        OperatingIndicator.objects.values_list("enterprise__uscc", "month", "output_value", "capacity_use")
    ) + sorted(
        (supplier or "", customer or "", outside, product)
        for supplier, customer, outside, product in SupplyLink.objects.values_list(
            "supplier__uscc", "customer__uscc", "outside_name", "product"
        )
    )


def test_profiles_for_every_demo_enterprise_deterministic_and_idempotent(demo_zone_without_profiles):
    seed_demo_data(stdout=io.StringIO(), today=TODAY)
    first = content()
    enterprises = Enterprise.objects.count()

    assert Product.objects.values("enterprise").distinct().count() == enterprises
    assert EmploymentRecord.objects.count() == OperatingIndicator.objects.count() == 12 * enterprises
    months = sorted(set(OperatingIndicator.objects.values_list("month", flat=True)))
    assert (months[0], months[-1]) == (datetime.date(2024, 6, 1), datetime.date(2025, 5, 1))
    zone_links = SupplyLink.objects.filter(supplier__isnull=False, customer__isnull=False)
    assert (
        zone_links.filter(customer__industry="automotive", customer__tier__in=[Tier.LEADING, Tier.BACKBONE]).count()
        > 20
    )
    assert zone_links.filter(supplier__tier=Tier.STRUGGLING).exists()
    assert SupplyLink.objects.exclude(outside_name="").exists()

    before = counts()
    seed_demo_data(stdout=io.StringIO(), today=TODAY)

    assert counts() == before
    assert content() == first


def test_struggling_enterprises_trend_down_and_have_workers_to_spare(demo_zone_without_profiles):
    seed_demo_data(stdout=io.StringIO(), today=TODAY)

    struggling = Enterprise.objects.filter(tier=Tier.STRUGGLING)
    first = OperatingIndicator.objects.filter(enterprise__in=struggling, month=datetime.date(2024, 7, 1))
    last = OperatingIndicator.objects.filter(enterprise__in=struggling, month=datetime.date(2025, 5, 1))
    assert sum(r.output_value for r in last) < sum(r.output_value for r in first)
    latest = EmploymentRecord.objects.filter(enterprise__in=struggling, month=datetime.date(2025, 5, 1))
    assert all(record.surplus > 0 and record.vacancies == 0 for record in latest)
    # The latest month agrees with the enterprise's own 从业人数 (within the noise).
    for record in latest.select_related("enterprise"):
        assert abs(record.headcount - max(record.enterprise.employees, 10)) <= 0.011 * record.headcount + 1
