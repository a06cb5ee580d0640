"""``POST /api/auth/token/`` (username and password in, a token out), and the
permission every app's API uses for writes only an administrator may make."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.passwords import must_change_password
from accounts.scoping import scope_for
from common.api import StrictInputMixin


def is_portal_admin(user) -> bool:
    """An administrator: role ``admin`` or a superuser (active, signed in)."""
    return scope_for(user).role == Role.ADMIN


class IsAdminOrReadOnly(BasePermission):
    """Any signed-in user may read (the scoped querysets decide what); only an
    administrator may write.

    Writes to one object pass ``has_permission`` so that the scoped lookup runs
    first: an object outside the user's scope answers 404 before a 403 could
    tell them it exists.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return is_portal_admin(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or is_portal_admin(request.user)


class TokenRequestSerializer(StrictInputMixin, AuthTokenSerializer):
    """DRF's username-and-password check, strict about its input."""

    username = serializers.CharField(label=_("用户名"), max_length=150, write_only=True)


class ObtainTokenApi(APIView):
    """Exchange a username and password for the user's API token.

    Send it as ``Authorization: Token <token>``. Wrong passwords count
    against the same limits as the login page (``accounts.lockout``): once
    the username and address, or the address alone, are over them the
    endpoint answers 429 with ``Retry-After`` until the lock ends.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description=_("用户名或密码错误，或缺少字段。")),
            403: OpenApiResponse(description=_("须先在网页上修改密码（管理员重置了密码）。")),
            429: OpenApiResponse(description=_("登录失败次数过多，已暂时锁定；Retry-After 给出剩余秒数。")),
        },
    )
    def post(self, request):
        # Django's request, not DRF's wrapper: axes marks a lockout on it, and
        # its middleware (which sees only Django's) turns the answer into the 429.
        serializer = TokenRequestSerializer(data=request.data, context={"request": request._request})
        if not serializer.is_valid():
            raise exceptions.ValidationError(serializer.errors)
        if must_change_password(serializer.validated_data["user"]):
            raise exceptions.PermissionDenied(_("请先在网页上修改密码。"))
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)


urlpatterns = [path("token/", ObtainTokenApi.as_view(), name="api-token")]
