"""The monthly Excel report as a download, for the page and the API alike."""

from django.http import Http404, HttpResponse

from accounts.models import User
from analytics.aggregates import Period
from analytics.metrics import Dimension
from analytics.selectors import report_rows_visible, workbook_get
from analytics.snapshots import month_data
from analytics.workbook import build_workbook
from common.excel import xlsx_response
from common.periods import Month
from grids.models import District


def workbook_response(*, user: User, month: Month, district: District | None) -> HttpResponse:
    """The stored workbook of a finished month, or one built from the live rows for this month.

    ``district`` has been resolved in the user's scope by the caller (None: the zone's
    report, for the zone roles only). 404 when the month was never analysed.
    """
    stored = workbook_get(user=user, month=month, district=district)
    suffix = f"-{district.name}" if district else ""
    filename = f"月度分析报告-{month}{suffix}.xlsx"
    if stored is not None and stored.file.storage.exists(stored.file.name):
        return xlsx_response(stored.file.open("rb"), filename=filename)
    data = month_data(month, stored=report_rows_visible(user=user))
    if district is not None and data.get(Dimension.DISTRICT, district.pk) is None:
        raise Http404
    if district is None and data.get(Dimension.ZONE, "zone") is None:
        raise Http404
    if data.is_live:
        filename = f"月度分析报告-{month}-本月至今{suffix}.xlsx"
    # The month so far: the district's tier table is computed up to the moment the rows were.
    period = Period.so_far(month, data.computed_at) if data.is_live else Period.whole(month)
    content = build_workbook(month=month, rows=data.rows, district_id=district.pk if district else None, period=period)
    return xlsx_response(content, filename=filename)
