"""Forms for the phone pages: they parse input; the services decide and write."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.files import MAX_FILES_PER_VISIT
from common.forms import BootstrapFormMixin, MultipleFileField, MultipleFileInput
from common.periods import IsoWeek, recent_weeks
from fieldwork.models import TRACKING_REPORT_FIELDS, VISIT_REPORT_FIELDS, Visit, WeeklyTracking
from fieldwork.services import MAX_PROBLEMS, RaisedProblem
from issues.models import Category

ACCEPT_UPLOADS = "image/jpeg,image/png,.jpg,.jpeg,.png,.pdf,.docx,.xlsx"
# How far back an officer may fill in a missed week from the phone form.
TRACKING_WEEKS_BACK = 8


class VisitForm(BootstrapFormMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("照片或文件"),
        max_files=MAX_FILES_PER_VISIT,
        help_text=_("可多选；支持 JPG、PNG、PDF、DOCX、XLSX，单个不超过 10 MB。"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT_UPLOADS}),
    )
    # The idempotency key (Visit.client_key): a new one each time the form opens, renewed by
    # the page's script on a copy served offline (fieldwork/visit-queue.js).
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Visit
        fields = ["visited_at", *VISIT_REPORT_FIELDS]
        widgets = {
            "visited_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "mode": forms.RadioSelect,
            "met_with": forms.TextInput(attrs={"placeholder": _("如：李总（总经理）")}),
            "findings": forms.Textarea(attrs={"rows": 3, "placeholder": _("生产经营、诉求与建议等")}),
            "output_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
            "orders_trend": forms.RadioSelect,
            "employees": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            "capacity_use": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": "100"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["orders_trend"].choices = [("", _("未了解"))] + list(self.fields["orders_trend"].choices)[1:]
        # The rule is the service's (visit_create): findings, or at least one problem raised.
        self.fields["findings"].help_text = _("写明了解到的情况或所做的工作；已在下方登记发现的问题时可不填。")
        if not self.is_bound:
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("client_key", uuid.uuid4())


class ProblemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("问题标题"), max_length=120, required=True)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=Category.objects.order_by("code"), required=False, empty_label=_("（不确定）")
    )

    def to_problem(self) -> RaisedProblem:
        data = self.cleaned_data
        return RaisedProblem(title=data["title"], description=data["description"], category=data.get("category"))


ProblemFormSet = forms.formset_factory(ProblemForm, extra=1, max_num=MAX_PROBLEMS, validate_max=True)


def raised_problems(formset) -> list[RaisedProblem]:
    """The filled-in problems of a valid formset (blank extra forms are skipped)."""
    return [form.to_problem() for form in formset.forms if form.has_changed() and form.cleaned_data]


class WeeklyTrackingForm(BootstrapFormMixin, forms.ModelForm):
    week = forms.ChoiceField(label=_("跟踪周"))

    class Meta:
        model = WeeklyTracking
        fields = list(TRACKING_REPORT_FIELDS)
        widgets = {
            "mode": forms.RadioSelect,
            "orders_trend": forms.RadioSelect,
            "output_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
            "employees": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            "capacity_use": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": "100"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = ["week"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [(week.code, week.label()) for week in recent_weeks(TRACKING_WEEKS_BACK)]
        self.fields["orders_trend"].choices = [("", _("未了解"))] + list(self.fields["orders_trend"].choices)[1:]

    def clean_week(self) -> IsoWeek:
        return IsoWeek.parse(self.cleaned_data["week"])
