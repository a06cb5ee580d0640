"""Excel export of the filtered ledger, written by ``common.excel`` (write-only, streamed from a temporary file).

Titles and resolutions are what enterprises and handlers typed: they are
written as literal text, never as formulas.
"""

from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.excel import DATE_FORMAT, DATETIME_FORMAT, Column, ExcelWorkbook, export_heading, local_naive, xlsx_response
from issues.models import Issue
from issues.selectors import sla_status

SLA_LABELS = {"ok": gettext_lazy("正常"), "due_soon": gettext_lazy("即将到期"), "overdue": gettext_lazy("已逾期")}
CHUNK_SIZE = 500

LEDGER_COLUMNS = (
    Column(gettext_lazy("编号"), 8),
    Column(gettext_lazy("企业"), 30),
    Column(gettext_lazy("片区"), 10),
    Column(gettext_lazy("网格"), 14),
    Column(gettext_lazy("问题标题"), 36),
    Column(gettext_lazy("类别"), 12),
    Column(gettext_lazy("来源"), 12),
    Column(gettext_lazy("问题等级"), 10),
    Column(gettext_lazy("办理层级"), 10),
    Column(gettext_lazy("承办单位"), 16),
    Column(gettext_lazy("状态"), 10),
    Column(gettext_lazy("登记时间"), 17, DATETIME_FORMAT),
    Column(gettext_lazy("受理时限"), 12, DATE_FORMAT),
    Column(gettext_lazy("办结时限"), 12, DATE_FORMAT),
    Column(gettext_lazy("时限状态"), 10),
    Column(gettext_lazy("办结时间"), 17, DATETIME_FORMAT),
    Column(gettext_lazy("销号时间"), 17, DATETIME_FORMAT),
    Column(gettext_lazy("延期次数"), 9),
    Column(gettext_lazy("返工次数"), 9),
    Column(gettext_lazy("重新办理次数"), 12),
    Column(gettext_lazy("办理结果"), 40),
)


def _ledger_row(issue: Issue, *, today) -> tuple:
    return (
        issue.pk,
        issue.enterprise.name,
        issue.enterprise.grid.district.name,
        issue.enterprise.grid.name,
        issue.title,
        issue.category.name if issue.category_id else "",
        issue.get_source_display(),
        issue.get_severity_display(),
        issue.get_level_display(),
        issue.handling_unit_name,
        issue.get_state_display(),
        local_naive(issue.created_at),
        issue.response_due_on,
        issue.due_on,
        str(SLA_LABELS.get(sla_status(issue, today=today), "")),
        local_naive(issue.resolved_at),
        local_naive(issue.closed_at),
        issue.extension_count,
        issue.rework_count,
        issue.reopen_count,
        issue.resolution,
    )


def write_ledger_workbook(issues: QuerySet[Issue]) -> IO[bytes]:
    """The rows of ``issues`` as an .xlsx in a temporary file (rewound), built row by row.

    A title row names the ledger and the moment of the export; the header below it is frozen.
    """
    workbook = ExcelWorkbook()
    sheet = workbook.add_sheet(_("问题台账"), LEDGER_COLUMNS, heading=export_heading(_("问题台账")))
    today = timezone.localdate()
    sheet.extend(_ledger_row(issue, today=today) for issue in issues.iterator(chunk_size=CHUNK_SIZE))
    return workbook.to_temporary_file()


def ledger_filename() -> str:
    return f"{_('问题台账')}-{timezone.localdate():%Y%m%d}.xlsx"


def ledger_xlsx_response(issues: QuerySet[Issue]) -> FileResponse:
    """The download of the ledger export: the one place that names its file and content type."""
    return xlsx_response(write_ledger_workbook(issues), filename=ledger_filename())
