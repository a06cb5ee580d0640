"""The registry's admin: enterprises (registered with the profile's inlines in
``enterprises.admin``, where the packages meet) and the read-only tier history."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from enterprises.registry.models import Enterprise, EnterpriseContact, TierChange
from enterprises.registry.services import (
    BASIC_INFO_FIELDS,
    EDITABLE_FIELDS,
    enterprise_change_tier,
    enterprise_create,
    enterprise_update,
)


class EnterpriseAdminForm(forms.ModelForm):
    tier_reason = forms.CharField(
        label=_("分类调整原因"),
        max_length=300,
        required=False,
        help_text=_("修改企业分类时必填，记入分类调整记录；新建企业时可不填（记为“建档”）。"),
    )
    # The ``updated_at`` the form was opened on (as the profile's edit form): if someone saved
    # the enterprise since, the save is refused instead of putting back what the form still shows.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [*EDITABLE_FIELDS, "tier"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("version")
        if self.instance.pk and loaded:
            stored = Enterprise.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if stored is not None and loaded != stored.isoformat():
                raise forms.ValidationError(_("该企业资料已被他人修改，请刷新页面后重新编辑。"), code="stale")
        if self.instance.pk and "tier" in cleaned:
            # Compare with the stored row: a history "revert" form starts from an old version.
            stored_tier = Enterprise.objects.filter(pk=self.instance.pk).values_list("tier", flat=True).first()
            if cleaned["tier"] != stored_tier and not cleaned.get("tier_reason", "").strip():
                self.add_error("tier_reason", _("调整企业分类必须填写原因。"))
        return cleaned


class ContactInline(admin.TabularInline):
    model = EnterpriseContact
    extra = 0
    fields = ("name", "title", "phone", "email", "is_primary")


class EnterpriseAdmin(ReadOnlyHistoryAdmin):
    """Registered in ``enterprises.admin`` with the profile's inlines.

    Saves go through ``enterprises.registry.services`` so that the admin, the pages
    and the API keep the same rules: validation, history with the acting user,
    and a tier change only with a reason, recorded in the tier history."""

    form = EnterpriseAdminForm
    list_display = ("name", "uscc", "tier", "above_scale", "ownership", "industry", "grid", "district")
    list_filter = ("tier", "above_scale", "ownership", "industry", "grid__district", "grid")
    list_select_related = ("grid__district",)
    search_fields = ("name", "uscc", "address", "legal_representative")
    autocomplete_fields = ("grid",)
    readonly_fields = ("board_link", "created_at", "updated_at")
    # The profile's inlines are added where the packages meet, enterprises/admin.py.
    inlines: tuple[type[admin.options.InlineModelAdmin], ...] = (ContactInline,)
    fieldsets = (
        (None, {"fields": ("name", "uscc", "ownership", "industry", "above_scale", "grid", "version")}),
        (_("企业分类"), {"fields": ("tier", "tier_reason")}),
        (
            _("基本信息"),
            {"fields": BASIC_INFO_FIELDS},
        ),
        (_("公示牌"), {"fields": ("board_link", "created_at", "updated_at")}),
    )

    @admin.display(description=_("片区"), ordering="grid__district__code")
    def district(self, obj: Enterprise) -> str:
        return obj.grid.district.name

    @admin.display(description=_("公示牌链接"))
    def board_link(self, obj: Enterprise) -> str:
        if not obj.pk:
            return _("保存后生成")
        return format_html('<a href="{0}" target="_blank" rel="noopener">{0}</a>', obj.get_board_url())

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("tier_reason", "")
        if not change:
            created = enterprise_create(
                actor=request.user,
                tier=obj.tier,
                tier_reason=reason,
                **{name: getattr(obj, name) for name in EDITABLE_FIELDS},
            )
            # The admin goes on to save the inlines against ``obj`` and log it:
            # make it the row the service created.
            vars(obj).update(vars(created))
            return
        stored = Enterprise.objects.get(pk=obj.pk)
        changes = {}
        for name in EDITABLE_FIELDS:
            attname = Enterprise._meta.get_field(name).attname
            if getattr(obj, attname) != getattr(stored, attname):
                changes[name] = getattr(obj, name)
        if changes:
            stored = enterprise_update(enterprise=stored, actor=request.user, **changes)
        if obj.tier != stored.tier:
            stored = enterprise_change_tier(enterprise=stored, actor=request.user, tier=obj.tier, reason=reason)
        vars(obj).update(vars(stored))


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The tier history is written by ``enterprise_change_tier`` only."""

    list_display = ("enterprise", "from_tier", "to_tier", "reason", "changed_by", "changed_at")
    list_filter = ("to_tier", "from_tier")
    list_select_related = ("enterprise", "changed_by")
    search_fields = ("enterprise__name", "enterprise__uscc", "reason")
    date_hierarchy = "changed_at"
