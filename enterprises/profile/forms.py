"""Forms of the standard-profile tabs and the enterprise's monthly figures.

Forms only parse and check input; the writes (and the rules that need the
database) are in ``enterprises.profile.services``. Service errors are put back
on the form with ``add_service_errors`` so they show next to the field.
"""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from enterprises.profile.models import EmploymentRecord, FiguresSubmission, OperatingIndicator, Product
from enterprises.profile.selectors import zone_enterprise_by_uscc
from enterprises.profile.services import PRODUCT_FIELDS
from enterprises.registry.models import Enterprise, Tier
from enterprises.registry.services import EDITABLE_FIELDS


class MonthField(forms.CharField):
    """A calendar month: ``2025-03`` (what ``<input type=month>`` sends), also
    ``2025-03-01`` or ``2025年3月``; cleaned to the first day of the month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-03"})
    pattern = re.compile(r"^\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*(?:月|(?:-|/)\d{1,2})?\s*$")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = self.pattern.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("请按“年-月”填写月份，例如 2025-03。"), code="invalid_month")
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


class BasicDataForm(BootstrapFormMixin, forms.Form):
    """基本信息: the fields ``enterprises.registry.services.EDITABLE_FIELDS`` allows."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, grids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(
            Enterprise,
            fields=EDITABLE_FIELDS,
            widgets={
                "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                "address": forms.TextInput(),
            },
        )
        model_fields["grid"].queryset = grids
        model_fields["grid"].empty_label = None
        self.fields.update(model_fields)
        self.style_fields()

    @classmethod
    def initial_for(cls, enterprise: Enterprise) -> dict:
        initial = {name: getattr(enterprise, name) for name in EDITABLE_FIELDS if name != "grid"}
        initial["grid"] = enterprise.grid_id
        initial["version"] = enterprise.updated_at.isoformat()
        return initial

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class TierChangeForm(BootstrapFormMixin, forms.Form):
    tier = forms.ChoiceField(label=_("新分类"), choices=Tier.choices)
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("例如：连续三个月产值下降超过30%")}),
        error_messages={"required": _("调整企业分类必须填写原因。")},
    )


class ServiceSavedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A model form that only parses input: the profile service builds, validates
    and saves the row, so the form must not touch (or validate) an instance."""

    def _post_clean(self):
        return None

    def limit_number(self, name: str, *, minimum=None, maximum=None) -> None:
        """Bounds on a model-made number field (validators plus the HTML hints)."""
        field = self.fields[name]
        if minimum is not None:
            field.validators.append(MinValueValidator(minimum))
            field.widget.attrs["min"] = minimum
        if maximum is not None:
            field.validators.append(MaxValueValidator(maximum))
            field.widget.attrs["max"] = maximum


class ProductForm(ServiceSavedModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_number("share_percent", minimum=0, maximum=100)
        self.limit_number("annual_output", minimum=0)


class SupplyLinkForm(BootstrapFormMixin, forms.Form):
    # The zone partner the form shows as chosen (the link's, or the one just picked); set by the view.
    chosen_partner: Enterprise | None = None

    direction = forms.ChoiceField(
        label=_("配套关系"),
        choices=[("upstream", _("上游供应商（向本企业供货）")), ("downstream", _("下游客户（采购本企业产品）"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="upstream",
    )
    partner = forms.CharField(
        label=_("区内企业"),
        required=False,
        help_text=_("输入名称或信用代码搜索区内企业；区外单位请填写下一栏。"),
        widget=forms.HiddenInput,
    )
    outside_name = forms.CharField(label=_("区外单位名称"), max_length=100, required=False)
    product = forms.CharField(label=_("配套产品"), max_length=100, required=False)
    annual_amount = forms.DecimalField(
        label=_("年配套额（万元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def clean_partner(self) -> Enterprise | None:
        uscc = self.cleaned_data.get("partner", "").strip()
        if not uscc:
            return None
        enterprise = zone_enterprise_by_uscc(uscc)
        if enterprise is None:
            raise ValidationError(_("区内没有该企业，请从搜索结果中选择。"))
        return enterprise


class EmploymentForm(ServiceSavedModelForm):
    month = MonthField(label=_("月份"))

    class Meta:
        model = EmploymentRecord
        fields = ("month", "headcount", "vacancies", "surplus")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("vacancies", "surplus"):
            self.fields[name].required = False  # blank means none
            self.fields[name].initial = 0


class IndicatorForm(ServiceSavedModelForm):
    month = MonthField(label=_("月份"))

    class Meta:
        model = OperatingIndicator
        fields = ("month", "output_value", "orders_value", "capacity_use", "energy_use")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_number("capacity_use", minimum=0, maximum=100)
        for name in ("output_value", "orders_value", "energy_use"):
            self.limit_number(name, minimum=0)


class FiguresSubmissionForm(ServiceSavedModelForm):
    """企业报送: the month's employment and operating figures as the enterprise reports them."""

    month = MonthField(label=_("月份"))

    class Meta:
        model = FiguresSubmission
        fields = (
            "month",
            "headcount",
            "vacancies",
            "surplus",
            "output_value",
            "orders_value",
            "capacity_use",
            "energy_use",
            "note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_number("capacity_use", minimum=0, maximum=100)
        for name in ("headcount", "vacancies", "surplus", "output_value", "orders_value", "energy_use"):
            self.limit_number(name, minimum=0)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class FiguresRejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("例如：在岗人数与社保参保人数不符")}),
        error_messages={"required": _("退回时必须填写原因。")},
    )
