"""The enterprise filters, shared by the list page, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.registry.models import Enterprise, Industry, Ownership, Tier
from grids.models import District, GridTeam


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    district = django_filters.ModelChoiceFilter(
        label=_("片区"), field_name="grid__district", queryset=District.objects.all()
    )
    grid = django_filters.ModelChoiceFilter(label=_("网格"), queryset=GridTeam.objects.all())
    tier = django_filters.ChoiceFilter(label=_("企业分类"), choices=Tier.choices)
    industry = django_filters.ChoiceFilter(label=_("行业"), choices=Industry.choices)
    ownership = django_filters.ChoiceFilter(label=_("所有制"), choices=Ownership.choices)
    above_scale = django_filters.BooleanFilter(label=_("规上企业"))

    class Meta:
        model = Enterprise
        fields = ["q", "district", "grid", "tier", "industry", "ownership", "above_scale"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(uscc__icontains=value.upper()) | Q(address__icontains=value)
        )
