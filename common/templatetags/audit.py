"""``{% change_history object %}``: the read-only 变更记录 section of an object's page (common.audit)."""

from django import template

from common.audit import change_history as history_of
from common.audit import may_see_change_history

register = template.Library()


@register.inclusion_tag("common/snippets/change_history.html", takes_context=True)
def change_history(context, instance) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if instance is None or not may_see_change_history(user):
        return {"visible": False}
    return {"visible": True, "entries": history_of(instance)}
