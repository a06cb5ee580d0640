"""Forms of the policy pages. They parse and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.files import MAX_FILES_PER_ACTION
from common.forms import MultipleFileField
from enterprises.models import Industry, Ownership, Tier
from grids.models import District, GridTeam
from policies import facts as fact_registry
from policies.models import FactSource, Policy, PolicyLevel, PolicyState
from policies.services import POLICY_FIELDS


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("政策层级"), required=False, choices=[("", _("全部层级")), *PolicyLevel.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *PolicyState.choices])
    industry = forms.ChoiceField(label=_("行业"), required=False, choices=[("", _("全部行业")), *Industry.choices])

    def apply(self, policies):
        data = self.cleaned_data
        if data.get("level"):
            policies = policies.filter(level=data["level"])
        if data.get("state"):
            policies = policies.filter(state=data["state"])
        if data.get("industry"):
            policies = filter_industry(policies, data["industry"])
        return policies


def filter_industry(policies, industry: str):
    """Policies meant for ``industry``: those naming it, and those open to every industry."""
    from django.db.models import Q

    return policies.filter(Q(target_industries=[]) | Q(target_industries__icontains=f'"{industry}"'))


class PolicyForm(forms.ModelForm):
    target_industries = forms.MultipleChoiceField(
        label=_("适用行业"),
        required=False,
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限行业。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Policy
        fields = list(POLICY_FIELDS)
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("effective_from", "effective_to", "apply_from", "apply_to")
        } | {
            "key_points": forms.Textarea(attrs={"rows": 5}),
            "applies_to": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }


class AttachmentForm(forms.Form):
    files = MultipleFileField(
        label=_("附件"), max_files=MAX_FILES_PER_ACTION, help_text=_("JPG、PNG、PDF、DOCX、XLSX，单个不超过 10 MB。")
    )


class PushForm(forms.Form):
    ONE, FILTERED, ELIGIBLE = "one", "filtered", "eligible"
    target = forms.ChoiceField(
        label=_("推送对象"),
        choices=[
            (ONE, _("指定企业")),
            (FILTERED, _("按条件筛选的企业")),
            (ELIGIBLE, _("匹配为符合、尚未推送的企业")),
        ],
        widget=forms.RadioSelect,
        initial=ONE,
    )
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, required=False)
    district = forms.ModelChoiceField(label=_("片区"), queryset=District.objects.all(), required=False)
    grid = forms.ModelChoiceField(label=_("网格"), queryset=GridTeam.objects.all(), required=False)
    tier = forms.ChoiceField(label=_("企业分类"), choices=[("", "—"), *Tier.choices], required=False)
    industry = forms.ChoiceField(label=_("行业"), choices=[("", "—"), *Industry.choices], required=False)
    ownership = forms.ChoiceField(label=_("所有制"), choices=[("", "—"), *Ownership.choices], required=False)
    above_scale = forms.NullBooleanField(label=_("规上企业"), required=False)
    note = forms.CharField(
        label=_("政策解读"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises

    def clean(self):
        data = super().clean()
        if data.get("target") == self.ONE and not data.get("enterprise"):
            self.add_error("enterprise", _("请选择企业。"))
        if data.get("target") == self.FILTERED and not any(
            data.get(name) not in (None, "")
            for name in ("district", "grid", "tier", "industry", "ownership", "above_scale")
        ):
            self.add_error("district", _("请至少选择一个筛选条件。"))
        return data

    def filter_params(self) -> dict:
        """The chosen conditions in ``enterprises.filters.EnterpriseFilter``'s terms."""
        data = self.cleaned_data
        params = {}
        for name in ("district", "grid"):
            if data.get(name):
                params[name] = data[name].pk
        for name in ("tier", "industry", "ownership"):
            if data.get(name):
                params[name] = data[name]
        if data.get("above_scale") is not None:
            params["above_scale"] = "true" if data["above_scale"] else "false"
        return params


class ExplainForm(forms.Form):
    note = forms.CharField(
        label=_("解读情况"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FactForm(forms.Form):
    key = forms.ChoiceField(label=_("采集事项"), choices=fact_registry.recorded_fact_choices)
    value = forms.CharField(label=_("取值"), max_length=30, help_text=_("金额填万元；是/否类填“是”或“否”。"))
    source = forms.ChoiceField(label=_("来源"), choices=FactSource.choices, initial=FactSource.VISIT)

    def clean(self):
        data = super().clean()
        if data.get("key") and data.get("value") is not None:
            try:
                data["parsed"] = fact_registry.parse_recorded_value(data["key"], data["value"])
            except ValueError as error:
                self.add_error("value", str(error))
        return data
