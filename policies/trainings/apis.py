"""``/api/trainings/`` (sessions) and ``/api/training-registrations/`` (with ``cancel`` and ``check-in``).

Sessions are readable by every signed-in user and created by staff; registrations
are scoped like the pages (an enterprise its own, officers their grids', organisers
their sessions'). 404 outside the scope, 409 on a wrong state, 400 on bad input
naming the field, 403 when the role may not act.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import Router, StrictSerializer, action_doc, refusal_docs
from enterprises.registry.serializers import enterprise_acted_for
from policies.api_shared import CollectionViewSet, collection_docs
from policies.models import Policy
from policies.trainings import services
from policies.trainings.models import Registration, TrainingSession
from policies.trainings.selectors import registration_list, session_list

ERRORS = refusal_docs(bad_input=_("取值有误"), missing=_("不存在或不在权限范围内"), conflict=_("当前状态不允许此操作"))


class TrainingSessionSerializer(serializers.ModelSerializer):
    seats_taken = serializers.IntegerField(read_only=True)
    waitlisted = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "topic",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "policies",
            "organiser",
            "seats_taken",
            "waitlisted",
            "attended",
            "created_at",
        ]
        read_only_fields = fields


class TrainingSessionCreateInput(StrictSerializer):
    reads_as = TrainingSessionSerializer

    topic = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=5000)
    policies = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), many=True, required=False)


class TrainingRegistrationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "enterprise",
            "enterprise_name",
            "attendee_name",
            "attendee_phone",
            "state",
            "state_label",
            "registered_at",
            "cancelled_at",
            "checked_in_at",
        ]
        read_only_fields = fields


class TrainingRegistrationCreateInput(StrictSerializer):
    reads_as = TrainingRegistrationSerializer

    session = serializers.PrimaryKeyRelatedField(queryset=TrainingSession.objects.all())
    enterprise = serializers.IntegerField(required=False, min_value=1, help_text=_("企业编号（企业用户可省略）"))
    attendee_name = serializers.CharField(max_length=50)
    attendee_phone = serializers.RegexField(r"^1[3-9][0-9]{9}$", max_length=11)


class TrainingActionInput(StrictSerializer):
    """No fields."""


@collection_docs(
    list_summary=_("专题培训"),
    retrieve_summary=_("专题培训详情"),
    create_summary=_("组织专题培训（园区工作人员）"),
    create_input=TrainingSessionCreateInput,
    created=TrainingSessionSerializer,
    errors={400: ERRORS[400], 403: ERRORS[403]},
)
class TrainingSessionViewSet(CollectionViewSet):
    queryset = TrainingSession.objects.none()
    serializer_class = TrainingSessionSerializer
    create_input = TrainingSessionCreateInput
    search_fields = ["topic", "place"]
    ordering_fields = ["starts_at", "id"]

    def get_queryset(self):
        return session_list(user=self.request.user).prefetch_related("policies")

    def create(self, request, *args, **kwargs):
        session = services.session_create(actor=request.user, **self.create_data(request))
        return Response(TrainingSessionSerializer(self.get_queryset().get(pk=session.pk)).data, status=201)


def _action_doc(summary: str) -> dict:
    """A registration's action: no input, the registration as it now reads."""
    return action_doc(summary, TrainingActionInput, response=TrainingRegistrationSerializer, errors=ERRORS)


@collection_docs(
    list_summary=_("培训报名（按权限范围）"),
    retrieve_summary=_("培训报名详情"),
    create_summary=_("报名（满员时进入候补）"),
    create_input=TrainingRegistrationCreateInput,
    created=TrainingRegistrationSerializer,
    errors=ERRORS,
)
class RegistrationViewSet(CollectionViewSet):
    queryset = Registration.objects.none()
    serializer_class = TrainingRegistrationSerializer
    create_input = TrainingRegistrationCreateInput
    filterset_fields = ["session", "state"]
    search_fields = ["attendee_name", "enterprise__name"]
    ordering_fields = ["registered_at", "id"]

    def get_queryset(self):
        return registration_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.create_data(request)
        user = request.user
        # Here a missing enterprise is refused as one out of scope (what this endpoint has always said).
        enterprise = enterprise_acted_for(user=user, data={"enterprise": data.pop("enterprise", None) or 0})
        registration = services.registration_create(enterprise=enterprise, actor=user, **data)
        return Response(TrainingRegistrationSerializer(registration).data, status=201)

    def _act(self, request, service):
        registration = self.get_object()
        TrainingActionInput(data=request.data).is_valid(raise_exception=True)
        service(registration=registration, actor=request.user)
        return Response(TrainingRegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data)

    @extend_schema(**_action_doc(str(_("取消报名（空出的名额由第一位候补递补）"))))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, services.registration_cancel)

    @extend_schema(**_action_doc(str(_("签到"))))
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._act(request, services.registration_check_in)


router = Router()
router.register("trainings", TrainingSessionViewSet, basename="training")
router.register("training-registrations", RegistrationViewSet, basename="training-registration")

urlpatterns = router.urls
