"""Figures of the labour platform for the dashboards: database aggregates by date window.

A transfer counts on its start date and a proposal on the day it was made (agreed: the
day it was agreed), so a past month's figures never move. Windows are inclusive;
``date_from=None`` means from the beginning (to date). ``district_id`` counts a transfer
or proposal in the district of the receiving firm (where the workers work).
"""

import datetime

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from common.periods import date_window
from platforms.labour.models import LabourProposal, Transfer
from platforms.matching import proposals_made_and_agreed


def transfer_person_times(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> int:
    """Person-times of workers transferred between zone firms, by the transfer's start date."""
    transfers = Transfer.objects.filter(date_window("starts_on", date_from, date_to))
    if district_id is not None:
        transfers = transfers.filter(to_enterprise__grid__district_id=district_id)
    return transfers.aggregate(total=Coalesce(Sum("count"), 0))["total"]


def labour_proposal_counts(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> dict[str, int]:
    """``{"made": …, "agreed": …}``: proposals made in the window, and proposals agreed in it."""
    proposals = LabourProposal.objects.all()
    if district_id is not None:
        proposals = proposals.filter(demand__enterprise__grid__district_id=district_id)
    return proposals.aggregate(
        **proposals_made_and_agreed(date_from, date_to),
    )


def transfers_by_district(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> dict:
    """``{district id: person-times}`` of the window, the receiving firm's district, in one query."""
    rows = (
        Transfer.objects.filter(date_window("starts_on", date_from, date_to))
        .order_by()
        .values(district=F("to_enterprise__grid__district_id"))
        .annotate(total=Sum("count"))
    )
    return {row["district"]: row["total"] or 0 for row in rows}


def proposals_by_district(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> dict:
    """``{district id: {"made", "agreed"}}`` as ``labour_proposal_counts``, every district in one query."""
    rows = (
        LabourProposal.objects.order_by()
        .values(district=F("demand__enterprise__grid__district_id"))
        .annotate(
            **proposals_made_and_agreed(date_from, date_to),
        )
    )
    return {row["district"]: {"made": row["made"], "agreed": row["agreed"]} for row in rows}
