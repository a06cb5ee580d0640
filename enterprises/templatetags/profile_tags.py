"""Template helpers for the standard-profile tabs."""

from django import template
from django.urls import reverse

from accounts.scoping import scope_for
from common.audit import may_see_change_history
from enterprises.profile.services import can_edit_profile

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_can_edit(context, enterprise) -> bool:
    """``{% profile_can_edit enterprise as can_edit %}``: may the signed-in user edit this profile?"""
    request = context.get("request")
    return bool(request and can_edit_profile(user=request.user, enterprise=enterprise))


@register.simple_tag(takes_context=True)
def profile_tabs(context, enterprise) -> list[tuple[str, str, str]]:
    """``{% profile_tabs enterprise as tabs %}``: (key, label, URL) of the
    standard-profile tabs after 基本信息, which the detail page shows itself.
    The visit timeline (served by fieldwork) only for those who read field notes,
    the change history (变更记录) only for those who see change history."""
    from enterprises.profile.views import TABS

    request = context.get("request")
    user = getattr(request, "user", None)
    hidden = {"basic"}
    if not (request and scope_for(request.user).reads_field_notes):
        hidden.add("timeline")
    if not may_see_change_history(user):
        hidden.add("history")
    return [(key, label, reverse(url_name, args=[enterprise.pk])) for key, label, url_name in TABS if key not in hidden]
