"""Forms of the funding pages: they validate input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.forms import style_fields
from enterprises.registry.selectors import enterprises_visible
from grids.models import Bureau
from policies.funding import policy
from policies.funding.models import FundingApplication
from policies.models import ClauseMode, PolicyClause, PolicyState

AMOUNT_WIDGET = forms.NumberInput(
    attrs={"class": "form-control", "step": "0.01", "min": "0.01", "inputmode": "decimal"}
)


def _amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), widget=AMOUNT_WIDGET
    )


class ClauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, clause: PolicyClause) -> str:
        return f"{clause.policy.title} · {clause.title}"


def open_clauses():
    """Clauses an enterprise may apply for: published policies, not 免申即享."""
    return (
        PolicyClause.objects.filter(policy__state=PolicyState.PUBLISHED)
        .exclude(mode=ClauseMode.EXEMPT)
        .select_related("policy")
        .order_by("policy__title", "number")
    )


class ApplicationForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None)
    clause = ClauseChoiceField(label=_("政策条款"), queryset=None)
    amount_requested = _amount(_("申请金额（万元）"))
    reviewing_bureau = forms.ModelChoiceField(label=_("审核科室"), queryset=None)
    purpose = forms.CharField(
        label=_("申报说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = open_clauses()
        self.fields["reviewing_bureau"].queryset = Bureau.objects.order_by("name")
        if user.role == Role.ENTERPRISE_USER:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises_visible(user=user).order_by("name")
        style_fields(self.fields)


class ActionForm(forms.Form):
    """Base of the action forms: carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, application: FundingApplication, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["version"].initial = application.version
        style_fields(self.fields)

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class SubmitForm(ActionForm):
    action = policy.SUBMIT


class ReviewForm(ActionForm):
    action = policy.REVIEW
    note = forms.CharField(
        label=_("受理意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(ActionForm):
    action = policy.APPROVE
    amount = _amount(_("核定金额（万元）"))
    note = forms.CharField(
        label=_("审批意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        self.fields["amount"].initial = application.amount_requested


class RejectForm(ActionForm):
    action = policy.REJECT
    reason = forms.CharField(label=_("未通过原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DisburseForm(ActionForm):
    action = policy.DISBURSE
    level = forms.ChoiceField(label=_("资金层级"), choices=())
    amount = _amount(_("拨付金额（万元）"))
    on = forms.DateField(label=_("拨付日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        open_grants = [grant for grant in application.grants.all() if grant.remaining > 0]
        self.fields["level"].choices = [
            (
                grant.level,
                _("%(level)s（尚可拨付 %(left)s 万元）")
                % {"level": grant.get_level_display(), "left": grant.remaining},
            )
            for grant in open_grants
        ]
        self.fields["on"].initial = timezone.localdate()
        if open_grants:
            self.fields["amount"].initial = open_grants[0].remaining


ACTION_FORMS = {form.action: form for form in (SubmitForm, ReviewForm, ApproveForm, RejectForm, DisburseForm)}
