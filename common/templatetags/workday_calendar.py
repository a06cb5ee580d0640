"""``{% workday_calendar_warning %}``: the admin's home warns of a year whose deadlines would count Monday–Friday."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.workdays import calendar_gaps

register = template.Library()


@register.inclusion_tag("admin/common/workday_calendar_warning.html", takes_context=True)
def workday_calendar_warning(context) -> dict:
    user = context["request"].user
    warnings = []
    for gap in calendar_gaps(today=timezone.localdate()):
        values = {"year": gap.year}
        if gap.arrangement_id is None:
            text = _(
                "%(year)s年的节假日安排尚未录入：在录入国务院办公厅公布的节假日安排之前，"
                "%(year)s年的办理期限按周一至周五计算工作日。"
            )
            link_text = _("录入%(year)s年节假日安排")
            url = reverse("admin:common_workdayarrangement_add") + f"?year={gap.year}"
            allowed = user.has_perm("common.add_workdayarrangement")
        else:
            text = _("%(year)s年的节假日安排尚未标记为完整录入：未录入的放假日和调休上班日，期限仍按周一至周五计算。")
            link_text = _("补全%(year)s年节假日安排")
            url = reverse("admin:common_workdayarrangement_change", args=[gap.arrangement_id])
            allowed = user.has_perm("common.change_workdayarrangement")
        warnings.append({"text": text % values, "link_text": link_text % values, "url": url if allowed else ""})
    return {"warnings": warnings}
