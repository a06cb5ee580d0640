"""``/api/service-projects/``: the same scope and services as the pages.

Reading: managers the zone, district leaders their district, officers their
grids, bureau staff the projects their bureau is responsible for, an
enterprise user its own. Writing: staff only (enterprise users 403), for
enterprises and bureaus they may name (any other id is "does not exist", 400);
each kind's figures are checked by the model (400 naming the field).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers

from common.api import Router, StrictSerializer
from platforms.apis import PlatformViewSet, ScopedField, create_action, edit_action, read_docs
from platforms.service_projects import selectors, services
from platforms.service_projects.models import AMOUNT_DIGITS, Kind, ProjectState, ServiceProject

TAGS = ["service-projects"]


class ProjectSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ServiceProject
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "kind_display",
            "title",
            "bureau",
            "state",
            "state_display",
            "started_on",
            "completed_on",
            "saving_amount",
            "tax_reduced",
            "units_sold",
            "sales_amount",
            "children_count",
            "note",
        ]
        read_only_fields = fields


AMOUNT = {"required": False, "allow_null": True, **AMOUNT_DIGITS}


class _ProjectFields(StrictSerializer):
    reads_as = ProjectSerializer

    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=120)
    bureau = ScopedField(selectors.recordable_bureaus, help_text=_("责任单位；业务科室人员只能填本单位"))
    state = serializers.ChoiceField(choices=ProjectState.choices, required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True, help_text=_("完成后填写，按此日期统计"))
    saving_amount = serializers.DecimalField(help_text=_("节约成本（万元）：能源智管降本项目必填"), **AMOUNT)
    tax_reduced = serializers.DecimalField(help_text=_("减少税费（万元）：鼓励类产业确认项目必填"), **AMOUNT)
    units_sold = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2147483647, help_text=_("增加销量（套）：直播带货必填")
    )
    sales_amount = serializers.DecimalField(help_text=_("销售金额（万元）：直播带货必填"), **AMOUNT)
    children_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767, help_text=_("解决入学人数：高管子女入学必填")
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ProjectCreateInput(_ProjectFields):
    enterprise = ScopedField(selectors.recordable_enterprises, help_text=_("您可登记的企业 id"))


class ProjectUpdateInput(_ProjectFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RecordsProjects(permissions.BasePermission):
    message = _("企业用户只能查看本企业的服务项目。")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or selectors.records_projects(user=request.user)


@read_docs(_("服务项目列表"), _("服务项目详情"), tags=TAGS)
class ServiceProjectViewSet(PlatformViewSet):
    serializer_class = ProjectSerializer
    selector = selectors.project_list
    permission_classes = [permissions.IsAuthenticated, RecordsProjects]
    filterset_fields = {
        "kind": ["exact"],
        "state": ["exact"],
        "enterprise": ["exact"],
        "bureau": ["exact"],
        "completed_on": ["gte", "lte"],
    }
    search_fields = ["title", "enterprise__name"]
    ordering_fields = ["completed_on", "started_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    create = create_action(_("登记服务项目"), ProjectCreateInput, services.service_project_create, tags=TAGS)
    partial_update = edit_action(
        _("修改服务项目"), ProjectUpdateInput, services.service_project_update, item_name="project", tags=TAGS
    )


router = Router()
router.register("service-projects", ServiceProjectViewSet, basename="api-service-project")

urlpatterns = router.urls
