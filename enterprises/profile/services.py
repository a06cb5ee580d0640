"""Writes to the standard profile: basic data, tier, products, supply links,
monthly employment and operating indicators.

Every function takes the acting user, checks that they may edit this
enterprise's profile (officers of its grid, the district leader, managers,
admins), validates with ``full_clean`` and records the actor in the audit
history (django-simple-history). Pages and the API call these same functions.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Required, TypedDict, TypeVar, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import scope_for
from common.audit import record_actor
from common.periods import first_of_month
from enterprises.profile.models import EmploymentRecord, OperatingIndicator, Product, SupplyDirection, SupplyLink
from enterprises.registry.models import Enterprise
from enterprises.registry.services import enterprise_change_tier, enterprise_update
from grids.models import GridTeam

# --- Who may edit -----------------------------------------------------------


def can_edit_profile(*, user: User, enterprise: Enterprise) -> bool:
    """Managers and admins edit every profile; officers and district leaders
    those of their own grids; bureau staff and enterprise users only read."""
    return scope_for(user).acts_for_grid(enterprise.grid_id)


def ensure_can_edit_profile(*, user: User, enterprise: Enterprise) -> None:
    if not can_edit_profile(user=user, enterprise=enterprise):
        raise PermissionDenied(_("您没有修改该企业资料的权限。"))


def editable_grids(*, user: User) -> QuerySet[GridTeam]:
    """The grids an editor may place an enterprise in."""
    scope = scope_for(user)
    grids = GridTeam.objects.select_related("district").order_by("code")
    return grids if scope.sees_zone else grids.filter(id__in=scope.grid_ids)


def check_month(month: datetime.date) -> datetime.date:
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("不能填报未来月份的数据。")})
    return month


# --- Basic data and tier ----------------------------------------------------


@transaction.atomic
def profile_update_basic(
    *, enterprise: Enterprise, actor: User, fields: dict[str, Any], loaded_version: str = ""
) -> tuple[Enterprise, list[str]]:
    """Save the basic data; returns the enterprise and the names of the fields
    that changed. Nothing is saved (and no history written) when nothing changed.

    ``loaded_version`` is the ``updated_at`` the editor's form was built from:
    if someone saved in between, the edit is refused rather than silently
    overwriting theirs.
    """
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if loaded_version and loaded_version != current.updated_at.isoformat():
        raise ValidationError(_("该企业资料已被他人修改，请刷新页面后重新编辑。"), code="stale")
    changed = {name: value for name, value in fields.items() if _field_value(current, name) != _comparable(value)}
    if "grid" in changed and not editable_grids(user=actor).filter(pk=changed["grid"].pk).exists():
        raise ValidationError({"grid": _("只能将企业调整到您负责的网格。")})
    if not changed:
        return current, []
    updated = enterprise_update(enterprise=current, actor=actor, **changed)
    return updated, sorted(changed)


def _field_value(enterprise: Enterprise, name: str) -> object:
    if name == "grid":
        return enterprise.grid_id
    return _comparable(getattr(enterprise, name))


def _comparable(value: object) -> object:
    if isinstance(value, GridTeam):
        return value.pk
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, str):
        return value.strip()
    return value


def profile_change_tier(*, enterprise: Enterprise, actor: User, tier: str, reason: str) -> Enterprise:
    """Change 企业分类 with its required reason; the reason is also kept on
    the audit-history row, next to who changed it."""
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    record_actor(enterprise, actor, (reason or "").strip())
    return enterprise_change_tier(enterprise=enterprise, actor=actor, tier=tier, reason=reason)


# --- Products (产品结构) --------------------------------------------------------


def _check_share_total(*, enterprise: Enterprise, share_percent: int | None, exclude_pk: int | None = None) -> None:
    if share_percent is None:
        return
    products = Product.objects.filter(enterprise=enterprise)
    if exclude_pk is not None:
        products = products.exclude(pk=exclude_pk)
    others: int = products.aggregate(total=Sum("share_percent"))["total"] or 0
    if others + share_percent > 100:
        raise ValidationError(
            {"share_percent": _("各产品占比合计不能超过100%%（其他产品已占%(used)d%%）。") % {"used": others}}
        )


@transaction.atomic
def product_create(
    *,
    enterprise: Enterprise,
    actor: User,
    name: str,
    category: str = "",
    annual_output: Decimal | None = None,
    share_percent: int | None = None,
    is_main: bool = False,
) -> Product:
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    _check_share_total(enterprise=enterprise, share_percent=share_percent)
    product = Product(
        enterprise=enterprise,
        name=name.strip(),
        category=category.strip(),
        annual_output=annual_output,
        share_percent=share_percent,
        is_main=is_main,
    )
    product.full_clean()
    record_actor(product, actor)
    product.save()
    return product


PRODUCT_FIELDS = ("name", "category", "annual_output", "share_percent", "is_main")


@transaction.atomic
def product_update(*, product: Product, actor: User, **fields: Any) -> Product:
    ensure_can_edit_profile(user=actor, enterprise=product.enterprise)
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不可修改。") for name in sorted(unknown)})
    changed = {
        name: value for name, value in fields.items() if _comparable(getattr(product, name)) != _comparable(value)
    }
    if not changed:
        return product
    if "share_percent" in changed:
        _check_share_total(enterprise=product.enterprise, share_percent=changed["share_percent"], exclude_pk=product.pk)
    for name, value in changed.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    product.full_clean()
    record_actor(product, actor)
    product.save()
    return product


@transaction.atomic
def product_delete(*, product: Product, actor: User) -> None:
    ensure_can_edit_profile(user=actor, enterprise=product.enterprise)
    record_actor(product, actor)
    product.delete()


# --- Supply links (上下游配套商) ---------------------------------------------------


class LinkTerms(TypedDict, total=False):
    """A supply link as one of its enterprises states it: the direction from that enterprise, the
    partner (a zone enterprise, or an outside name), the product and the annual amount."""

    direction: Required[str]
    partner: Enterprise | None
    outside_name: str
    product: str
    annual_amount: Decimal | None


def _place_link(
    link: SupplyLink,
    *,
    enterprise: Enterprise,
    direction: str,
    partner: Enterprise | None = None,
    outside_name: str = "",
    product: str = "",
    annual_amount: Decimal | None = None,
) -> None:
    outside_name = (outside_name or "").strip()
    if direction not in SupplyDirection.values:
        raise ValidationError({"direction": _("请选择上游供应商或下游客户。")})
    if (partner is None) == (not outside_name):
        raise ValidationError({"partner": _("请选择一家区内企业，或填写区外单位名称（二者选一）。")})
    if partner is not None and partner.pk == enterprise.pk:
        raise ValidationError({"partner": _("不能把企业自身设为配套企业。")})
    if direction == SupplyDirection.UPSTREAM:
        link.supplier, link.customer = partner, enterprise
    else:
        link.supplier, link.customer = enterprise, partner
    link.outside_name = outside_name
    link.product = (product or "").strip()
    link.annual_amount = annual_amount
    duplicate = SupplyLink.objects.filter(
        supplier=link.supplier, customer=link.customer, outside_name=link.outside_name, product=link.product
    ).exclude(pk=link.pk)
    if duplicate.exists():
        raise ValidationError({"partner": _("该配套关系已登记。")})
    link.full_clean()


@transaction.atomic
def supply_link_create(*, enterprise: Enterprise, actor: User, **terms: Unpack[LinkTerms]) -> SupplyLink:
    """Record a supplier (upstream) or customer (downstream) of ``enterprise``.

    A zone partner gets one row that both profiles show; an outside partner is
    kept by name.
    """
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    link = SupplyLink()
    _place_link(link, enterprise=enterprise, **terms)
    record_actor(link, actor)
    link.save()
    return link


def _ensure_link_of(link: SupplyLink, enterprise: Enterprise) -> None:
    if enterprise.pk not in (link.supplier_id, link.customer_id):
        raise ValidationError(_("该配套关系不属于此企业。"))


@transaction.atomic
def supply_link_update(
    *, link: SupplyLink, enterprise: Enterprise, actor: User, **terms: Unpack[LinkTerms]
) -> SupplyLink:
    """Change a link from ``enterprise``'s side (either side may edit it)."""
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    _ensure_link_of(link, enterprise)
    before = (link.supplier_id, link.customer_id, link.outside_name, link.product, link.annual_amount)
    _place_link(link, enterprise=enterprise, **terms)
    after = (link.supplier_id, link.customer_id, link.outside_name, link.product, link.annual_amount)
    if _comparable_tuple(before) != _comparable_tuple(after):
        record_actor(link, actor)
        link.save()
    return link


