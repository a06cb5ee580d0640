"""Template helpers for the standard-profile tabs."""

from django import template
from django.urls import reverse

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
    standard-profile tabs after 基本信息, which the detail page shows itself;
    which tabs a user is shown is ``enterprises.profile.views.tabs_for``'s answer."""
    from enterprises.profile.views import tabs_for

    request = context.get("request")
    if request is None:
        return []
    return [
        (key, label, reverse(url_name, args=[enterprise.pk]))
        for key, label, url_name in tabs_for(request.user)
        if key != "basic"
    ]
