"""Credit lines, loans and extensions: validation, and the figures computed from the records."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from issues.errors import NotPermitted
from platforms.financing import figures, services
from platforms.financing.models import CreditLine, ExtensionKind, Loan, LoanExtension, add_months
from platforms.financing.services import event_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
APRIL = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _loan(fin, amount, on, *, reloan=False, enterprise=None, term=12):
    return services.loan_record(
        actor=fin.manager,
        enterprise=enterprise or fin.enterprise_a,
        bank=fin.bank_1,
        amount=Decimal(amount),
        granted_on=on,
        term_months=term,
        central_bank_reloan=reloan,
    )


def test_add_months_lands_on_the_last_day_of_a_short_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 12, 15), 12) == datetime.date(2027, 12, 15)


def test_adding_a_loan_moves_the_total_and_a_past_month_does_not(fin):
    _loan(fin, "1000", datetime.date(2026, 3, 10))
    assert figures.loans_granted(date_from=MARCH[0], date_to=MARCH[1]).amount == Decimal("1000")

    # When a loan dated in April is added
    _loan(fin, "250.50", datetime.date(2026, 4, 3), enterprise=fin.enterprise_b)

    # Then the total to date moves, and March does not
    to_date = figures.loans_granted(date_to=datetime.date(2026, 5, 20))
    assert (to_date.count, to_date.enterprises, to_date.amount) == (2, 2, Decimal("1250.50"))
    assert figures.loans_granted(date_from=MARCH[0], date_to=MARCH[1]).amount == Decimal("1000")
    assert figures.loans_granted(date_from=APRIL[0], date_to=APRIL[1]).amount == Decimal("250.50")


def test_reloans_are_counted_on_their_own_not_in_loans_granted(fin):
    _loan(fin, "1000", datetime.date(2026, 3, 10))
    _loan(fin, "3500", datetime.date(2026, 3, 12), reloan=True)
    assert figures.loans_granted().amount == Decimal("1000")
    reloans = figures.reloans_granted()
    assert (reloans.count, reloans.enterprises, reloans.amount, reloans.amount_yi) == (
        1,
        1,
        Decimal("3500"),
        Decimal("0.35"),
    )


def test_figures_per_district(fin):
    _loan(fin, "1000", datetime.date(2026, 3, 10))
    _loan(fin, "700", datetime.date(2026, 3, 10), enterprise=fin.enterprise_b)
    assert figures.loans_granted(district_id=fin.district_a.pk).amount == Decimal("1000")
    assert figures.loans_granted(district_id=fin.district_b.pk).amount == Decimal("700")


def test_credit_and_extensions_by_their_own_dates(fin):
    services.credit_line_record(
        actor=fin.office_user,
        enterprise=fin.enterprise_a,
        bank=fin.bank_2,
        amount=Decimal("800"),
        granted_on=datetime.date(2026, 3, 5),
    )
    loan = _loan(fin, "1000", datetime.date(2025, 9, 1), term=6)
    services.loan_extension_record(
        actor=fin.officer_a,
        loan=loan,
        kind=ExtensionKind.EXTENSION,
        amount=Decimal("400"),
        approved_on=datetime.date(2026, 2, 20),
        new_maturity_on=datetime.date(2026, 9, 1),
    )
    services.loan_extension_record(
        actor=fin.officer_a,
        loan=loan,
        kind=ExtensionKind.RENEWAL,
        amount=Decimal("600"),
        approved_on=datetime.date(2026, 4, 2),
        new_maturity_on=datetime.date(2027, 4, 1),
    )
    assert figures.credit_granted(date_from=MARCH[0], date_to=MARCH[1]).amount == Decimal("800")
    april = figures.extensions_granted(date_from=APRIL[0], date_to=APRIL[1])
    assert (april.count, april.amount) == (1, Decimal("600"))
    assert figures.extensions_granted().count == 2


def test_matchmaking_counts_events_banks_and_enterprises(fin):
    event_create(
        actor=fin.manager,
        title="银企对接会",
        held_on=datetime.date(2026, 3, 18),
        banks=[fin.bank_1, fin.bank_2],
        enterprises=[fin.enterprise_a, fin.enterprise_b],
    )
    event_create(
        actor=fin.office_user,
        title="第二场",
        held_on=datetime.date(2026, 4, 18),
        banks=[fin.bank_1],
        enterprises=[fin.enterprise_a],
    )
    assert figures.matchmaking() == figures.MatchmakingFigure(events=2, banks=2, enterprises=2)
    assert figures.matchmaking(date_from=APRIL[0]) == figures.MatchmakingFigure(events=1, banks=1, enterprises=1)
    assert figures.matchmaking(district_id=fin.district_b.pk) == figures.MatchmakingFigure(
        events=1, banks=2, enterprises=1
    )


def test_no_records_give_zeros():
    assert figures.loans_granted() == figures.AmountFigure(count=0, enterprises=0, amount=Decimal("0"))
    assert figures.matchmaking() == figures.MatchmakingFigure(events=0, banks=0, enterprises=0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"term_months": 0}, "term_months"),
        ({"granted_on": datetime.date(2026, 5, 21)}, "granted_on"),
    ],
)
def test_a_bad_loan_is_refused_naming_the_field_and_saves_nothing(fin, changes, field):
    data = {
        "actor": fin.manager,
        "enterprise": fin.enterprise_a,
        "bank": fin.bank_1,
        "amount": Decimal("100"),
        "granted_on": datetime.date(2026, 3, 1),
        "term_months": 12,
    } | changes
    with pytest.raises(ValidationError) as caught:
        services.loan_record(**data)
    assert field in caught.value.message_dict
    assert Loan.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"approved_on": datetime.date(2026, 3, 1)}, "approved_on"),  # the loan's own date
        ({"approved_on": datetime.date(2026, 2, 1)}, "approved_on"),  # before the loan
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("1000.01")}, "amount"),  # more than the loan
        ({"new_maturity_on": datetime.date(2026, 9, 1)}, "new_maturity_on"),  # before the loan's maturity
    ],
)
def test_a_bad_extension_is_refused_naming_the_field(fin, changes, field):
    loan = _loan(fin, "1000", datetime.date(2026, 3, 1), term=12)
    data = {
        "actor": fin.manager,
        "loan": loan,
        "kind": ExtensionKind.EXTENSION,
        "amount": Decimal("500"),
        "approved_on": datetime.date(2026, 5, 1),
        "new_maturity_on": datetime.date(2027, 9, 1),
    } | changes
    with pytest.raises(ValidationError) as caught:
        services.loan_extension_record(**data)
    assert field in caught.value.message_dict
    assert LoanExtension.objects.count() == 0


def test_an_officer_cannot_record_for_another_grid(fin):
    with pytest.raises(NotPermitted):
        services.credit_line_record(
            actor=fin.officer_b,
            enterprise=fin.enterprise_a,
            bank=fin.bank_1,
            amount=Decimal("10"),
            granted_on=datetime.date(2026, 3, 1),
        )
    assert CreditLine.objects.count() == 0
