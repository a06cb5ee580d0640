"""Every write to trainings: sessions, registrations with the waitlist, and check-in at the door.

Writes to a session's registrations lock the session row first, so the seat
count and the waitlist order are decided one writer at a time.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import enterprise_people, notify
from accounts.scoping import scope_for
from common.transitions import required_text
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprises_visible
from policies.funding.errors import InvalidInput, NotPermitted, StateConflict
from policies.models import Policy
from policies.trainings.models import SEATED, Registration, RegistrationState, TrainingSession

# Check-in opens this long before the start (people arrive early) and closes at the end.
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=2)
ORGANISER_ROLES = (Role.MANAGER, Role.ADMIN, Role.DISTRICT_LEADER, Role.GRID_OFFICER, Role.BUREAU_STAFF)


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _is_staff(user: User | None) -> bool:
    return bool(user and (user.is_superuser or user.role in ORGANISER_ROLES))


def _may_act_for(user: User, enterprise: Enterprise) -> bool:
    """The enterprise's own user, or staff who see the enterprise (managers, its officers and leader)."""
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return scope.enterprise_id == enterprise.pk
    return enterprises_visible(user=user).filter(pk=enterprise.pk).exists()


def _lock_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _lock_registration(
    registration: Registration, *, related: tuple[str, ...] = ()
) -> tuple[TrainingSession, Registration]:
    """Lock the session first (the seat count and the waitlist order), then the registration."""
    session = _lock_session(registration.session)
    rows = Registration.objects.select_for_update()
    return session, (rows.select_related(*related) if related else rows).get(pk=registration.pk)


def _require_state(registration: Registration, allowed: tuple[str, ...], refusal: str) -> None:
    """Refuse (409) a registration in another state; ``refusal`` names the current one as ``%(state)s``."""
    if registration.state not in allowed:
        raise StateConflict(refusal % {"state": registration.get_state_display()})


@transaction.atomic
def session_create(
    *,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    capacity: int,
    actor: User,
    policies: list[Policy] | None = None,
    description: str = "",
    organiser: User | None = None,
) -> TrainingSession:
    if not _is_staff(actor):
        raise NotPermitted(_("只有园区工作人员可以组织专题培训。"))
    session = TrainingSession(
        topic=required_text(topic, _("请填写培训主题。"), field="topic"),
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=required_text(place, _("请填写培训地点。"), field="place"),
        capacity=capacity,
        organiser=organiser or actor,
    )
    session.full_clean()
    session.save()
    if policies:
        session.policies.set(policies)
    return session


@transaction.atomic
def registration_create(
    *,
    session: TrainingSession,
    enterprise: Enterprise,
    attendee_name: str,
    attendee_phone: str,
    actor: User,
    at: datetime.datetime | None = None,
) -> Registration:
    """Register one attendee: a seat while there is one, else the waitlist (候补)."""
    at = _now(at)
    if not _may_act_for(actor, enterprise):
        raise NotPermitted(_("您无权为该企业报名。"))
    session = _lock_session(session)
    if at >= session.starts_at:
        raise StateConflict(_("培训已开始或已结束，报名已截止。"))
    name = required_text(attendee_name, _("请填写参训人姓名。"), field="attendee_name")
    phone = required_text(attendee_phone, _("请填写参训人手机号。"), field="attendee_phone")
    if session.registrations.filter(attendee_phone=phone).exclude(state=RegistrationState.CANCELLED).exists():
        raise InvalidInput(_("该手机号已报名本次培训。"), field="attendee_phone")
    seats_taken = session.registrations.filter(state__in=SEATED).count()
    registration = Registration(
        session=session,
        enterprise=enterprise,
        attendee_name=name,
        attendee_phone=phone,
        state=RegistrationState.REGISTERED if seats_taken < session.capacity else RegistrationState.WAITLISTED,
        registered_at=at,
        registered_by=actor,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise InvalidInput(_("该手机号已报名本次培训。"), field="attendee_phone") from None
    return registration


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: User, at: datetime.datetime | None = None
) -> Registration:
    """Cancel; a seat freed goes to the first on the waitlist, in the same transaction."""
    at = _now(at)
    session, registration = _lock_registration(registration, related=("enterprise",))
    if not _may_act_for(actor, registration.enterprise):
        raise NotPermitted(_("您无权取消该报名。"))
    _require_state(
        registration,
        (RegistrationState.REGISTERED, RegistrationState.WAITLISTED),
        _("只能取消已报名或候补的报名。当前状态：%(state)s。"),
    )
    if at >= session.ends_at:
        raise StateConflict(_("培训已结束，不能取消报名。"))
    held_a_seat = registration.state == RegistrationState.REGISTERED
    registration.state = RegistrationState.CANCELLED
    registration.cancelled_at = at
    registration.full_clean(validate_constraints=False)
    registration.save(update_fields=["state", "cancelled_at"])
    if held_a_seat:
        _promote_first_waitlisted(session)
    return registration


def _promote_first_waitlisted(session: TrainingSession) -> Registration | None:
    if session.registrations.filter(state__in=SEATED).count() >= session.capacity:
        return None
    first = (
        session.registrations.select_for_update()
        .filter(state=RegistrationState.WAITLISTED)
        .order_by("registered_at", "id")
        .first()
    )
    if first is None:
        return None
    first.state = RegistrationState.REGISTERED
    first.save(update_fields=["state"])
    for user in enterprise_people(enterprise_id=first.enterprise_id):
        notify(
            recipient=user,
            kind="training_promoted",
            title=_("候补转正：%(topic)s") % {"topic": session.topic},
            body=_("%(name)s 已获得培训名额，请按时参加。") % {"name": first.attendee_name},
            url=session.get_absolute_url(),
            dedupe_key=f"training:{first.pk}:promoted:{user.pk}",
        )
    return first


@transaction.atomic
def registration_check_in(
    *, registration: Registration, actor: User, at: datetime.datetime | None = None
) -> Registration:
    """Mark a registered attendee present. The enterprise's own user (by the door QR) or staff at the door."""
    at = _now(at)
    session, registration = _lock_registration(registration)
    scope = scope_for(actor)
    if scope.role == Role.ENTERPRISE_USER:
        if registration.enterprise_id != scope.enterprise_id:
            raise NotPermitted(_("只能为本企业的参训人签到。"))
    elif not _is_staff(actor):
        raise NotPermitted(_("您无权登记签到。"))
    _require_state(
        registration, (RegistrationState.REGISTERED,), _("只有已报名的参训人可以签到。当前状态：%(state)s。")
    )
    opens = session.starts_at - CHECKIN_OPENS_BEFORE
    if not (opens <= at <= session.ends_at):
        raise StateConflict(
            _("签到时间为 %(opens)s 至 %(closes)s。")
            % {
                "opens": date_format(timezone.localtime(opens), "SHORT_DATETIME_FORMAT"),
                "closes": date_format(timezone.localtime(session.ends_at), "SHORT_DATETIME_FORMAT"),
            }
        )
    registration.state = RegistrationState.ATTENDED
    registration.checked_in_at = at
    registration.checked_in_by = actor
    registration.save(update_fields=["state", "checked_in_at", "checked_in_by"])
    return registration
