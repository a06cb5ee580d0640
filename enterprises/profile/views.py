"""The standard-profile tabs (标准化企业档案).

Each tab is a partial with its own URL: the enterprise detail page loads it
with htmx, and opened directly (no ``HX-Request``) the same URL renders a full
page, so links and browsers without JavaScript work too. Every view finds the
enterprise through ``enterprise_get`` (404 outside the user's scope); the
edit views also need ``can_edit_profile`` (403 for those who may only read).
The 变更记录 tab follows the portal's one rule for change history
(``common.audit.may_see_change_history``: managers and administrators).
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.requests import AuthenticatedRequest
from accounts.scoping import scope_for
from common.audit import may_see_change_history
from enterprises.profile import services
from enterprises.profile.forms import (
    BasicDataForm,
    EmploymentForm,
    IndicatorForm,
    ProductForm,
    SupplyLinkForm,
    TierChangeForm,
)
from enterprises.profile.history import profile_history
from enterprises.profile.models import OperatingIndicator
from enterprises.profile.selectors import (
    EMPLOYMENT_MONTHS_SHOWN,
    employment_list,
    indicator_trend,
    partner_search,
    product_list,
    supply_link_direction,
    supply_link_list,
    supply_link_partner,
    supply_link_views,
    tier_change_list,
)
from enterprises.profile.selectors import indicator_list as indicator_records
from enterprises.registry.models import Enterprise, Tier
from enterprises.registry.selectors import enterprise_get

# (key, label, URL name): the tabs in the order the profile shows them. The
# visit and tracking timeline is served by ``fieldwork`` and the enterprise's
# issues by ``issues`` (enterprises never imports them; the templates reverse
# their URLs by name).
TABS = (
    ("basic", gettext_lazy("基本信息"), "enterprises:profile_basic"),
    ("products", gettext_lazy("产品结构"), "enterprises:profile_products"),
    ("supply", gettext_lazy("上下游配套"), "enterprises:profile_supply"),
    ("employment", gettext_lazy("用工情况"), "enterprises:profile_employment"),
    ("indicators", gettext_lazy("经营指标"), "enterprises:profile_indicators"),
    ("timeline", gettext_lazy("走访跟踪"), "fieldwork:enterprise_timeline"),
    ("issues", gettext_lazy("问题"), "issues:enterprise_issues"),
    ("tier", gettext_lazy("分类调整"), "enterprises:profile_tier"),
    ("history", gettext_lazy("变更记录"), "enterprises:profile_history"),
)

TAB_TEMPLATES = {
    "basic": "enterprises/profile/basic.html",
    "products": "enterprises/profile/products.html",
    "supply": "enterprises/profile/supply.html",
    "employment": "enterprises/profile/employment.html",
    "indicators": "enterprises/profile/indicators.html",
    "tier": "enterprises/profile/tier.html",
    "history": "enterprises/profile/history.html",
}


def is_htmx(request: AuthenticatedRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def _enterprise(request: AuthenticatedRequest, pk: int, *, tab: str, edit: bool = False) -> Enterprise:
    """The enterprise behind a tab: 404 when out of scope (or, for bureau staff,
    any tab beyond the basic data; for all but managers and administrators, the
    change history), 403 for an edit by someone who may only read."""
    enterprise = enterprise_get(user=request.user, pk=pk)
    if tab != "basic" and not scope_for(request.user).sees_full_profile:
        raise Http404(_("没有找到该页面。"))
    if tab == "history" and not may_see_change_history(request.user):
        raise Http404(_("没有找到该页面。"))
    if edit:
        services.ensure_can_edit_profile(user=request.user, enterprise=enterprise)
    return enterprise


def _tab_context(request: AuthenticatedRequest, enterprise: Enterprise, tab: str) -> dict[str, Any]:
    """What each tab shows, read through the profile selectors."""
    user = request.user
    if tab == "basic":
        return {}
    if tab == "products":
        return {"products": product_list(enterprise=enterprise)}
    if tab == "supply":
        views = supply_link_views(enterprise=enterprise, user=user)
        return {"upstream": views["upstream"], "downstream": views["downstream"]}
    if tab == "employment":
        return {"records": employment_list(enterprise=enterprise)[:EMPLOYMENT_MONTHS_SHOWN]}
    if tab == "indicators":
        trend = indicator_trend(enterprise=enterprise, today=timezone.localdate())
        return {"trend": trend, "chart": _chart_data(trend), "chart_id": f"indicator-data-{enterprise.pk}"}
    if tab == "tier":
        return {"changes": tier_change_list(enterprise=enterprise), "tier_form": _tier_form(enterprise)}
    if tab == "history":
        return {"entries": profile_history(enterprise=enterprise)}
    raise ValueError(tab)


def _chart_data(trend: list[tuple[datetime.date, OperatingIndicator | None]]) -> dict[str, Any]:
    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "months": [f"{month:%Y-%m}" for month, _record in trend],
        "output": [number(record.output_value) if record else None for _month, record in trend],
        "orders": [number(record.orders_value) if record else None for _month, record in trend],
        "capacity": [record.capacity_use if record else None for _month, record in trend],
        "labels": {
            "output": _("产值（万元）"),
            "orders": _("订单额（万元）"),
            "capacity": _("产能利用率（%）"),
            "money_axis": _("万元"),
            "empty": _("近12个月尚未填报经营指标"),
        },
    }


def _tier_form(enterprise: Enterprise, data: QueryDict | None = None) -> TierChangeForm:
    form = TierChangeForm(data)
    # No tier is preselected: the new one is a deliberate choice.
    tier_field = form.fields["tier"]
    assert isinstance(tier_field, forms.ChoiceField)
    tier_field.choices = [("", _("请选择"))] + [
        (value, label) for value, label in Tier.choices if value != enterprise.tier
    ]
    return form


def render_tab(
    request: AuthenticatedRequest, enterprise: Enterprise, tab: str, *, extra: dict[str, Any] | None = None
) -> HttpResponse:
    """The tab as a partial for htmx, or inside the full profile page."""
    context = {
        "enterprise": enterprise,
        "tab": tab,
        "can_edit": services.can_edit_profile(user=request.user, enterprise=enterprise),
        **_tab_context(request, enterprise, tab),
        **(extra or {}),
    }
    template = TAB_TEMPLATES[tab]
    if is_htmx(request):
        response = render(request, template, context)
        if extra and extra.get("retarget"):
            # A form swapped itself in; on success the whole tab replaces it.
            response["HX-Retarget"] = f"#profile-{tab}"
            response["HX-Reswap"] = "outerHTML"
        return response
    tabs = tabs_for(request.user)
    return render(request, "enterprises/profile/page.html", {**context, "tabs": tabs, "tab_template": template})


def tabs_for(user: User) -> tuple[tuple[str, str | Promise, str], ...]:
    """The tabs ``user`` is shown, for the full page and the detail page alike: bureau
    staff the basic data only; the visit timeline for those who read field notes; the
    change history for those who see change history (``common.audit``)."""
    if not scope_for(user).sees_full_profile:
        return TABS[:1]
    hidden = set()
    if not scope_for(user).reads_field_notes:
        hidden.add("timeline")
    if not may_see_change_history(user):
        hidden.add("history")
    return tuple(entry for entry in TABS if entry[0] not in hidden)


# Tabs whose changes show in the page header (name, tier badge): after saving
# one of them, htmx reloads the whole page (which keeps the tab via its #hash).
RELOAD_AFTER_SAVE = ("basic", "tier")


def _saved(request: AuthenticatedRequest, enterprise: Enterprise, tab: str, notice: str) -> HttpResponse:
    """After a successful write: the refreshed tab (htmx) or a redirect to it."""
    if is_htmx(request) and tab in RELOAD_AFTER_SAVE:
        messages.success(request, notice)
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    if is_htmx(request):
        return render_tab(request, enterprise, tab, extra={"notice": notice, "retarget": True})
    messages.success(request, notice)
    return redirect(reverse(f"enterprises:profile_{tab}", args=[enterprise.pk]))


def _form_response(
    request: AuthenticatedRequest,
    enterprise: Enterprise,
    tab: str,
    form: forms.BaseForm,
    *,
    action: str,
    title: str,
    template: str = "",
) -> HttpResponse:
    context = {
        "enterprise": enterprise,
        "tab": tab,
        "form": form,
        "action": action,
        "title": title,
        "tab_url": reverse(f"enterprises:profile_{tab}", args=[enterprise.pk]),
    }
    template = template or "enterprises/profile/_form.html"
    if is_htmx(request):
        return render(request, template, context)
    return render(request, "enterprises/profile/form_page.html", {**context, "form_template": template})


def _tab_view(tab: str) -> Callable[..., HttpResponse]:
    @login_required
    @require_GET
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return render_tab(request, _enterprise(request, pk, tab=tab), tab)

    view.__name__ = f"profile_{tab}"
    return view


profile_basic = _tab_view("basic")
profile_products = _tab_view("products")
profile_supply = _tab_view("supply")
profile_employment = _tab_view("employment")
profile_indicators = _tab_view("indicators")
profile_tier = _tab_view("tier")
profile_history_tab = _tab_view("history")


# --- Basic data -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_basic_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="basic", edit=True)
    grids = services.editable_grids(user=request.user)
    action = reverse("enterprises:profile_basic_edit", args=[pk])
    if request.method == "GET":
        form = BasicDataForm(initial=BasicDataForm.initial_for(enterprise), grids=grids)
        return _form_response(request, enterprise, "basic", form, action=action, title=_("编辑基本信息"))
    form = BasicDataForm(request.POST, grids=grids)
    if form.is_valid():
        try:
            enterprise, changed = services.profile_update_basic(
                enterprise=enterprise,
                actor=request.user,
                fields=form.service_fields(),
                loaded_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            notice = _("已保存基本信息。") if changed else _("未作修改。")
            return _saved(request, enterprise, "basic", notice)
    return _form_response(request, enterprise, "basic", form, action=action, title=_("编辑基本信息"))


@login_required
@require_POST
def profile_tier_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="tier", edit=True)
    form = _tier_form(enterprise, request.POST)
    if form.is_valid():
        try:
            services.profile_change_tier(
                enterprise=enterprise,
                actor=request.user,
                tier=form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _saved(
                request, enterprise, "tier", _("企业分类已调整为“%(tier)s”。") % {"tier": enterprise.get_tier_display()}
            )
    return render_tab(request, enterprise, "tier", extra={"tier_form": form})


# --- Products ---------------------------------------------------------------


def _item_form_target(pk: int, item: int | None, *, kind: str, edit: str, add: str) -> tuple[str, str]:
    """Where a product or supply-link form posts, and its title: editing ``item``, or adding one."""
    if item:
        return reverse(f"enterprises:profile_{kind}_edit", args=[pk, item]), edit
    return reverse(f"enterprises:profile_{kind}_add", args=[pk]), add


@login_required
@require_http_methods(["GET", "POST"])
def profile_product_form(request: AuthenticatedRequest, pk: int, item: int | None = None) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="products", edit=True)
    product = get_object_or_404(product_list(enterprise=enterprise), pk=item) if item else None
    action, title = _item_form_target(pk, item, kind="product", edit=_("修改产品"), add=_("添加产品"))
    if request.method == "GET":
        return _form_response(
            request, enterprise, "products", ProductForm(instance=product), action=action, title=title
        )
    form = ProductForm(request.POST, instance=product)
    if form.is_valid():
        try:
            if product:
                services.product_update(product=product, actor=request.user, **form.cleaned_data)
            else:
                services.product_create(enterprise=enterprise, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _saved(
                request, enterprise, "products", _("已保存产品“%(name)s”。") % {"name": form.cleaned_data["name"]}
            )
    return _form_response(request, enterprise, "products", form, action=action, title=title)


@login_required
@require_POST
def profile_product_delete(request: AuthenticatedRequest, pk: int, item: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="products", edit=True)
    product = get_object_or_404(product_list(enterprise=enterprise), pk=item)
    services.product_delete(product=product, actor=request.user)
    return _saved(request, enterprise, "products", _("已删除产品“%(name)s”。") % {"name": product.name})


# --- Supply links -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_supply_form(request: AuthenticatedRequest, pk: int, item: int | None = None) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="supply", edit=True)
    link = get_object_or_404(supply_link_list(enterprise=enterprise), pk=item) if item else None
    action, title = _item_form_target(pk, item, kind="supply", edit=_("修改配套关系"), add=_("添加上下游配套"))
    template = "enterprises/profile/_supply_form.html"
    if request.method == "GET":
        initial = {}
        if link:
            partner = supply_link_partner(link=link, enterprise=enterprise)
            initial = {
                "direction": supply_link_direction(link=link, enterprise=enterprise),
                "partner": partner.uscc if partner else "",
                "outside_name": link.outside_name,
                "product": link.product,
                "annual_amount": link.annual_amount,
            }
        form = SupplyLinkForm(initial=initial)
        form.chosen_partner = supply_link_partner(link=link, enterprise=enterprise) if link else None
        return _form_response(request, enterprise, "supply", form, action=action, title=title, template=template)
    form = SupplyLinkForm(request.POST)
    form.chosen_partner = None
    if form.is_valid():
        data = form.cleaned_data
        form.chosen_partner = data["partner"]
        try:
            if link:
                services.supply_link_update(link=link, enterprise=enterprise, actor=request.user, **data)
            else:
                services.supply_link_create(enterprise=enterprise, actor=request.user, **data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _saved(request, enterprise, "supply", _("已保存配套关系。"))
    return _form_response(request, enterprise, "supply", form, action=action, title=title, template=template)


@login_required
@require_POST
def profile_supply_delete(request: AuthenticatedRequest, pk: int, item: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab="supply", edit=True)
    link = get_object_or_404(supply_link_list(enterprise=enterprise), pk=item)
    services.supply_link_delete(link=link, enterprise=enterprise, actor=request.user)
    return _saved(request, enterprise, "supply", _("已删除配套关系。"))


@login_required
@require_GET
def profile_partner_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Zone enterprises matching ``?q=`` as radio choices for the link form."""
    enterprise = _enterprise(request, pk, tab="supply", edit=True)
    query = request.GET.get("partner_q", request.GET.get("q", ""))
    results = partner_search(query=query, exclude=enterprise)
    return render(
        request,
        "enterprises/profile/_partner_options.html",
        {"results": results, "query": query.strip(), "enterprise": enterprise},
    )