def _comparable_tuple(values: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(_comparable(value) for value in values)


@transaction.atomic
def supply_link_delete(*, link: SupplyLink, enterprise: Enterprise, actor: User) -> None:
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    _ensure_link_of(link, enterprise)
    record_actor(link, actor)
    link.delete()


# --- Monthly employment (用工情况) and operating indicators (经营指标) ---------------


@transaction.atomic
def employment_record_save(
    *,
    enterprise: Enterprise,
    actor: User,
    month: datetime.date,
    headcount: int,
    vacancies: int = 0,
    surplus: int = 0,
) -> tuple[EmploymentRecord, bool]:
    """Enter one month's employment; a second entry for the same month updates
    it. Returns the record and whether it was created."""
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    month = check_month(month)
    values = {"headcount": headcount, "vacancies": vacancies or 0, "surplus": surplus or 0}
    record = EmploymentRecord.objects.select_for_update().filter(enterprise=enterprise, month=month).first()
    return _upsert(record or EmploymentRecord(enterprise=enterprise, month=month), values, actor)


def check_indicator_values(
    *,
    output_value: Decimal | None,
    orders_value: Decimal | None,
    capacity_use: int | None,
    energy_use: Decimal | None,
) -> None:
    """The bounds of a month's operating indicators (whoever enters them), each error on its field."""
    errors = {}
    for name, value in (("output_value", output_value), ("orders_value", orders_value), ("energy_use", energy_use)):
        if value is not None and value < 0:
            errors[name] = _("不能为负数。")
    if capacity_use is not None and capacity_use > 100:
        errors["capacity_use"] = _("产能利用率应在0至100之间。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_save(
    *,
    enterprise: Enterprise,
    actor: User,
    month: datetime.date,
    output_value: Decimal | None = None,
    orders_value: Decimal | None = None,
    capacity_use: int | None = None,
    energy_use: Decimal | None = None,
) -> tuple[OperatingIndicator, bool]:
    """Enter one month's operating indicators (upsert by month)."""
    ensure_can_edit_profile(user=actor, enterprise=enterprise)
    month = check_month(month)
    check_indicator_values(
        output_value=output_value, orders_value=orders_value, capacity_use=capacity_use, energy_use=energy_use
    )
    if output_value is None and orders_value is None and capacity_use is None and energy_use is None:
        raise ValidationError(_("请至少填写一项指标。"))
    values = {
        "output_value": output_value,
        "orders_value": orders_value,
        "capacity_use": capacity_use,
        "energy_use": energy_use,
    }
    record = OperatingIndicator.objects.select_for_update().filter(enterprise=enterprise, month=month).first()
    return _upsert(record or OperatingIndicator(enterprise=enterprise, month=month), values, actor)


MonthlyRecord = TypeVar("MonthlyRecord", EmploymentRecord, OperatingIndicator)


def _upsert(record: MonthlyRecord, values: Mapping[str, object], actor: User) -> tuple[MonthlyRecord, bool]:
    created = record.pk is None
    if not created and all(_comparable(getattr(record, k)) == _comparable(v) for k, v in values.items()):
        return record, False
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record_actor(record, actor)
    record.save()
    return record, created


@transaction.atomic
def monthly_record_delete(*, record: EmploymentRecord | OperatingIndicator, actor: User) -> None:
    ensure_can_edit_profile(user=actor, enterprise=record.enterprise)
    record_actor(record, actor)
    record.delete()
