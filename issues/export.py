"""Excel export of the filtered ledger: openpyxl write-only, streamed from a temporary file."""

import tempfile

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from issues.models import Issue
from issues.selectors import sla_status

SLA_LABELS = {"ok": gettext_lazy("正常"), "due_soon": gettext_lazy("即将到期"), "overdue": gettext_lazy("已逾期")}


def _handling_unit(issue: Issue) -> str:
    if issue.level == "task_force" and issue.task_force_id:
        return issue.task_force.name
    if issue.level == "bureau" and issue.bureau_id:
        return issue.bureau.name
    return issue.enterprise.grid.name


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def write_ledger_workbook(issues: QuerySet[Issue]):
    """The rows of ``issues`` as an .xlsx in a temporary file (rewound), built row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("问题台账"))
    headers = [
        _("编号"),
        _("企业"),
        _("片区"),
        _("网格"),
        _("问题标题"),
        _("类别"),
        _("来源"),
        _("问题等级"),
        _("办理层级"),
        _("承办单位"),
        _("状态"),
        _("登记时间"),
        _("受理时限"),
        _("办结时限"),
        _("时限状态"),
        _("办结时间"),
        _("销号时间"),
        _("延期次数"),
        _("返工次数"),
        _("重新办理次数"),
        _("办理结果"),
    ]
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    today = timezone.localdate()
    for issue in issues.iterator(chunk_size=500):
        status = sla_status(issue, today=today)
        sheet.append(
            [
                issue.pk,
                issue.enterprise.name,
                issue.enterprise.grid.district.name,
                issue.enterprise.grid.name,
                issue.title,
                issue.category.name if issue.category_id else "",
                issue.get_source_display(),
                issue.get_severity_display(),
                issue.get_level_display(),
                _handling_unit(issue),
                issue.get_state_display(),
                _local(issue.created_at),
                issue.response_due_on,
                issue.due_on,
                str(SLA_LABELS.get(status, "")),
                _local(issue.resolved_at),
                _local(issue.closed_at),
                issue.extension_count,
                issue.rework_count,
                issue.reopen_count,
                issue.resolution,
            ]
        )
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle
