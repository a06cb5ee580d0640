"""Passwords: a user changes their own; an administrator resets one and the
user must choose a new one at the next sign-in.

``User.must_change_password`` says why a user must change it: ``reset`` (an
administrator set it) or ``published`` (a demo account still on the
password the README publishes). Until they do, ``PasswordChangeRequiredMiddleware``
sends every page to the change page. Demo accounts are exempt only while
``settings.DEMO_ACCOUNTS_KEEP_PASSWORD`` is on, which follows ``DEBUG``.
Django's password validators (settings.AUTH_PASSWORD_VALIDATORS, at least
10 characters) apply to every new password, here and in the admin.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.utils import update_change_reason

from accounts.models import PasswordChange, User
from accounts.security_log import log_security_event
from accounts.sessions import user_end_sessions
from common.forms import style_fields


def must_change_password(user) -> bool:
    reason = getattr(user, "must_change_password", "")
    if reason == PasswordChange.PUBLISHED:
        return not settings.DEMO_ACCOUNTS_KEEP_PASSWORD
    return reason == PasswordChange.RESET


def password_reset_by_admin(*, user: User, actor: User) -> None:
    """After an administrator set ``user``'s password: a new one at the next sign-in, sessions ended."""
    user.refresh_from_db()
    user.must_change_password = PasswordChange.RESET
    user.save(update_fields=["must_change_password"])
    update_change_reason(user, str(gettext_lazy("管理员重置密码")))
    user_end_sessions(user=user)
    log_security_event("password_reset_by_admin", user=actor, target=user.get_username())


def password_change_own(*, request, user: User, new_password: str) -> None:
    """The user's own new password: every other session of theirs ends, this one stays."""
    user.set_password(new_password)
    user.must_change_password = ""
    user.save(update_fields=["password", "must_change_password"])
    user_end_sessions(user=user)
    update_session_auth_hash(request, user)
    log_security_event("password_changed", request=request, user=user)


class PortalPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        style_fields(self.fields)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change_view(request):
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change_own(request=request, user=request.user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("密码已修改。您在其他设备上的登录已全部退出。"))
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": must_change_password(request.user)},
        status=400 if request.method == "POST" else 200,
    )


class PasswordChangeRequiredMiddleware:
    """While a user must change their password, every page leads to the change
    page (signing out and switching the language still work); the API answers 403."""

    ALLOWED_NAMES = ("password_change", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and must_change_password(user):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("请先在网页上修改密码。")}, status=403)
                return redirect("password_change")
        return self.get_response(request)
