"""Forms of the labour pages: they parse input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from platforms.labour.models import PostingKind, Skill
from platforms.records import ENDS_BEFORE_STARTS, ends_before_starts

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostingForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("企业"))
    kind = forms.ChoiceField(choices=PostingKind.choices, label=_("类型"), widget=forms.RadioSelect)
    skills = forms.MultipleChoiceField(
        choices=Skill.choices, label=_("工种"), widget=forms.CheckboxSelectMultiple, help_text=_("可多选")
    )
    skills_note = forms.CharField(label=_("技能说明"), max_length=200, required=False)
    count = forms.IntegerField(label=_("人数"), min_value=1, max_value=100000)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises, fixed_enterprise=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if fixed_enterprise is not None or editing:
            # An enterprise user posts for its own firm; a posting never changes firm or kind.
            del self.fields["enterprise"]
        if editing:
            del self.fields["kind"]

    def clean(self):
        data = super().clean()
        if ends_before_starts(data.get("starts_on"), data.get("ends_on")):
            raise ValidationError({"ends_on": ENDS_BEFORE_STARTS})
        return data


class TransferForm(BootstrapFormMixin, forms.Form):
    count = forms.IntegerField(label=_("调配人次"), min_value=1, max_value=100000)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    workers_consent = forms.BooleanField(label=_("已征得员工本人同意"), required=False)
    contract_unchanged = forms.BooleanField(label=_("员工与原企业的劳动合同关系不变"), required=False)
    no_fee = forms.BooleanField(label=_("双方及平台不收取任何费用"), required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("未达成原因"), max_length=500)
