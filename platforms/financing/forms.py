"""Forms of the financing pages: they parse input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from platforms.financing import policy
from platforms.financing.models import AMOUNT_DIGITS, MAX_TERM_MONTHS, ExtensionKind, MatchmakingEvent
from platforms.financing.selectors import banks_visible

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"min_value": 0, "label": _("金额（万元）"), **AMOUNT_DIGITS}
NUMBER = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})


def _today():
    return timezone.localdate()


class NeedForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(widget=NUMBER, **{**AMOUNT, "label": _("融资需求（万元）")})
    purpose = forms.CharField(label=_("资金用途"), max_length=200)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=MAX_TERM_MONTHS)
    raised_on = forms.DateField(label=_("提出日期"), widget=DATE, initial=_today)
    event = forms.ModelChoiceField(
        label=_("对接会"),
        queryset=MatchmakingEvent.objects.order_by("-held_on"),
        required=False,
        empty_label=_("（无）"),
    )


class ReferForm(BootstrapFormMixin, forms.Form):
    bank = forms.ModelChoiceField(label=_("推荐银行"), queryset=None, empty_label=None)
    referred_on = forms.DateField(label=_("推荐日期"), widget=DATE, initial=_today)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks_visible(user=user).order_by("name")


class _GrantForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(widget=NUMBER, **AMOUNT)
    granted_on = forms.DateField(label=_("获批日期"), widget=DATE, initial=_today)


class LoanFieldsMixin(forms.Form):
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=MAX_TERM_MONTHS, initial=12)
    central_bank_reloan = forms.BooleanField(
        label=_("人民银行专项再贷款"), required=False, help_text=_("单独统计，不计入贷款发放额。")
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("未成功原因"), max_length=300)


class ApproveCreditForm(_GrantForm):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DisburseForm(LoanFieldsMixin, _GrantForm):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


STEP_FORMS = {
    policy.VISIT: NoteForm,
    policy.INTENT: NoteForm,
    policy.APPROVE_CREDIT: ApproveCreditForm,
    policy.DISBURSE: DisburseForm,
    policy.DECLINE: DeclineForm,
}


class _RecordForm(_GrantForm):
    bank = forms.ModelChoiceField(label=_("银行"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks_visible(user=user).order_by("name")
        self.order_fields(["bank", "amount", "granted_on"])


class CreditLineForm(_RecordForm):
    pass


class LoanForm(LoanFieldsMixin, _RecordForm):
    pass


class LoanExtensionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExtensionKind.choices)
    amount = forms.DecimalField(widget=NUMBER, **AMOUNT)
    approved_on = forms.DateField(label=_("获批日期"), widget=DATE, initial=_today)
    new_maturity_on = forms.DateField(label=_("新到期日"), widget=DATE)
