"""The notification centre: my notifications, opening one, marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.notifications import notification_mark_read, notifications_for


@login_required
def notification_list(request):
    notifications = notifications_for(user=request.user).order_by("-created_at", "-id")
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/notifications.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "only_unread": request.GET.get("unread") == "1",
        },
    )


@login_required
def notification_open(request, pk: int):
    """Mark the notification read and follow its link (someone else's answers 404)."""
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_mark_all_read(request):
    raw = request.POST.get("id", "")
    # ASCII digits only: "²".isdigit() is true but int("²") fails. A garbled id
    # marks nothing (it used to mean "all"); no id at all marks every one read.
    if raw and not (raw.isascii() and raw.isdigit()):
        return HttpResponseBadRequest(_("请提供有效的通知编号。"))
    notification_id = int(raw) if raw else None
    notification_mark_read(user=request.user, notification_id=notification_id)
    if request.headers.get("HX-Request") and notification_id is not None:
        notification = get_object_or_404(notifications_for(user=request.user), pk=notification_id)
        return render(request, "accounts/snippets/notification_row.html", {"notification": notification})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")
