from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from grids.models import Bureau, District, GridTeam, JointTaskForce, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "grid_chief")
    list_select_related = ("grid_chief",)
    autocomplete_fields = ("grid_chief",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "leader", "grid_team_count")
    list_select_related = ("leader",)
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(grid_team_count=Count("grid_teams"))

    @admin.display(description=_("网格工作组数"), ordering="grid_team_count")
    def grid_team_count(self, obj: District) -> int:
        return obj.grid_team_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "leader":
            kwargs["queryset"] = User.objects.filter(role=Role.DISTRICT_LEADER, is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GridTeam)
class GridTeamAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district", "leader", "officer_count", "enterprise_count")
    list_filter = ("district",)
    list_select_related = ("district", "leader")
    search_fields = ("code", "name", "district__name")
    filter_horizontal = ("officers",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                officer_count=Count("officers", distinct=True), enterprise_count=Count("enterprises", distinct=True)
            )
        )

    @admin.display(description=_("网格员数"), ordering="officer_count")
    def officer_count(self, obj: GridTeam) -> int:
        return obj.officer_count

    @admin.display(description=_("企业数"), ordering="enterprise_count")
    def enterprise_count(self, obj: GridTeam) -> int:
        return obj.enterprise_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "leader":
            kwargs["queryset"] = User.objects.filter(role=Role.GRID_OFFICER, is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "officers":
            kwargs["queryset"] = User.objects.filter(role=Role.GRID_OFFICER, is_active=True).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "phone", "staff_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_count=Count("staff"))

    @admin.display(description=_("人员数"), ordering="staff_count")
    def staff_count(self, obj: Bureau) -> int:
        return obj.staff_count


@admin.register(JointTaskForce)
class JointTaskForceAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_bureau", "member_bureaus", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("lead_bureau",)
    search_fields = ("name",)
    filter_horizontal = ("bureaus",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bureaus")

    @admin.display(description=_("成员科室"))
    def member_bureaus(self, obj: JointTaskForce) -> str:
        return "、".join(bureau.name for bureau in obj.bureaus.all())
