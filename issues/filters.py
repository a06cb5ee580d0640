"""The ledger filters, shared by the ledger page, its Excel export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Tier
from grids.models import Bureau, District, GridTeam, JointTaskForce
from grids.selectors import district_list, grid_team_choices
from issues.models import Category, Issue, Level, Source, State
from issues.selectors import due_soon_q, overdue_q


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    state = django_filters.MultipleChoiceFilter(label=_("状态"), choices=State.choices)
    level = django_filters.ChoiceFilter(label=_("办理层级"), choices=Level.choices)
    bureau = django_filters.ModelChoiceFilter(label=_("承办科室"), queryset=Bureau.objects.order_by("code"))
    task_force = django_filters.ModelChoiceFilter(label=_("联合服务专班"), queryset=JointTaskForce.objects.all())
    category = django_filters.ModelChoiceFilter(label=_("类别"), queryset=Category.objects.order_by("code"))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    due_soon = django_filters.BooleanFilter(label=_("即将到期"), method="filter_due_soon")
    district = django_filters.ModelChoiceFilter(
        label=_("片区"), field_name="enterprise__grid__district", queryset=District.objects.all()
    )
    grid = django_filters.ModelChoiceFilter(
        label=_("网格"), field_name="enterprise__grid", queryset=GridTeam.objects.all()
    )
    tier = django_filters.ChoiceFilter(label=_("企业分类"), field_name="enterprise__tier", choices=Tier.choices)
    created_from = django_filters.DateFilter(
        label=_("登记日期自"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_to = django_filters.DateFilter(
        label=_("登记日期至"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("due_on", "due_on"), ("created_at", "created_at")),
        field_labels={"due_on": _("办结时限"), "created_at": _("登记时间")},
    )

    class Meta:
        model = Issue
        fields = [
            "q",
            "state",
            "level",
            "bureau",
            "task_force",
            "category",
            "source",
            "overdue",
            "due_soon",
            "district",
            "grid",
            "tier",
            "created_from",
            "created_to",
            "sort",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = user or getattr(self.request, "user", None)
        if user is not None:
            # Offer only the districts and grids the user may see.
            self.filters["district"].queryset = district_list(user=user)
            self.filters["grid"].queryset = grid_team_choices(user=user)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
                widget.attrs.setdefault("size", 3)
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(title__icontains=value) | Q(enterprise__name__icontains=value)
        if value.lstrip("#").isdigit():
            condition |= Q(pk=int(value.lstrip("#")))
        return queryset.filter(condition)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(today=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        condition = due_soon_q(today=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
