"""Forms of the space pages: they parse input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from enterprises.models import Industry
from grids.models import District
from platforms.space.models import AREA_RANGE_WRONG, BuildState, SpaceKind, area_range_wrong

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _decimal(label, *, required=True, places=2, digits=12):
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal("0.01"), max_digits=digits, decimal_places=places
    )


class ListingForm(BootstrapFormMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("权属企业"))
    kind = forms.ChoiceField(choices=SpaceKind.choices, label=_("类型"))
    title = forms.CharField(label=_("名称"), max_length=100)
    area_m2 = _decimal(_("面积（m²）"))
    floor_height_m = _decimal(_("层高（m）"), required=False, digits=5)
    floor_load_t_m2 = _decimal(_("承重（t/m²）"), required=False, digits=6)
    power_kva = forms.IntegerField(label=_("供电容量（kVA）"), required=False, min_value=0)
    address = forms.CharField(label=_("地址"), max_length=200)
    district = forms.ModelChoiceField(queryset=District.objects.order_by("code"), label=_("片区"))
    rent_yuan_m2_month = forms.DecimalField(
        label=_("租金（元/m²/月）"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    available_from = forms.DateField(label=_("可用日期"), widget=DATE)
    industries_allowed = forms.MultipleChoiceField(
        choices=Industry.choices, label=_("允许行业"), required=False, help_text=_("留空表示不限")
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    # The version the edit started from (an edit form only).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, enterprises, fixed=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = enterprises
        if fixed or editing:
            del self.fields["owner"]
        if editing:
            # A listing keeps its kind; the owner is fixed by whose it is.
            del self.fields["kind"]
        else:
            del self.fields["version"]


class DemandForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("需求企业"))
    kind = forms.ChoiceField(choices=SpaceKind.choices, label=_("类型"))
    area_min_m2 = _decimal(_("最小面积（m²）"))
    area_max_m2 = _decimal(_("最大面积（m²）"))
    min_height_m = _decimal(_("最低层高（m）"), required=False, digits=5)
    min_load_t_m2 = _decimal(_("最低承重（t/m²）"), required=False, digits=6)
    min_power_kva = forms.IntegerField(label=_("最低供电容量（kVA）"), required=False, min_value=0)
    preferred_districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.order_by("code"), label=_("意向片区"), required=False
    )
    needed_from = forms.DateField(label=_("需求日期"), widget=DATE)
    industry = forms.ChoiceField(
        choices=[("", _("与企业行业相同")), *Industry.choices], label=_("拟入驻行业"), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, enterprises, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if fixed:
            del self.fields["enterprise"]

    def clean(self):
        data = super().clean()
        if area_range_wrong(data.get("area_min_m2"), data.get("area_max_m2")):
            raise ValidationError({"area_max_m2": AREA_RANGE_WRONG})
        return data


class LeaseForm(BootstrapFormMixin, forms.Form):
    area_m2 = _decimal(_("租赁面积（m²）"))
    starts_on = forms.DateField(label=_("起租日期"), widget=DATE)
    ends_on = forms.DateField(label=_("到期日期"), widget=DATE)
    rent_yuan_m2_month = forms.DecimalField(label=_("租金（元/m²/月）"), min_value=0, max_digits=8, decimal_places=2)


class CustomBuildForm(BootstrapFormMixin, forms.Form):
    land = forms.ModelChoiceField(queryset=None, label=_("闲置土地"))
    builder = forms.ModelChoiceField(queryset=None, label=_("建设方"))
    tenant = forms.ModelChoiceField(queryset=None, label=_("使用方"))
    plant_area_m2 = _decimal(_("规划厂房面积（m²）"))
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, lands, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["land"].queryset = lands
        self.fields["builder"].queryset = enterprises
        self.fields["tenant"].queryset = enterprises


class AdvanceForm(forms.Form):
    to_state = forms.ChoiceField(choices=BuildState.choices)
    on = forms.DateField()
