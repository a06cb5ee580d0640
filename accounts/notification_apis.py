"""``/api/notifications/``: the signed-in user's notifications, and marking them read."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Notification
from accounts.notifications import notification_mark_read, notifications_for, unread_count
from common.api import StrictSerializer


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationListApi(generics.ListAPIView):
    """My notifications, newest first; ``?unread=1`` for the unread ones only."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        qs = notifications_for(user=self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["unread"] = unread_count(user=request.user)
        return response


class MarkReadInput(StrictSerializer):
    id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        error_messages={"invalid": _("请提供有效的通知编号。"), "min_value": _("请提供有效的通知编号。")},
        help_text=_("通知编号；省略则把我的通知全部标为已读"),
    )


class NotificationMarkReadApi(APIView):
    """Mark one notification (``id``) or, without an id, all of mine read."""

    @extend_schema(
        request=MarkReadInput,
        responses={
            200: inline_serializer(
                "MarkReadResponse", {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()}
            ),
            400: OpenApiResponse(description=_("编号格式有误")),
        },
    )
    def post(self, request):
        shape = MarkReadInput(data=request.data)
        shape.is_valid(raise_exception=True)
        notification_id = shape.validated_data.get("id")
        marked = notification_mark_read(user=request.user, notification_id=notification_id)
        return Response({"marked": marked, "unread": unread_count(user=request.user)})


urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read/", NotificationMarkReadApi.as_view(), name="api-notifications-read"),
]
