"""Forms of the procurement pages: they parse input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from platforms.procurement.models import PurchaseNeed, RetoolingCase, RetoolingState


class DateInput(forms.DateInput):
    input_type = "date"


class PurchaseNeedForm(BootstrapFormMixin, forms.ModelForm):
    """A need; staff also choose the buyer among the enterprises in their scope."""

    class Meta:
        model = PurchaseNeed
        fields = ["buyer", "item", "category", "quantity", "unit", "needed_by", "description"]
        widgets = {
            "needed_by": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "quantity": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0.01", "step": "0.01"}),
        }

    def __init__(self, *args, buyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if buyers is None:
            del self.fields["buyer"]
        else:
            self.fields["buyer"].queryset = buyers

    def _post_clean(self):
        # The service validates the model (and the rules a form cannot know) when it writes.
        pass


class DealForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("成交金额（万元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    deal_on = forms.DateField(label=_("成交日期"), widget=DateInput())
    item = forms.CharField(label=_("成交产品"), max_length=100, required=False, help_text=_("默认为推荐产品"))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class DeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("未达成原因"), max_length=500)


class RetoolingCaseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RetoolingCase
        fields = ["enterprise", "leader", "from_products", "to_products", "started_on", "state", "note"]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, enterprises, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].help_text = _("本人范围内的困难企业")
        self.fields["leader"].queryset = leaders

    def _post_clean(self):
        pass


class RetoolingAdvanceForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("新进展"), choices=RetoolingState.choices)
    note = forms.CharField(label=_("情况说明"), max_length=500, required=False)
