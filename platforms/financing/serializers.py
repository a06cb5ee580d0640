"""API shapes of financing. Serializers validate input; services write; the model rules decide."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api import StrictSerializer
from platforms.apis import ScopedField
from platforms.financing import policy, selectors
from platforms.financing.models import (
    AMOUNT_DIGITS,
    Bank,
    CreditLine,
    ExtensionKind,
    FinancingNeed,
    Loan,
    LoanExtension,
    MatchmakingEvent,
    Referral,
    ReferralEvent,
)

# --- Output ------------------------------------------------------------------


class BankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bank
        fields = ["id", "name", "short_name", "branch", "contact_name", "contact_phone"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    banks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    enterprise_count = serializers.IntegerField(read_only=True, help_text=_("参会企业总数"))
    enterprises = serializers.SerializerMethodField(help_text=_("参会企业中您权限范围内的企业 id"))

    class Meta:
        model = MatchmakingEvent
        fields = ["id", "title", "held_on", "place", "banks", "enterprise_count", "enterprises", "note"]
        read_only_fields = fields

    def get_enterprises(self, event) -> list[int]:
        return [enterprise.pk for enterprise in event.visible_enterprises]


class NeedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = FinancingNeed
        fields = ["id", "enterprise", "enterprise_name", "event", "amount", "purpose", "term_months", "raised_on"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="need.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="need.enterprise.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "need",
            "enterprise",
            "enterprise_name",
            "bank",
            "state",
            "state_display",
            "referred_on",
            "decline_reason",
            "version",
        ]
        read_only_fields = fields


class ReferralEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, default="")

    class Meta:
        model = ReferralEvent
        fields = ["id", "at", "action", "from_state", "to_state", "note", "actor", "actor_name"]
        read_only_fields = fields


class CreditLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditLine
        fields = ["id", "enterprise", "bank", "amount", "granted_on", "referral", "note"]
        read_only_fields = fields


class LoanSerializer(serializers.ModelSerializer):
    matures_on = serializers.DateField(read_only=True, help_text=_("到期日（发放日期加期限）"))

    class Meta:
        model = Loan
        fields = [
            "id",
            "enterprise",
            "bank",
            "amount",
            "granted_on",
            "term_months",
            "matures_on",
            "central_bank_reloan",
            "referral",
            "note",
        ]
        read_only_fields = fields


class LoanExtensionSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="loan.enterprise_id", read_only=True)

    class Meta:
        model = LoanExtension
        fields = ["id", "loan", "enterprise", "kind", "amount", "approved_on", "new_maturity_on"]
        read_only_fields = fields


# --- Input -------------------------------------------------------------------

AMOUNT = {"help_text": _("金额（万元），大于 0"), **AMOUNT_DIGITS}


class EventInput(StrictSerializer):
    reads_as = EventSerializer

    title = serializers.CharField(max_length=100)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    banks = ScopedField(selectors.banks_visible, many=True, required=False, default=list)
    enterprises = ScopedField(selectors.recordable_enterprises, many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NeedInput(StrictSerializer):
    reads_as = NeedSerializer

    enterprise = ScopedField(selectors.recordable_enterprises, help_text=_("您可登记融资信息的企业 id"))
    event = ScopedField(selectors.events_visible, required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(**AMOUNT)
    purpose = serializers.CharField(max_length=200)
    term_months = serializers.IntegerField(help_text=_("期限（月），1 至 360"))
    raised_on = serializers.DateField(required=False, help_text=_("默认为今天"))


class ReferralInput(StrictSerializer):
    reads_as = ReferralSerializer

    need = ScopedField(selectors.needs_visible)
    bank = ScopedField(selectors.banks_visible)
    referred_on = serializers.DateField(required=False, help_text=_("默认为今天"))


class _StepInput(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=0, help_text=_("读取时的版本号；他人已更新时返回 409"))


class NoteStepInput(_StepInput):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DeclineStepInput(_StepInput):
    reason = serializers.CharField(max_length=300)


class ApproveCreditStepInput(_StepInput):
    amount = serializers.DecimalField(**AMOUNT)
    granted_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DisburseStepInput(ApproveCreditStepInput):
    term_months = serializers.IntegerField(help_text=_("期限（月），1 至 360"))
    central_bank_reloan = serializers.BooleanField(required=False, default=False)


STEP_INPUTS = {
    policy.VISIT: NoteStepInput,
    policy.INTENT: NoteStepInput,
    policy.APPROVE_CREDIT: ApproveCreditStepInput,
    policy.DISBURSE: DisburseStepInput,
    policy.DECLINE: DeclineStepInput,
}


class CreditLineInput(StrictSerializer):
    reads_as = CreditLineSerializer

    enterprise = ScopedField(selectors.recordable_enterprises)
    bank = ScopedField(selectors.banks_visible)
    amount = serializers.DecimalField(**AMOUNT)
    granted_on = serializers.DateField()
    referral = ScopedField(selectors.referrals_visible, required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LoanInput(CreditLineInput):
    reads_as = LoanSerializer

    term_months = serializers.IntegerField(help_text=_("期限（月），1 至 360"))
    central_bank_reloan = serializers.BooleanField(
        required=False, default=False, help_text=_("人民银行专项再贷款：单独统计，不计入贷款发放额")
    )


class LoanExtensionInput(StrictSerializer):
    reads_as = LoanExtensionSerializer

    loan = ScopedField(selectors.loans_visible)
    kind = serializers.ChoiceField(choices=ExtensionKind.choices)
    amount = serializers.DecimalField(**AMOUNT)
    approved_on = serializers.DateField()
    new_maturity_on = serializers.DateField()
