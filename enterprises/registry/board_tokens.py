"""Rotating an enterprise's notice-board token (更换公示牌二维码).

A printed QR code that got into the wrong hands, or a board taken down, is
answered by a new token: the old link answers 404 from then on, and the
board page (the reprint) shows the new QR. The enterprise's grid officer or
an administrator does it, by a POST with a confirmation; the enterprise's
history records who and when.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from accounts.scoping import scope_for
from accounts.security_log import log_security_event
from enterprises.registry.models import Enterprise, new_board_token
from enterprises.registry.selectors import enterprise_get


def may_rotate_board(*, user: User, enterprise: Enterprise) -> bool:
    """An administrator, or an officer of the enterprise's grid."""
    scope = scope_for(user)
    return scope.role == Role.ADMIN or (scope.role == Role.GRID_OFFICER and enterprise.grid_id in scope.grid_ids)


@transaction.atomic
def board_token_rotate(*, enterprise: Enterprise, actor: User) -> Enterprise:
    if not may_rotate_board(user=actor, enterprise=enterprise):
        raise PermissionDenied(_("只有该企业的网格员或系统管理员可以更换公示牌二维码。"))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    enterprise.board_token = new_board_token()
    enterprise._history_user = actor
    enterprise._change_reason = _("更换公示牌二维码")
    enterprise.save(update_fields=["board_token", "updated_at"])
    return enterprise


@login_required
@require_http_methods(["GET", "POST"])
def board_rotate_view(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)  # out of scope: 404
    if not may_rotate_board(user=request.user, enterprise=enterprise):
        raise PermissionDenied(_("只有该企业的网格员或系统管理员可以更换公示牌二维码。"))
    missing_confirmation = request.method == "POST" and request.POST.get("confirm") != "on"
    if request.method == "POST" and not missing_confirmation:
        enterprise = board_token_rotate(enterprise=enterprise, actor=request.user)
        log_security_event("board_token_rotated", request=request, enterprise=enterprise.pk)
        messages.success(request, _("已更换公示牌二维码，旧二维码和旧链接已失效。请打印新的公示牌并替换。"))
        return redirect(enterprise.get_board_url())
    return render(
        request,
        "enterprises/board_rotate.html",
        {"enterprise": enterprise, "missing_confirmation": missing_confirmation},
        status=400 if missing_confirmation else 200,
    )
