"""Bank-enterprise financing (银企对接): banks, matchmaking events, needs, referrals and outcomes.

Not loan accounting: these are the figures the office reports — credit lines
granted, loans granted, extensions and renewals, central-bank re-loans — each
a record of its own with its date, so a month's figure is the sum of the
records dated in it and never moves when a later record is added.

All amounts are in 万元, as the office writes them (the dashboards show 亿元).
"""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from enterprises.models import Enterprise
from platforms.records import raise_errors, written_by

# The smallest amount a record may carry: 0.01 万元 (100 元). Zero or less is refused.
MIN_AMOUNT = Decimal("0.01")
AMOUNT_DIGITS = {"max_digits": 12, "decimal_places": 2}
MAX_TERM_MONTHS = 360


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, on the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return datetime.date(year, month_index + 1, min(day.day, last_day))


def _positive(value: Decimal | None, field: str, errors: dict) -> None:
    if value is not None and value < MIN_AMOUNT:
        errors.setdefault(field, []).append(_("金额必须大于 0。"))


def _not_future(value: datetime.date | None, field: str, errors: dict) -> None:
    if value is not None and value > timezone.localdate():
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))


def _term_in_range(months: int | None, errors: dict) -> None:
    if months is not None and not 1 <= months <= MAX_TERM_MONTHS:
        errors.setdefault("term_months", []).append(_("期限须在 1 至 %(max)s 个月之间。") % {"max": MAX_TERM_MONTHS})