# --- Monthly employment and indicators --------------------------------------


def _monthly_records(enterprise: Enterprise, tab: str) -> QuerySet[Any]:
    """The enterprise's monthly rows of one tab: employment figures or operating indicators."""
    if tab == "employment":
        return employment_list(enterprise=enterprise)
    return indicator_records(enterprise=enterprise)


def _monthly_form(request: AuthenticatedRequest, pk: int, *, tab: str) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab=tab, edit=True)
    form_class = EmploymentForm if tab == "employment" else IndicatorForm
    records = _monthly_records(enterprise, tab)
    action = reverse(f"enterprises:profile_{tab}_save", args=[pk])
    title = _("填报用工情况") if tab == "employment" else _("填报经营指标")
    if request.method == "GET":
        # ``?month=2025-03`` opens that month's figures for correction.
        month = _month_or_none(form_class.base_fields["month"], request.GET.get("month"))
        existing = records.filter(month=month).first() if month else None
        form = form_class(instance=existing, initial={"month": month or timezone.localdate().replace(day=1)})
        return _form_response(request, enterprise, tab, form, action=action, title=title)
    form = form_class(request.POST)
    if form.is_valid():
        save = services.employment_record_save if tab == "employment" else services.indicator_save
        try:
            _record, created = save(enterprise=enterprise, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            month = form.cleaned_data["month"]
            notice = _("已保存%(year)d年%(month)d月的数据。") % {"year": month.year, "month": month.month}
            return _saved(request, enterprise, tab, notice)
    return _form_response(request, enterprise, tab, form, action=action, title=title)


def _month_or_none(field: forms.Field, value: str | None) -> datetime.date | None:
    try:
        return field.clean(value) if value else None
    except ValidationError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def profile_employment_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _monthly_form(request, pk, tab="employment")


@login_required
@require_http_methods(["GET", "POST"])
def profile_indicators_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _monthly_form(request, pk, tab="indicators")


def _monthly_delete(request: AuthenticatedRequest, pk: int, item: int, *, tab: str) -> HttpResponse:
    enterprise = _enterprise(request, pk, tab=tab, edit=True)
    record = get_object_or_404(_monthly_records(enterprise, tab), pk=item)
    services.monthly_record_delete(record=record, actor=request.user)
    notice = _("已删除%(month)s的用工数据。") if tab == "employment" else _("已删除%(month)s的经营指标。")
    return _saved(request, enterprise, tab, notice % {"month": f"{record.month:%Y-%m}"})


@login_required
@require_POST
def profile_employment_delete(request: AuthenticatedRequest, pk: int, item: int) -> HttpResponse:
    return _monthly_delete(request, pk, item, tab="employment")


@login_required
@require_POST
def profile_indicators_delete(request: AuthenticatedRequest, pk: int, item: int) -> HttpResponse:
    return _monthly_delete(request, pk, item, tab="indicators")
