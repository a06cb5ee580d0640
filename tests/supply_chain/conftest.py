"""Supply-chain tests: a small web of supply links around the cast."""

import pytest

from enterprises.models import Industry, Product, SupplyLink, Tier
from tests.factories import EnterpriseFactory


@pytest.fixture
def links(cast):
    """A (vehicles, grid A) buys 轴承 from S (struggling, grid A) and 车灯 from L (grid B);
    peer P (vehicles, grid A) has no supplier of either; M (grid B) makes 汽车车灯 for nobody in the zone yet."""
    cast.enterprise_a.industry = Industry.AUTOMOTIVE
    cast.enterprise_a.save()
    peer = EnterpriseFactory(name="重庆岳凯汽车零部件有限公司", industry=Industry.AUTOMOTIVE, grid=cast.grid_a)
    bearings = EnterpriseFactory(name="重庆昌汇精密轴承有限公司", tier=Tier.STRUGGLING, grid=cast.grid_a)
    lamps = EnterpriseFactory(name="重庆卓越车灯有限公司", grid=cast.grid_b)
    maker = EnterpriseFactory(name="重庆浩润光电有限公司", industry=Industry.ELECTRONICS, grid=cast.grid_b)
    buyer = EnterpriseFactory(
        name="重庆通达整车有限公司", industry=Industry.AUTOMOTIVE, tier=Tier.LEADING, grid=cast.grid_b
    )
    SupplyLink.objects.create(supplier=bearings, customer=cast.enterprise_a, product="轴承")
    SupplyLink.objects.create(supplier=lamps, customer=cast.enterprise_a, product="车灯")
    SupplyLink.objects.create(supplier=lamps, customer=buyer, product="车灯")
    Product.objects.create(enterprise=maker, name="汽车车灯", is_main=True)
    return type("Links", (), dict(peer=peer, bearings=bearings, lamps=lamps, maker=maker, buyer=buyer))
