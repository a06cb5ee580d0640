"""Forms of the policy pages. They parse and check input; the services write."""

import json
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.files import MAX_FILES_PER_ACTION
from common.forms import BootstrapFormMixin, MultipleFileField
from enterprises.models import Industry, Ownership, Tier
from grids.models import District, GridTeam
from policies import facts as fact_registry
from policies.models import (
    Answer,
    ClauseCriterion,
    CriterionCase,
    FactSource,
    Policy,
    PolicyClause,
    PolicyLevel,
    PolicyState,
)
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
        """The chosen conditions in ``enterprises.registry.filters.EnterpriseFilter``'s terms."""
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


class ExplainForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("解读情况"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    visit = forms.ModelChoiceField(label=_("走访记录"), queryset=None, required=False, empty_label=_("（不关联走访）"))

    def __init__(self, *args, visits, choosable, **kwargs):
        """``visits``: those a posted id may name (the user's scope; the service checks the rest);
        ``choosable``: the ones offered, his recent visits to the enterprise."""
        super().__init__(*args, **kwargs)
        field = self.fields["visit"]
        field.queryset = visits
        field.choices = [("", field.empty_label)] + [
            (visit.pk, f"{timezone.localtime(visit.visited_at):%Y-%m-%d %H:%M} · {visit.get_mode_display()}")
            for visit in choosable
        ]


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


# --- Clauses, their criteria and test cases (staff pages; policies.services.clause_save writes) -------

SHARE_LEVELS = ("central", "municipal", "district", "zone")


class ClauseForm(forms.ModelForm):
    """A clause's own fields. On a new clause the number must be free (editing keeps the number)."""

    class Meta:
        model = PolicyClause
        fields = ["number", "title", "article", "mode", "amount_rule", "max_amount"] + [
            f"share_{level}" for level in SHARE_LEVELS
        ]
        widgets = {"amount_rule": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        if self.instance.pk:
            self.fields["number"].disabled = True

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = PolicyClause.objects.filter(policy=self.policy, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("本政策已有序号为 %(number)s 的条款。"), params={"number": number})
        return number

    def _post_clean(self):
        # The model's own checks (the shares adding up to 100) run in clause_save, with the criteria.
        pass

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "title": data["title"],
            "article": data["article"],
            "mode": data["mode"],
            "amount_rule": data["amount_rule"],
            "max_amount": data["max_amount"],
            "shares": {level: data[f"share_{level}"] or 0 for level in SHARE_LEVELS},
        }


TRUE_WORDS, FALSE_WORDS = {"true", "是", "1", "yes"}, {"false", "否", "0", "no"}


def parse_criterion_value(fact_key: str, operator: str, text: str):
    """The criterion's value as typed (``200``, ``是``, ``manufacturing``, ``a、b``) → the JSON it stores."""
    text = text.strip()
    definition = fact_registry.FACTS.get(fact_key)
    if operator in ("in", "not_in"):
        return [item for item in re.split(r"[,，、\s]+", text) if item]
    if definition is not None and definition.type == fact_registry.BOOL:
        lowered = text.lower()
        return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else text
    if definition is not None and definition.type == fact_registry.NUMBER:
        number = fact_registry.as_number(text)
        if number is None or not number.is_finite():
            return text
        return int(number) if number == number.to_integral_value() else float(number)
    return text


class CriterionForm(forms.Form):
    # Blank first choices: an extra row nobody touched posts nothing and is left out.
    fact = forms.ChoiceField(label=_("条件事项"), choices=lambda: [("", "—"), *fact_registry.fact_choices()])
    operator = forms.ChoiceField(label=_("比较方式"), choices=[("", "—"), *fact_registry.OPERATOR_LABELS.items()])
    value = forms.CharField(
        label=_("取值"), max_length=500, help_text=_("数字；是/否；代码；“属于 / 不属于”填多个代码，用顿号或逗号分隔。")
    )
    # A select rather than a checkbox: an empty extra row keeps its initial value and stays empty.
    weight = forms.ChoiceField(
        label=_("条件性质"), choices=[("hard", _("硬性条件")), ("soft", _("参考条件"))], initial="hard"
    )
    article = forms.CharField(label=_("条件出处"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["value"] = parse_criterion_value(data["fact"], data["operator"], data["value"])
        # The model states what a criterion may hold: ask it, on this row, so the error lands beside the field.
        criterion = ClauseCriterion(fact=data["fact"], operator=data["operator"], value=data["value"])
        try:
            criterion.clean()
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data

    def as_item(self) -> dict:
        data = self.cleaned_data
        return {
            "fact": data["fact"],
            "operator": data["operator"],
            "value": data["value"],
            "is_hard": data["weight"] == "hard",
            "article": data["article"],
        }


class CaseForm(forms.Form):
    name = forms.CharField(label=_("用例"), max_length=100)
    facts = forms.CharField(
        label=_("企业情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('JSON 对象，事项代码 → 取值，如 {"rd_spend": 300}；未列出的事项视为未知。'),
    )
    expected = forms.ChoiceField(label=_("预期结论"), choices=[("", "—"), *Answer.choices])

    def clean_facts(self):
        text = self.cleaned_data["facts"].strip() or "{}"
        try:
            facts = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("请填写 JSON 对象。")) from error
        case = CriterionCase(name="-", facts=facts, expected=Answer.UNKNOWN)
        try:
            case.clean()
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["facts"]) from error
        return facts

    def as_item(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "facts": data["facts"], "expected": data["expected"]}


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True, max_num=30, validate_max=True)
CaseFormSet = forms.formset_factory(CaseForm, extra=1, can_delete=True, max_num=30, validate_max=True)


def criterion_initial(clause: PolicyClause) -> list[dict]:
    def shown(value) -> str:
        if isinstance(value, list):
            return "、".join(str(item) for item in value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    return [
        {
            "fact": item.fact,
            "operator": item.operator,
            "value": shown(item.value),
            "weight": "hard" if item.is_hard else "soft",
            "article": item.article,
        }
        for item in clause.criteria.all()
    ]


def case_initial(clause: PolicyClause) -> list[dict]:
    return [
        {"name": case.name, "facts": json.dumps(case.facts, ensure_ascii=False), "expected": case.expected}
        for case in clause.cases.all()
    ]
