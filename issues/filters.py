"""The ledger filters, shared by the ledger page, its Excel export and the API."""

import re

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from common.forms import style_fields
from enterprises.models import Tier
from grids.forms import offer_grids_by_district
from grids.models import Bureau, District, GridTeam, JointTaskForce
from grids.selectors import district_list, grid_team_choices
from issues import figures
from issues.models import Category, Issue, Level, Source, State, ledger_rank_of

ALL = _("全部")

# An issue number typed into the search box: ASCII digits only ("²".isdigit() is true, int("²") fails).
ISSUE_NUMBER = re.compile(r"#?([0-9]{1,18})")


class YesNoField(django_filters.fields.ChoiceField):
    """全部 / 是 / 否, cleaned to None / True / False.

    ``unknown`` (what the old 未知 option put in bookmarked URLs) means 全部.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return "" if value == "unknown" else value

    def clean(self, value):
        value = super().clean(value)
        return {"true": True, "false": False}.get(value)


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no condition that is either asked (``true``/``false``) or left out of the URL."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", _("是")), ("false", _("否"))])
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    # Several states at once (?state=a&state=b): checkboxes, shown in a drop-down on the page.
    # distinct=False: a state is a column of the issue, no join can repeat a row (django-filter's
    # default wraps the page query and its count in SELECT DISTINCT over every column).
    state = django_filters.MultipleChoiceFilter(
        label=_("状态"),
        choices=State.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        distinct=False,
        method="filter_state",
    )
    level = django_filters.ChoiceFilter(label=_("办理层级"), choices=Level.choices, empty_label=ALL)
    bureau = django_filters.ModelChoiceFilter(
        label=_("承办科室"), queryset=Bureau.objects.order_by("code"), empty_label=ALL
    )
    task_force = django_filters.ModelChoiceFilter(
        label=_("联合服务专班"), queryset=JointTaskForce.objects.all(), empty_label=ALL
    )
    category = django_filters.ModelChoiceFilter(
        label=_("类别"), queryset=Category.objects.order_by("code"), empty_label=ALL
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices, empty_label=ALL)
    overdue = YesNoFilter(label=_("已逾期"), method="filter_overdue")
    due_soon = YesNoFilter(label=_("即将到期"), method="filter_due_soon")
    district = django_filters.ModelChoiceFilter(
        label=_("片区"), field_name="enterprise__grid__district", queryset=District.objects.all(), empty_label=ALL
    )
    grid = django_filters.ModelChoiceFilter(
        label=_("网格"), field_name="enterprise__grid", queryset=GridTeam.objects.all(), empty_label=ALL
    )
    tier = django_filters.ChoiceFilter(
        label=_("企业分类"), field_name="enterprise__tier", choices=Tier.choices, empty_label=ALL
    )
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
        field_labels={
            "due_on": _("办结时限（由近到远）"),
            "-due_on": _("办结时限（由远到近）"),
            "created_at": _("登记时间（由早到晚）"),
            "-created_at": _("登记时间（由晚到早）"),
        },
        empty_label=_("默认（待办在前）"),
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
        style_fields(self.form.fields, small=True)
        if user is not None and scope_for(user).sees_zone:
            # A province's 3,000 grids are offered one district at a time.
            offer_grids_by_district(self.form, self.data, empty_label=ALL)

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        # The states' ranks too (the same rows): the ledger-order index then starts at the rank of
        # the states asked for, where ?state=closed read the 66,000 open and resolved issues of a
        # province before its first closed one.
        ranks = sorted({ledger_rank_of(state) for state in value})
        return queryset.filter(state__in=value, ledger_rank__in=ranks)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(title__icontains=value) | Q(enterprise__name__icontains=value)
        number = ISSUE_NUMBER.fullmatch(value)
        if number:
            condition |= Q(pk=int(number.group(1)))
        return queryset.filter(condition)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = figures.behind(today=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        condition = figures.nearly_behind(today=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
