"""Every write of service projects: create and update, validated whole, one transaction each.

Who may: ``selectors.recordable_enterprises`` and ``selectors.recordable_bureaus``
(a manager any enterprise and bureau, an officer or district leader their own
grids' enterprises, bureau staff any enterprise but only with their own bureau
as the responsible unit). Enterprise users only read.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import Enterprise
from grids.models import Bureau
from issues.errors import NotPermitted
from platforms.records import checked_save
from platforms.service_projects import selectors
from platforms.service_projects.models import ProjectState, ServiceProject

# The fields a create or an update may set (besides the enterprise, fixed at creation).
EDITABLE_FIELDS = (
    "kind",
    "title",
    "bureau",
    "state",
    "started_on",
    "completed_on",
    "saving_amount",
    "tax_reduced",
    "units_sold",
    "sales_amount",
    "children_count",
    "note",
)


def _require(actor: User | None, enterprise: Enterprise, bureau: Bureau) -> None:
    if actor is None:
        return
    if not selectors.recordable_enterprises(user=actor).filter(pk=enterprise.pk).exists():
        raise NotPermitted(_("该企业不在您的权限范围内，不能登记服务项目。"))
    if not selectors.recordable_bureaus(user=actor).filter(pk=bureau.pk).exists():
        raise NotPermitted(_("您只能登记本单位负责的服务项目。"))


@transaction.atomic
def service_project_create(
    *,
    actor: User | None,
    enterprise: Enterprise,
    kind: str,
    title: str,
    bureau: Bureau,
    state: str = ProjectState.PLANNED,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    saving_amount: Decimal | None = None,
    tax_reduced: Decimal | None = None,
    units_sold: int | None = None,
    sales_amount: Decimal | None = None,
    children_count: int | None = None,
    note: str = "",
) -> ServiceProject:
    _require(actor, enterprise, bureau)
    return checked_save(
        ServiceProject(
            enterprise=enterprise,
            kind=kind,
            title=title,
            bureau=bureau,
            state=state,
            started_on=started_on,
            completed_on=completed_on,
            saving_amount=saving_amount,
            tax_reduced=tax_reduced,
            units_sold=units_sold,
            sales_amount=sales_amount,
            children_count=children_count,
            note=note,
            recorded_by=actor,
        )
    )


@transaction.atomic
def service_project_update(*, project: ServiceProject, actor: User | None, **changes: Any) -> ServiceProject:
    """Change any of ``EDITABLE_FIELDS``; the whole row is validated again (per kind) before saving."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"service_project_update: unexpected fields {sorted(unknown)}")
    locked = ServiceProject.objects.select_for_update().select_related("enterprise", "bureau").get(pk=project.pk)
    _require(actor, locked.enterprise, locked.bureau)
    for field, value in changes.items():
        setattr(locked, field, value)
    _require(actor, locked.enterprise, locked.bureau)
    return checked_save(locked)