class Bank(TimeStampedModel):
    name = models.CharField(_("银行名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=20)
    branch = models.CharField(_("对接网点"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("银行")
        verbose_name_plural = _("银行")

    def __str__(self) -> str:
        return self.short_name or self.name


class MatchmakingEvent(TimeStampedModel):
    """One 银企对接会: the banks and enterprises present, and where and when it was held."""

    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    banks = models.ManyToManyField(Bank, verbose_name=_("参会银行"), related_name="events", blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("参会企业"), related_name="financing_events", blank=True
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("银企对接会")
        verbose_name_plural = _("银企对接会")
        indexes = [models.Index(fields=["held_on"])]  # the figures by date window

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("financing:event_detail", args=[self.pk])


class FinancingNeed(TimeStampedModel):
    """What an enterprise needs: an amount, what for and for how long; optionally raised at an event."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="financing_needs"
    )
    event = models.ForeignKey(
        MatchmakingEvent,
        verbose_name=_("对接会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    amount = models.DecimalField(_("融资需求（万元）"), **AMOUNT_DIGITS)
    purpose = models.CharField(_("资金用途"), max_length=200)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), validators=[MinValueValidator(1)])
    raised_on = models.DateField(_("提出日期"))
    created_by = written_by(_("登记人"))

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        indexes = [models.Index(fields=["enterprise", "-raised_on"])]

    def __str__(self) -> str:
        return _("%(enterprise)s 融资需求 %(amount)s 万元") % {"enterprise": self.enterprise, "amount": self.amount}

    def get_absolute_url(self) -> str:
        return reverse("financing:need_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict = {}
        _positive(self.amount, "amount", errors)
        _term_in_range(self.term_months, errors)
        _not_future(self.raised_on, "raised_on", errors)
        raise_errors(errors)


class ReferralState(models.TextChoices):
    REFERRED = "referred", _("已推荐")
    VISITED = "visited", _("银行已走访")
    INTENT = "intent", _("达成意向")
    CREDIT_APPROVED = "credit_approved", _("授信获批")
    DISBURSED = "disbursed", _("已放款")
    DECLINED = "declined", _("未成功")


# The pipeline in order, as the board shows it.
PIPELINE = (
    ReferralState.REFERRED,
    ReferralState.VISITED,
    ReferralState.INTENT,
    ReferralState.CREDIT_APPROVED,
    ReferralState.DISBURSED,
    ReferralState.DECLINED,
)
OPEN_STATES = (ReferralState.REFERRED, ReferralState.VISITED, ReferralState.INTENT, ReferralState.CREDIT_APPROVED)


class Referral(TimeStampedModel):
    """A need referred to one bank, and how far it got. Its state changes only through
    ``services`` (each change an append-only ``ReferralEvent``)."""

    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.CASCADE, related_name="referrals"
    )
    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="referrals")
    state = models.CharField(_("状态"), max_length=20, choices=ReferralState.choices, default=ReferralState.REFERRED)
    referred_on = models.DateField(_("推荐日期"))
    decline_reason = models.CharField(_("未成功原因"), max_length=300, blank=True)
    # Bumped on every transition: a copy loaded before someone else moved it is refused.
    version = models.PositiveIntegerField(_("版本"), default=0)

    # Who changed what and when (common.audit shows it to managers and admins).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("银行推荐")
        verbose_name_plural = _("银行推荐")
        constraints = [models.UniqueConstraint(fields=["need", "bank"], name="financing_referral_need_bank_unique")]
        indexes = [models.Index(fields=["state", "-referred_on"])]  # the board, one column per state

    def __str__(self) -> str:
        return f"{self.need.enterprise} → {self.bank}"

    def get_absolute_url(self) -> str:
        return reverse("financing:need_detail", args=[self.need_id])

    def clean(self) -> None:
        errors: dict = {}
        _not_future(self.referred_on, "referred_on", errors)
        if self.referred_on and self.need_id and self.referred_on < self.need.raised_on:
            errors.setdefault("referred_on", []).append(_("推荐日期不能早于需求提出日期。"))
        if self.state == ReferralState.DECLINED and not self.decline_reason.strip():
            errors.setdefault("decline_reason", []).append(_("请填写未成功的原因。"))
        raise_errors(errors)


class ReferralEvent(models.Model):
    """One step of a referral: who, when, from what to what, and why. Never edited or deleted."""

    referral = models.ForeignKey(Referral, verbose_name=_("银行推荐"), on_delete=models.CASCADE, related_name="events")
    actor = written_by(_("操作人"), blank=False)
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReferralState.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("推荐进展")
        verbose_name_plural = _("推荐进展")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.from_state}→{self.to_state}"


class _Granted(TimeStampedModel):
    """What a credit line and a loan share: who, from which bank, how much, when, and the referral behind it."""

    # Each concrete model declares ``enterprise``, ``bank`` and ``referral`` (their reverse names differ).
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT_DIGITS)
    granted_on = models.DateField(_("获批日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = written_by(_("登记人"))

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict = {}
        _positive(self.amount, "amount", errors)
        _not_future(self.granted_on, "granted_on", errors)
        referral = self.referral if self.referral_id else None
        if referral is not None:
            if self.enterprise_id and referral.need.enterprise_id != self.enterprise_id:
                errors.setdefault("referral", []).append(_("该推荐属于另一家企业。"))
            if self.bank_id and referral.bank_id != self.bank_id:
                errors.setdefault("referral", []).append(_("该推荐对接的是另一家银行。"))
            if self.granted_on and self.granted_on < referral.referred_on:
                errors.setdefault("granted_on", []).append(_("获批日期不能早于推荐日期。"))
        raise_errors(errors)


class CreditLine(_Granted):
    """贷款授信: a credit line a bank granted an enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_lines"
    )
    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="credit_lines")
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("银行推荐"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_line",
    )

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("贷款授信")
        verbose_name_plural = _("贷款授信")
        indexes = [models.Index(fields=["granted_on"]), models.Index(fields=["enterprise", "-granted_on"])]

    def __str__(self) -> str:
        return _("%(enterprise)s %(bank)s 授信 %(amount)s 万元") % {
            "enterprise": self.enterprise,
            "bank": self.bank,
            "amount": self.amount,
        }


class Loan(_Granted):
    """贷款: a loan granted. ``central_bank_reloan`` marks 人民银行专项再贷款, which the
    office reports separately (FACTS.md lists them beside, not inside, the loans granted)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="loans")
    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="loans")
    referral = models.OneToOneField(
        Referral, verbose_name=_("银行推荐"), null=True, blank=True, on_delete=models.SET_NULL, related_name="loan"
    )
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), validators=[MinValueValidator(1)])
    central_bank_reloan = models.BooleanField(
        _("人民银行专项再贷款"), default=False, help_text=_("单独统计，不计入贷款发放额。")
    )

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("贷款")
        verbose_name_plural = _("贷款")
        indexes = [
            models.Index(fields=["central_bank_reloan", "granted_on"]),
            models.Index(fields=["enterprise", "-granted_on"]),
        ]

    def __str__(self) -> str:
        return _("%(enterprise)s %(bank)s 贷款 %(amount)s 万元") % {
            "enterprise": self.enterprise,
            "bank": self.bank,
            "amount": self.amount,
        }

    @property
    def matures_on(self) -> datetime.date | None:
        if self.granted_on is None or not self.term_months:
            return None
        return add_months(self.granted_on, self.term_months)

    def clean(self) -> None:
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.message_dict
        _term_in_range(self.term_months, errors)
        raise_errors(errors)


class ExtensionKind(models.TextChoices):
    RENEWAL = "renewal", _("续贷")
    EXTENSION = "extension", _("展期")


class LoanExtension(TimeStampedModel):
    """A renewal (续贷) or an extension (展期) approved on a loan: its own record, with its own date."""

    loan = models.ForeignKey(Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="extensions")
    kind = models.CharField(_("类型"), max_length=12, choices=ExtensionKind.choices)
    amount = models.DecimalField(_("金额（万元）"), **AMOUNT_DIGITS)
    approved_on = models.DateField(_("获批日期"))
    new_maturity_on = models.DateField(_("新到期日"))
    recorded_by = written_by(_("登记人"))

    class Meta:
        ordering = ["-approved_on", "-id"]
        verbose_name = _("贷款展期续贷")
        verbose_name_plural = _("贷款展期续贷")
        indexes = [models.Index(fields=["approved_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.approved_on}"

    def clean(self) -> None:
        errors: dict = {}
        _positive(self.amount, "amount", errors)
        _not_future(self.approved_on, "approved_on", errors)
        loan = self.loan if self.loan_id else None
        if loan is not None:
            if self.approved_on and self.approved_on <= loan.granted_on:
                errors.setdefault("approved_on", []).append(_("获批日期必须晚于原贷款发放日期。"))
            if self.amount is not None and self.amount > loan.amount:
                errors.setdefault("amount", []).append(_("金额不能超过原贷款金额。"))
            if self.new_maturity_on and loan.matures_on and self.new_maturity_on <= loan.matures_on:
                errors.setdefault("new_maturity_on", []).append(_("新到期日必须晚于原到期日。"))
        if self.new_maturity_on and self.approved_on and self.new_maturity_on <= self.approved_on:
            errors.setdefault("new_maturity_on", []).append(_("新到期日必须晚于获批日期。"))
        raise_errors(errors)
