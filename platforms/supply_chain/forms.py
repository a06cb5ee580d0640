"""Forms of the supply-chain pages: they parse input; the services decide and write."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from enterprises.models import Enterprise
from platforms.supply_chain.models import Direction, Outcome


class OutcomeForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=[])
    outcome_on = forms.DateField(label=_("结果日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("结果说明"), max_length=300, required=False)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(value, label) for value, label in Outcome.choices if value in allowed]


class RecommendationForm(BootstrapFormMixin, forms.Form):
    """A recommendation entered by hand: which zone firm to which, which way, for what and why.

    ``parties`` are the firms the user may name (``selectors.recommendation_parties``). An
    enterprise user recommends as its own firm (no ``by_enterprise`` field); staff may name
    the recommending firm or leave it empty (the officer recommends). Whether the user may
    record it for these firms is the service's rule.
    """

    for_enterprise = forms.ModelChoiceField(label=_("受推荐企业"), queryset=Enterprise.objects.none())
    recommended = forms.ModelChoiceField(
        label=_("被推荐企业"), queryset=Enterprise.objects.none(), help_text=_("推荐给对方的采购商或供应商")
    )
    direction = forms.ChoiceField(label=_("推荐类型"), choices=Direction.choices)
    product = forms.CharField(label=_("产品"), max_length=100)
    reason = forms.CharField(label=_("推荐理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    by_enterprise = forms.ModelChoiceField(
        label=_("推荐企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("代企业登记时选择；网格人员本人推荐时留空"),
    )

    def __init__(self, *args, parties: QuerySet[Enterprise], recommenders: QuerySet[Enterprise] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["for_enterprise"].queryset = parties
        self.fields["recommended"].queryset = parties
        if recommenders is None:
            del self.fields["by_enterprise"]
            self.fields["for_enterprise"].help_text = _("限本企业的上下游配套企业")
        else:
            self.fields["by_enterprise"].queryset = recommenders
