"""The weekly tracking close (Monday 08:00, for the ISO week before).

For the week it records, per enterprise due for tracking, whether it was
tracked and how its figures moved against the previous tracking; it proposes
tier changes from the monthly output (``TierRule``); and it tells each grid
officer which of his enterprises were missed. Everything is computed by the
database (Exists / Subquery annotations, conditional counts); rows are
upserted on their natural keys and notifications carry dedupe keys, so a rerun
changes nothing and sends nothing twice.

Who is due in a week: key enterprises (龙头、骨干、困难) every week; growth
enterprises once a month, checked in the month's last week (the last ISO
week whose Monday is in the month), where a tracking counts for the month of
the day it was made (``fieldwork.selectors.tracked_for_month``, as on the
officer home and in the monthly figures).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from analytics.aggregates import SubqueryCount
from analytics.models import Rhythm, SuggestionStatus, TierSuggestion, WeeklyClose, WeeklyEnterpriseStatus
from common.periods import IsoWeek, Month, week_closes_month, week_has_ended, week_month
from enterprises.models import KEY_TIERS, Enterprise, OperatingIndicator, Tier, TierChange
from fieldwork.models import RISK_FIELDS, WeeklyTracking
from fieldwork.selectors import tracked_for_month
from grids.models import GridTeam

logger = logging.getLogger(__name__)

STATUS_FIELDS = (
    "grid",
    "tier",
    "rhythm",
    "tracked",
    "tracking",
    "output_value",
    "previous_output_value",
    "employees",
    "previous_employees",
    "capacity_use",
    "previous_capacity_use",
    "risk_count",
)


@dataclass(frozen=True)
class TierRule:
    """Output over the latest three complete months against the three before them.

    Down by more than ``decline`` → suggest 困难 (struggling); a struggling
    enterprise up by at least ``recovery`` → suggest the tier it had before
    (from its tier history; 成长型 if none). Both thresholds are fractions and
    can be set in ``settings.ANALYTICS_TIER_RULE``. An enterprise needs all six
    months of output to be judged.
    """

    decline: Decimal = Decimal("0.30")
    recovery: Decimal = Decimal("0.30")

    @classmethod
    def from_settings(cls) -> "TierRule":
        configured = getattr(settings, "ANALYTICS_TIER_RULE", None) or {}
        unknown = set(configured) - {"decline", "recovery"}
        if unknown:
            raise ImproperlyConfigured(f"ANALYTICS_TIER_RULE: unknown keys {sorted(unknown)}")
        rule = cls(**{key: Decimal(str(value)) for key, value in configured.items()})
        if not (0 < rule.decline < 1 and rule.recovery > 0):
            raise ImproperlyConfigured("ANALYTICS_TIER_RULE: decline must be in (0, 1) and recovery above 0")
        return rule


@dataclass
class WeeklyResult:
    close: WeeklyClose
    suggestions_created: int
    notifications_sent: int


def weekly_close_run(*, week: IsoWeek, progress=None) -> WeeklyResult:
    """Close ``week``; only a finished week can be closed. Safe to run again."""
    step = progress or (lambda message: logger.debug("weekly close: %s", message))
    if not week_has_ended(week):
        raise ValidationError(
            _("%(week)s 尚未结束，只能对已结束的周关账。") % {"week": week.code}, code="week_not_ended"
        )
    with transaction.atomic():
        step(_("统计跟踪情况"))
        close = _close_week(week)
        step(_("生成分类调整建议"))
        created = _suggest_tiers(week, close)
        step(_("通知网格员"))
        sent = _notify_missed(close, week)
    return WeeklyResult(close=close, suggestions_created=created, notifications_sent=sent)


# --- Who was tracked --------------------------------------------------------------------


def _risk_count():
    return sum(
        (Case(When(**{flag: True}, then=Value(1)), default=Value(0)) for flag in RISK_FIELDS),
        Value(0),
    )


# What _status_values annotates (as ``s_<name>``).
_ANNOTATED = (
    "tracking",
    "output",
    "employees",
    "capacity",
    "risks",
    "previous_output",
    "previous_employees",
    "previous_capacity",
)


def _status_values(enterprises, tracking, earlier, rhythm: str) -> list[dict]:
    """One query: the enterprises with their tracking (if any) and the tracking before it."""
    rows = enterprises.annotate(
        s_tracking=Subquery(tracking.values("pk")[:1]),
        s_output=Subquery(tracking.values("output_value")[:1]),
        s_employees=Subquery(tracking.values("employees")[:1]),
        s_capacity=Subquery(tracking.values("capacity_use")[:1]),
        s_risks=Subquery(tracking.annotate(risks=_risk_count()).values("risks")[:1]),
        s_previous_output=Subquery(earlier.values("output_value")[:1]),
        s_previous_employees=Subquery(earlier.values("employees")[:1]),
        s_previous_capacity=Subquery(earlier.values("capacity_use")[:1]),
    ).values("pk", "grid_id", "tier", *(f"s_{name}" for name in _ANNOTATED))
    return [{**row, "rhythm": rhythm} for row in rows]


def _close_week(week: IsoWeek) -> WeeklyClose:
    close, _created = WeeklyClose.objects.update_or_create(
        iso_year=week.year,
        iso_week=week.week,
        defaults={"week_start": week.monday, "closed_at": timezone.now()},
    )
    key = Q(tier__in=KEY_TIERS)
    due = Enterprise.objects.all() if week_closes_month(week) else Enterprise.objects.filter(key)
    this_week = WeeklyTracking.objects.filter(enterprise=OuterRef("pk"), iso_year=week.year, iso_week=week.week)
    before_week = WeeklyTracking.objects.filter(enterprise=OuterRef("pk"), week_start__lt=week.monday)
    rows = _status_values(Enterprise.objects.filter(key), this_week, before_week.order_by("-week_start"), Rhythm.WEEKLY)
    if week_closes_month(week):
        month = week_month(week)
        # The monthly rhythm counts a tracking for the month of the day it was made (fieldwork's rule).
        in_month = tracked_for_month(
            WeeklyTracking.objects.filter(enterprise=OuterRef("pk")), month.first_day
        ).order_by("-tracked_at")
        before_month = WeeklyTracking.objects.filter(enterprise=OuterRef("pk"), week_start__lt=month.first_day)
        rows += _status_values(
            Enterprise.objects.exclude(key), in_month, before_month.order_by("-week_start"), Rhythm.MONTHLY
        )
    statuses = [
        WeeklyEnterpriseStatus(
            close=close,
            enterprise_id=row["pk"],
            grid_id=row["grid_id"],
            tier=row["tier"],
            rhythm=row["rhythm"],
            tracked=row["s_tracking"] is not None,
            tracking_id=row["s_tracking"],
            output_value=row["s_output"],
            previous_output_value=row["s_previous_output"],
            employees=row["s_employees"],
            previous_employees=row["s_previous_employees"],
            capacity_use=row["s_capacity"],
            previous_capacity_use=row["s_previous_capacity"],
            risk_count=row["s_risks"] or 0,
        )
        for row in rows
    ]
    # Upsert on (week, enterprise): a rerun updates the same rows and adds none.
    WeeklyEnterpriseStatus.objects.bulk_create(
        statuses,
        update_conflicts=True,
        unique_fields=["close", "enterprise"],
        update_fields=STATUS_FIELDS,
        batch_size=1000,
    )
    # An enterprise no longer due (its tier changed since the first run) leaves the week.
    WeeklyEnterpriseStatus.objects.filter(close=close).exclude(enterprise__in=due).delete()
    counts = WeeklyEnterpriseStatus.objects.filter(close=close).aggregate(
        expected=Count("pk"),
        tracked=Count("pk", filter=Q(tracked=True)),
        output_down=Count("pk", filter=Q(output_value__lt=F("previous_output_value"))),
        output_up=Count("pk", filter=Q(output_value__gt=F("previous_output_value"))),
        with_risks=Count("pk", filter=Q(risk_count__gt=0)),
    )
    counts["missed"] = counts["expected"] - counts["tracked"]
    WeeklyClose.objects.filter(pk=close.pk).update(**counts)
    close.refresh_from_db()
    return close


# --- Tier suggestions ------------------------------------------------------------------


def reference_month(week: IsoWeek) -> Month:
    """The latest month complete when the week ends."""
    return Month.of(week.sunday).previous


def _window(first: Month, last: Month):
    rows = OperatingIndicator.objects.filter(
        enterprise=OuterRef("pk"),
        output_value__isnull=False,
        month__gte=first.first_day,
        month__lte=last.first_day,
    )
    total = rows.order_by().values("enterprise").annotate(total=Sum("output_value")).values("total")
    return Subquery(total, output_field=DecimalField(max_digits=16, decimal_places=2)), SubqueryCount(rows.values("pk"))


def tier_candidates(reference: Month):
    """Enterprises with six months of output up to ``reference``, with both three-month totals."""
    recent_total, recent_months = _window(reference.minus(2), reference)
    previous_total, previous_months = _window(reference.minus(5), reference.minus(3))
    return Enterprise.objects.annotate(
        t_recent=recent_total,
        t_previous=previous_total,
        t_recent_months=recent_months,
        t_previous_months=previous_months,
    ).filter(t_recent_months=3, t_previous_months=3, t_previous__gt=0)


def _suggest_tiers(week: IsoWeek, close: WeeklyClose) -> int:
    rule = TierRule.from_settings()
    reference = reference_month(week)
    # Suggestions overtaken by a tier change made since are no longer to decide.
    TierSuggestion.objects.filter(status=SuggestionStatus.PENDING).exclude(enterprise__tier=F("from_tier")).update(
        status=SuggestionStatus.OBSOLETE, decided_at=timezone.now()
    )
    pending = TierSuggestion.objects.filter(enterprise=OuterRef("pk"), status=SuggestionStatus.PENDING)
    candidates = tier_candidates(reference)
    declined = (
        candidates.exclude(tier=Tier.STRUGGLING)
        .filter(t_recent__lt=F("t_previous") * (1 - rule.decline))
        .exclude(Exists(pending.filter(to_tier=Tier.STRUGGLING)))
        .annotate(t_to=Value(Tier.STRUGGLING))
    )
    tier_before = (
        TierChange.objects.filter(enterprise=OuterRef("pk"), to_tier=Tier.STRUGGLING)
        .exclude(from_tier="")
        .exclude(from_tier=Tier.STRUGGLING)
        .order_by("-changed_at", "-pk")
        .values("from_tier")[:1]
    )
    recovered = (
        candidates.filter(tier=Tier.STRUGGLING, t_recent__gte=F("t_previous") * (1 + rule.recovery))
        .exclude(Exists(pending.filter(from_tier=Tier.STRUGGLING)))
        .annotate(t_to=Coalesce(Subquery(tier_before), Value(Tier.GROWTH)))
    )
    fields = ("pk", "tier", "t_to", "t_recent", "t_previous")
    suggestions = [
        TierSuggestion(
            enterprise_id=row["pk"],
            reference_month=reference.first_day,
            from_tier=row["tier"],
            to_tier=row["t_to"],
            reason=_suggestion_reason(row, reference),
            recent_output=row["t_recent"],
            previous_output=row["t_previous"],
            close=close,
        )
        for row in [*declined.values(*fields), *recovered.values(*fields)]
    ]
    before = TierSuggestion.objects.count()
    TierSuggestion.objects.bulk_create(suggestions, ignore_conflicts=True)
    created = TierSuggestion.objects.count() - before
    _notify_suggestions(reference)
    return created


def _suggestion_reason(row: dict, reference: Month) -> str:
    change = (row["t_recent"] - row["t_previous"]) / row["t_previous"]
    params = {
        "months": f"{reference.minus(2)}～{reference}",
        "change": f"{abs(change) * 100:.1f}",
        "recent": f"{row['t_recent']:,.2f}",
        "previous": f"{row['t_previous']:,.2f}",
    }
    if row["t_to"] == Tier.STRUGGLING:
        return _("%(months)s 产值 %(recent)s 万元，较前三个月（%(previous)s 万元）下降 %(change)s%%") % params
    return _("%(months)s 产值 %(recent)s 万元，较前三个月（%(previous)s 万元）回升 %(change)s%%") % params


def _notify_suggestions(reference: Month) -> None:
    """Tell each district leader of the pending suggestions in his district (once per suggestion)."""
    pending = TierSuggestion.objects.filter(
        status=SuggestionStatus.PENDING,
        reference_month=reference.first_day,
        enterprise__grid__district__leader__isnull=False,
    ).select_related("enterprise__grid__district__leader")
    url = reverse("analytics:suggestions")
    for suggestion in pending:
        notify(
            recipient=suggestion.enterprise.grid.district.leader,
            kind="tier_suggestion",
            title=_("企业分类调整建议：%(name)s 建议调整为%(tier)s")
            % {"name": suggestion.enterprise.name, "tier": suggestion.get_to_tier_display()},
            body=suggestion.reason,
            url=url,
            dedupe_key=f"tier-suggestion:{suggestion.pk}",
        )


# --- Telling the officers -------------------------------------------------------------


def _notify_missed(close: WeeklyClose, week: IsoWeek) -> int:
    """One notification per officer (and grid leader) listing his missed enterprises."""
    missed = WeeklyEnterpriseStatus.objects.filter(close=close, tracked=False)
    names_by_grid = defaultdict(list)
    for grid_id, name in missed.order_by("enterprise__name").values_list("grid_id", "enterprise__name"):
        names_by_grid[grid_id].append(name)
    if not names_by_grid:
        return 0
    people = defaultdict(set)
    teams = GridTeam.objects.filter(pk__in=names_by_grid).values_list("pk", "officers", "leader_id")
    for grid_id, officer_id, leader_id in teams:
        for person_id in (officer_id, leader_id):
            if person_id:
                people[person_id].add(grid_id)
    recipients = User.objects.filter(pk__in=people, is_active=True).order_by("pk")
    url = f"{reverse('analytics:weekly')}?week={week.code}"
    sent = 0
    for person in recipients:
        names = sorted({name for grid_id in people[person.pk] for name in names_by_grid[grid_id]})
        created = notify(
            recipient=person,
            kind="tracking_missed",
            title=_("%(week)s 有 %(count)d 家企业未完成跟踪") % {"week": week.code, "count": len(names)},
            body=_("请尽快补充跟踪：%(names)s") % {"names": "、".join(names)},
            url=url,
            dedupe_key=f"weekly-missed:{week.code}:{person.pk}",
        )
        sent += created is not None
    return sent
