"""Filters of the funding API (the pages parse the same three: state, level, district)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from grids.models import District
from policies.funding.models import FundingApplication, FundingState
from policies.funding.selectors import SHARE_FIELDS
from policies.models import PolicyLevel


class FundingApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=FundingState.choices)
    level = django_filters.ChoiceFilter(label=_("资金层级"), choices=PolicyLevel.choices, method="filter_level")
    district = django_filters.ModelChoiceFilter(
        label=_("片区"), queryset=District.objects.all(), field_name="enterprise__grid__district"
    )
    enterprise = django_filters.NumberFilter(
        label=_("企业编号"), field_name="enterprise_id", min_value=1, max_value=2**31 - 1
    )
    policy = django_filters.NumberFilter(
        label=_("政策编号"), field_name="clause__policy_id", min_value=1, max_value=2**31 - 1
    )

    class Meta:
        model = FundingApplication
        fields = ["state", "level", "district", "enterprise", "policy"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(**{f"{SHARE_FIELDS[value]}__gt": 0}) if value else queryset
