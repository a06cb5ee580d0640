"""Forms of the supply-chain pages: they parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from platforms.supply_chain.models import Outcome


class OutcomeForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=[])
    outcome_on = forms.DateField(label=_("结果日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("结果说明"), max_length=300, required=False)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(value, label) for value, label in Outcome.choices if value in allowed]
