"""Forms of the incident pages: they parse input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from emergency.models import CallOutcome, Kind, RecoveryStep
from emergency.services import Report
from enterprises.models import Enterprise
from grids.models import District, GridTeam

TEXT = 500


class DeclareForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("事件类型"), choices=Kind.choices)
    is_exercise = forms.BooleanField(label=_("这是一次演练"), required=False)
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("情况说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    whole_district = forms.BooleanField(label=_("本片区全部企业"), required=False)
    grids = forms.ModelMultipleChoiceField(
        label=_("受影响网格（其全部企业）"),
        queryset=GridTeam.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("或逐家选择企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, district: District | None, **kwargs):
        super().__init__(*args, **kwargs)
        grids = GridTeam.objects.order_by("code")
        enterprises = Enterprise.objects.select_related("grid").order_by("grid__code", "name")
        if district is not None:
            grids = grids.filter(district=district)
            enterprises = enterprises.filter(grid__district=district)
        else:
            del self.fields["whole_district"]
        self.fields["grids"].queryset = grids
        self.fields["enterprises"].queryset = enterprises
        self.fields["enterprises"].label_from_instance = lambda e: f"{e.name}（{e.grid.name}）"


class ReportForm(BootstrapFormMixin, forms.Form):
    arrived_at = forms.DateTimeField(
        label=_("网格员到场时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    evacuated = forms.IntegerField(
        label=_("已撤离人数"), min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    on_site = forms.IntegerField(
        label=_("仍在现场人数"), min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    goods_moved = forms.CharField(label=_("物资转移"), max_length=TEXT, required=False)
    damage = forms.CharField(label=_("受损情况"), max_length=TEXT, required=False)
    needs = forms.CharField(label=_("需求"), max_length=TEXT, required=False)
    recovery_steps = forms.MultipleChoiceField(
        label=_("已完成的恢复措施"), choices=RecoveryStep.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    restored_on = forms.DateField(
        label=_("恢复生产日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("备注"), max_length=TEXT, required=False)

    def report(self) -> Report:
        # The form's fields are the Report's, as the API serializer's are.
        return Report(**self.cleaned_data)


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("联系结果"), choices=CallOutcome.choices, error_messages={"required": _("请选择联系结果。")}
    )
    note = forms.CharField(label=_("备注"), max_length=TEXT, required=False)


class CloseForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("结束说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
