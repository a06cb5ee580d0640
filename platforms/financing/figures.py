"""The financing figures the office reports, for the dashboards (``analytics`` calls these).

Every function takes a date window — ``date_from`` and ``date_to``, both
inclusive, either None for open — and optionally a district. A record counts
by its own date (a credit line's or loan's ``granted_on``, an extension's
``approved_on``, an event's ``held_on``), so a month already past keeps its
figure when later records are added. "To date" is ``date_to=today`` with no
``date_from``. Each is one aggregate query; amounts are ``Decimal`` 万元
(``to_yi`` turns them into 亿元 for display).

Central-bank re-loans (人民银行专项再贷款) are loans flagged as such and are
reported on their own, *not* inside loans granted: FACTS.md lists 贷款 9.89 亿元
and 央行专项再贷款 2.35 亿元 side by side, and the article does the same.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum

from common.periods import date_window
from platforms.financing.models import CreditLine, Loan, LoanExtension, MatchmakingEvent

ZERO = Decimal("0")


def to_yi(amount_wan: Decimal | None) -> Decimal:
    """万元 → 亿元, to two decimals (13,500 万元 → 1.35 亿元)."""
    return ((amount_wan or ZERO) / Decimal(10000)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class AmountFigure:
    count: int
    enterprises: int
    amount: Decimal  # 万元

    @property
    def amount_yi(self) -> Decimal:
        return to_yi(self.amount)


@dataclass(frozen=True)
class MatchmakingFigure:
    events: int
    banks: int
    enterprises: int


def _window(qs: QuerySet, field: str, date_from: datetime.date | None, date_to: datetime.date | None) -> QuerySet:
    return qs.filter(date_window(field, date_from, date_to))


def _district(qs: QuerySet, enterprise_path: str, district_id: int | None) -> QuerySet:
    return qs if district_id is None else qs.filter(**{f"{enterprise_path}__grid__district_id": district_id})


def _amounts(qs: QuerySet, enterprise_field: str) -> AmountFigure:
    row = qs.order_by().aggregate(
        count=Count("pk"), enterprises=Count(enterprise_field, distinct=True), amount=Sum("amount")
    )
    return AmountFigure(count=row["count"], enterprises=row["enterprises"], amount=row["amount"] or ZERO)


def credit_granted(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> AmountFigure:
    """贷款授信: credit lines granted in the window."""
    qs = _district(_window(CreditLine.objects.all(), "granted_on", date_from, date_to), "enterprise", district_id)
    return _amounts(qs, "enterprise")


def loans_granted(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> AmountFigure:
    """贷款: loans granted in the window, central-bank re-loans not included."""
    qs = Loan.objects.filter(central_bank_reloan=False)
    qs = _district(_window(qs, "granted_on", date_from, date_to), "enterprise", district_id)
    return _amounts(qs, "enterprise")


def reloans_granted(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> AmountFigure:
    """央行专项再贷款: loans flagged as central-bank special re-loans, in the window."""
    qs = Loan.objects.filter(central_bank_reloan=True)
    qs = _district(_window(qs, "granted_on", date_from, date_to), "enterprise", district_id)
    return _amounts(qs, "enterprise")


def extensions_granted(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> AmountFigure:
    """贷款展期（含续贷）: renewals and extensions approved in the window (count = 笔)."""
    qs = _district(
        _window(LoanExtension.objects.all(), "approved_on", date_from, date_to), "loan__enterprise", district_id
    )
    return _amounts(qs, "loan__enterprise")


def matchmaking(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> MatchmakingFigure:
    """银企对接: events held in the window, the distinct banks and enterprises present at them.

    With a district, the enterprises are those of the district, and the events and
    banks those of events where at least one of them was present.
    """
    events = _window(MatchmakingEvent.objects.all(), "held_on", date_from, date_to)
    if district_id is None:
        # Distinct counts stay right across the two many-to-many joins.
        row = events.order_by().aggregate(
            events=Count("pk", distinct=True),
            banks=Count("banks", distinct=True),
            enterprises=Count("enterprises", distinct=True),
        )
        return MatchmakingFigure(events=row["events"], banks=row["banks"], enterprises=row["enterprises"])
    present = MatchmakingEvent.enterprises.through.objects.filter(
        matchmakingevent__in=events.values("pk"), enterprise__grid__district_id=district_id
    )
    attended = MatchmakingEvent.objects.filter(pk__in=present.values("matchmakingevent_id"))
    row = attended.order_by().aggregate(events=Count("pk", distinct=True), banks=Count("banks", distinct=True))
    enterprises = present.order_by().aggregate(enterprises=Count("enterprise_id", distinct=True))["enterprises"]
    return MatchmakingFigure(events=row["events"], banks=row["banks"], enterprises=enterprises)


def amounts_by_district(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> dict[str, dict[int, AmountFigure]]:
    """Credit, loans, re-loans and extensions of the window per district, one query each.

    The same records and dates as ``credit_granted`` … ``extensions_granted`` (a district is
    the enterprise's), for the monthly rows of every district at once.
    """
    sources = {
        "credit": (CreditLine.objects.all(), "granted_on", "enterprise"),
        "loans": (Loan.objects.filter(central_bank_reloan=False), "granted_on", "enterprise"),
        "reloans": (Loan.objects.filter(central_bank_reloan=True), "granted_on", "enterprise"),
        "extensions": (LoanExtension.objects.all(), "approved_on", "loan__enterprise"),
    }
    figures: dict[str, dict[int, AmountFigure]] = {}
    for key, (qs, date_field, enterprise_field) in sources.items():
        rows = (
            _window(qs, date_field, date_from, date_to)
            .order_by()
            .values(district=F(f"{enterprise_field}__grid__district_id"))
            .annotate(count=Count("pk"), enterprises=Count(enterprise_field, distinct=True), amount=Sum("amount"))
        )
        figures[key] = {
            row["district"]: AmountFigure(row["count"], row["enterprises"], row["amount"] or ZERO) for row in rows
        }
    return figures
