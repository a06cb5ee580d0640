"""The project form: it parses input; the service checks the figures per kind and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from platforms.service_projects import selectors
from platforms.service_projects.models import AMOUNT_DIGITS, Kind, ProjectState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {
    "required": False,
    "widget": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    **AMOUNT_DIGITS,
}


class ProjectForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=Kind.choices)
    title = forms.CharField(label=_("项目名称"), max_length=120)
    bureau = forms.ModelChoiceField(label=_("责任单位"), queryset=None, empty_label=None)
    state = forms.ChoiceField(label=_("状态"), choices=ProjectState.choices)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE, required=False)
    completed_on = forms.DateField(
        label=_("完成日期"), widget=DATE, required=False, help_text=_("完成后填写，按此日期统计。")
    )
    saving_amount = forms.DecimalField(label=_("节约成本（万元）"), help_text=_("能源智管降本项目填写"), **AMOUNT)
    tax_reduced = forms.DecimalField(label=_("减少税费（万元）"), help_text=_("鼓励类产业确认项目填写"), **AMOUNT)
    units_sold = forms.IntegerField(
        label=_("增加销量（套）"), required=False, min_value=0, help_text=_("直播带货项目填写")
    )
    sales_amount = forms.DecimalField(label=_("销售金额（万元）"), help_text=_("直播带货项目填写"), **AMOUNT)
    children_count = forms.IntegerField(
        label=_("解决入学人数"), required=False, min_value=0, max_value=32767, help_text=_("高管子女入学项目填写")
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = selectors.recordable_bureaus(user=user).order_by("code")
