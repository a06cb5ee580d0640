"""Filters of the visit and tracking lists, shared by the pages, the API and the exports.

The grid and enterprise choices come from the user's scope, so a filter can
never name something the user may not see (an out-of-scope id is "not a valid
choice", the same answer as an id that does not exist).
"""

import datetime
import operator
from functools import reduce

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import style_fields
from enterprises.models import Tier
from fieldwork.models import RISK_FIELDS, ContactMode, Visit, WeeklyTracking
from fieldwork.selectors import fieldwork_enterprises, fieldwork_grids

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
YES_NO_ALL = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])


class _ScopedFilterSet(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(label=_("企业"), queryset=None, widget=forms.HiddenInput)
    q = django_filters.CharFilter(label=_("企业名称"), method="filter_enterprise_name")
    grid = django_filters.ModelChoiceFilter(
        label=_("网格"), field_name="enterprise__grid", queryset=None, empty_label=_("全部")
    )
    mode = django_filters.ChoiceFilter(label=_("方式"), choices=ContactMode.choices, empty_label=_("全部"))

    def __init__(self, data=None, queryset=None, *, request=None, user=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The user of the request, or given (an export job runs outside any request).
        if user is None and request is not None:
            user = request.user
        self.filters["enterprise"].queryset = fieldwork_enterprises(user=user)
        self.filters["grid"].queryset = fieldwork_grids(user=user)

    @property
    def form(self):
        form = super().form
        style_fields(form.fields)
        return form

    def filter_enterprise_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value))


class VisitFilter(_ScopedFilterSet):
    date_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="visited_at", lookup_expr="date__gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="visited_at", lookup_expr="date__lte", widget=DATE_INPUT
    )
    has_difficulties = django_filters.BooleanFilter(label=_("存在困难"), widget=YES_NO_ALL)

    class Meta:
        model = Visit
        fields = ["enterprise", "q", "grid", "date_from", "date_to", "mode", "has_difficulties"]


class WeeklyTrackingFilter(_ScopedFilterSet):
    # A week is in the range when any of its seven days is.
    date_from = django_filters.DateFilter(label=_("起始日期"), method="filter_week_ends_after", widget=DATE_INPUT)
    date_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="week_start", lookup_expr="lte", widget=DATE_INPUT
    )
    tier = django_filters.ChoiceFilter(
        label=_("企业分类"), field_name="enterprise__tier", choices=Tier.choices, empty_label=_("全部")
    )
    at_risk = django_filters.BooleanFilter(label=_("有风险"), method="filter_at_risk", widget=YES_NO_ALL)

    class Meta:
        model = WeeklyTracking
        fields = ["enterprise", "q", "grid", "date_from", "date_to", "mode", "tier", "at_risk"]

    def filter_week_ends_after(self, queryset, name, value):
        return queryset.filter(week_start__gte=value - datetime.timedelta(days=6))

    def filter_at_risk(self, queryset, name, value):
        risky = reduce(operator.or_, (Q(**{name: True}) for name in RISK_FIELDS))
        if value is None:
            return queryset
        return queryset.filter(risky) if value else queryset.exclude(risky)
