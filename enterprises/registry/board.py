"""Who serves an enterprise, and its public notice board (公示牌).

The board hangs at the enterprise's gate and names, with phone numbers, the
zone grid chief (网格总负责人), the district leader (片区负责人) and the grid
officers (网格员). The same people appear on the enterprise's own home page
and on its profile, so they are worked out here once.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.shortcuts import get_object_or_404

from accounts.models import User
from enterprises.registry.models import Enterprise
from grids.models import Zone


@dataclass(frozen=True)
class GridPeople:
    zone_name: str
    zone_chief: User | None
    district_leader: User | None
    grid_leader: User | None
    # The grid team's officers, the team leader first when the leader is one of them.
    officers: list[User]


def grid_people_for(*, enterprise: Enterprise) -> GridPeople:
    """The people an enterprise calls: two queries (the zone and the officers).

    ``enterprise`` should come with ``grid__district__leader`` and
    ``grid__leader`` selected, as ``board_enterprise_get`` does.
    """
    zone = Zone.current()
    grid = enterprise.grid
    officers = list(grid.officers.filter(is_active=True).order_by("name", "username"))
    leader = grid.leader if grid.leader and grid.leader.is_active else None
    if leader is not None:
        # The team leader is a grid officer too; show them first and once.
        officers = [leader, *[officer for officer in officers if officer.pk != leader.pk]]
    district_leader = grid.district.leader
    zone_chief = zone.grid_chief if zone else None
    return GridPeople(
        zone_name=zone.name if zone else settings.PORTAL_ZONE_NAME,
        zone_chief=zone_chief if zone_chief and zone_chief.is_active else None,
        district_leader=district_leader if district_leader and district_leader.is_active else None,
        grid_leader=leader,
        officers=officers,
    )


def board_enterprise_get(*, token: str) -> Enterprise:
    """The enterprise behind a board token, else 404. No login: the token is the key."""
    return get_object_or_404(
        Enterprise.objects.select_related("grid__district__leader", "grid__leader"), board_token=token
    )


def board_qr_svg(*, url: str, title: str) -> str:
    """An inline SVG QR code of ``url``; it scales with CSS (no fixed size)."""
    return segno.make(url, error="m").svg_inline(
        scale=4, border=2, omitsize=True, svgclass="board-qr", title=title, dark="#000", light="#fff"
    )
