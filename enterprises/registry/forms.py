"""Forms of the enterprise pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import scope_for
from common.forms import mark_invalid, style_fields
from enterprises.registry.filters import EnterpriseFilter
from grids.forms import offer_grids_by_district
from grids.selectors import district_list, grid_team_choices

ABOVE_SCALE_CHOICES = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


class EnterpriseListFilter(EnterpriseFilter):
    """The list page's filter: the shared ``EnterpriseFilter`` with district and
    grid choices limited to the user's scope (a district outside it is an
    invalid choice, not an empty result), and Bootstrap widgets."""

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["district"].queryset = district_list(user=user)
        # The choices need names only, not the officers the selector prefetches.
        self.filters["grid"].queryset = grid_team_choices(user=user)
        self.grids_by_district = scope_for(user).sees_zone
        for name in ("district", "grid", "tier", "industry", "ownership"):
            self.filters[name].extra["empty_label"] = _("全部")

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["q"].widget.attrs.update({"placeholder": _("名称、信用代码或地址"), "type": "search"})
            form.fields["above_scale"].widget = forms.Select(choices=ABOVE_SCALE_CHOICES)
            style_fields(form.fields)
            if self.grids_by_district:
                # A province's 3,000 grids are offered one district at a time, as on the ledger.
                offer_grids_by_district(form, self.data, empty_label=_("全部"))
            if self.is_bound:
                mark_invalid(form)
        return self._form

    @property
    def active_count(self) -> int:
        """How many filters (besides the search box) are applied, for the collapsed panel's badge."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if name != "q" and self.data.get(name) not in (None, ""))
