"""``POST /api/auth/token/`` (username and password in, a token out), and the
permission every app's API uses for writes only an administrator may make."""

import hashlib

from django.core.cache import cache
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
from accounts.scoping import scope_for
from common.api import StrictInputMixin

# Failed sign-ins per username before the token endpoint stops trying, and for how long.
MAX_FAILED_ATTEMPTS = 10
LOCKOUT_SECONDS = 15 * 60


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


def _failures_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"api-token-failures:{digest}"


def _count_failure(key: str) -> None:
    # add() starts the window without extending it on later failures.
    cache.add(key, 0, LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.set(key, 1, LOCKOUT_SECONDS)


class TokenRequestSerializer(StrictInputMixin, AuthTokenSerializer):
    """DRF's username-and-password check, strict about its input."""

    username = serializers.CharField(label=_("用户名"), max_length=150, write_only=True)


class ObtainTokenApi(APIView):
    """Exchange a username and password for the user's API token.

    Send it as ``Authorization: Token <token>``. After repeated wrong passwords
    for one username the endpoint answers 429 for a while, so it cannot be used
    to guess passwords.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description=_("用户名或密码错误，或缺少字段。")),
            429: OpenApiResponse(description=_("失败次数过多，请稍后再试。")),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        username = request.data.get("username") if hasattr(request.data, "get") else None
        key = _failures_key(username) if isinstance(username, str) and username.strip() else None
        if key and cache.get(key, 0) >= MAX_FAILED_ATTEMPTS:
            raise exceptions.Throttled(wait=LOCKOUT_SECONDS, detail=str(_("登录失败次数过多，请稍后再试。")))
        if not serializer.is_valid():
            if key:
                _count_failure(key)
            raise exceptions.ValidationError(serializer.errors)
        if key:
            cache.delete(key)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)


urlpatterns = [path("token/", ObtainTokenApi.as_view(), name="api-token")]
