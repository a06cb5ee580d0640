"""The standard profile's admin: its inlines on the enterprise page (added in
``enterprises.admin``), supply links and the enterprises' reported figures (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from enterprises.profile.models import EmploymentRecord, FiguresSubmission, OperatingIndicator, Product, SupplyLink


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ("name", "category", "annual_output", "share_percent", "is_main")


class EmploymentInline(admin.TabularInline):
    model = EmploymentRecord
    extra = 0
    fields = ("month", "headcount", "vacancies", "surplus")
    ordering = ("-month",)
    classes = ("collapse",)


class IndicatorInline(admin.TabularInline):
    model = OperatingIndicator
    extra = 0
    fields = ("month", "output_value", "orders_value", "capacity_use", "energy_use")
    ordering = ("-month",)
    classes = ("collapse",)


PROFILE_INLINES = (ProductInline, EmploymentInline, IndicatorInline)


@admin.register(SupplyLink)
class SupplyLinkAdmin(ReadOnlyHistoryAdmin):
    list_display = ("supplier_name", "customer_name", "product", "annual_amount")
    list_select_related = ("supplier", "customer")
    search_fields = ("supplier__name", "customer__name", "outside_name", "product")
    autocomplete_fields = ("supplier", "customer")

    @admin.display(description=_("供应方"), ordering="supplier__name")
    def supplier_name(self, obj: SupplyLink) -> str:
        return obj.supplier.name if obj.supplier else obj.outside_name

    @admin.display(description=_("采购方"), ordering="customer__name")
    def customer_name(self, obj: SupplyLink) -> str:
        return obj.customer.name if obj.customer else obj.outside_name


@admin.register(FiguresSubmission)
class FiguresSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Enterprises' reports are decided on the officer's page (``enterprises.profile.submissions``); read-only here."""

    list_display = ("enterprise", "month", "state", "submitted_by", "decided_by", "decided_at")
    list_filter = ("state",)
    list_select_related = ("enterprise", "submitted_by", "decided_by")
    search_fields = ("enterprise__name", "enterprise__uscc")
