"""Financing fixtures on top of the shared cast: two banks, the 金融服务办公室 and its user, a need of enterprise A."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from platforms.financing.access import FINANCE_BUREAU_CODE
from platforms.financing.models import Bank
from platforms.financing.services import need_create, referral_create
from tests.factories import BureauFactory, UserFactory

EARLY = datetime.date(2026, 3, 2)


@pytest.fixture
def fin(cast):
    office = BureauFactory(code=FINANCE_BUREAU_CODE, name="金融服务办公室")
    office_user = UserFactory(username="finance-office", role=Role.BUREAU_STAFF, bureau=office, name="钱科员")
    bank_1 = Bank.objects.create(name="重庆测试银行经开区支行", short_name="测试银行")
    bank_2 = Bank.objects.create(name="渝州示例银行经开区支行", short_name="示例银行")
    need_a = need_create(
        actor=cast.officer_a,
        enterprise=cast.enterprise_a,
        amount=Decimal("500"),
        purpose="购置设备",
        term_months=12,
        raised_on=EARLY,
    )
    need_b = need_create(
        actor=cast.officer_b,
        enterprise=cast.enterprise_b,
        amount=Decimal("300"),
        purpose="流动资金",
        term_months=6,
        raised_on=EARLY,
    )
    cast.office = office
    cast.office_user = office_user
    cast.bank_1 = bank_1
    cast.bank_2 = bank_2
    cast.need_a = need_a
    cast.need_b = need_b
    cast.referral_a = referral_create(actor=cast.officer_a, need=need_a, bank=bank_1, referred_on=EARLY)
    cast.referral_b = referral_create(actor=cast.officer_b, need=need_b, bank=bank_1, referred_on=EARLY)
    return cast
