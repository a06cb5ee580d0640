"""Excel export of the filtered ledger: a background job (``common.export_jobs``) written by ``common.excel``.

Titles and resolutions are what enterprises and handlers typed: they are
written as literal text, never as formulas.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from common.excel import DATE_FORMAT, DATETIME_FORMAT, Column, choice_labels, local_naive
from common.export_jobs import ExportKind, filtered
from issues.filters import IssueFilter
from issues.models import Issue
from issues.selectors import issue_list, sla_status

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


def _labels(field: str) -> dict:
    """A choice field's labels in the active language, translated once per export, not once per row."""
    return choice_labels(Issue._meta.get_field(field).flatchoices)


def _ledger_row(issue: Issue, *, today, labels: dict[str, dict]) -> tuple:
    return (
        issue.pk,
        issue.enterprise.name,
        issue.enterprise.grid.district.name,
        issue.enterprise.grid.name,
        issue.title,
        issue.category.name if issue.category_id else "",
        labels["source"].get(issue.source, issue.source),
        labels["severity"].get(issue.severity, issue.severity),
        labels["level"].get(issue.level, issue.level),
        issue.handling_unit_name,
        labels["state"].get(issue.state, issue.state),
        local_naive(issue.created_at),
        issue.response_due_on,
        issue.due_on,
        labels["sla"].get(sla_status(issue, today=today), ""),
        local_naive(issue.resolved_at),
        local_naive(issue.closed_at),
        issue.extension_count,
        issue.rework_count,
        issue.reopen_count,
        issue.resolution,
    )


def ledger_rows(issues: QuerySet[Issue]) -> Iterator[tuple]:
    """One tuple per issue, in the order of ``LEDGER_COLUMNS``; read in chunks."""
    today = timezone.localdate()
    labels = {field: _labels(field) for field in ("source", "severity", "level", "state")}
    labels["sla"] = choice_labels(SLA_LABELS.items())
    return (_ledger_row(issue, today=today, labels=labels) for issue in issues.iterator(chunk_size=CHUNK_SIZE))


def ledger_select(*, user: User, params: QueryDict) -> QuerySet[Issue]:
    """The user's ledger with the list's filters; staff only (enterprise users: 404, as on the page)."""
    if user.role == Role.ENTERPRISE_USER:
        raise Http404
    issue_filter = IssueFilter(params or None, queryset=issue_list(user=user), user=user)
    return filtered(issue_filter)


# The ledger export, run as a background job (common.export_jobs); a title row names the
# ledger and the moment of the export, and the header below it is frozen.
LEDGER_EXPORT = ExportKind(
    path=f"{__name__}.LEDGER_EXPORT",
    label=gettext_lazy("问题台账"),
    columns=LEDGER_COLUMNS,
    select=ledger_select,
    rows=ledger_rows,
)
