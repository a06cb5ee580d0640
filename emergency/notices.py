"""Who is told about an incident, what they are told, and the claim-then-send loop.

Delivery semantics (at most once per notice):

* every (incident, person or robot, channel) has one ``Notice`` row (unique), created
  idempotently before sending;
* a notice is **claimed** by a conditional update (``claimed_at`` from NULL) before
  the send and marked ``sent_at`` after it: a second run, or two workers at once,
  find it claimed and skip it;
* when the channel says the message certainly did not arrive (``DeliveryFailed``:
  connection refused, an HTTP error, the robot's error code), the claim is released
  and the task retries later;
* when the process dies between the claim and the mark (a crash), the notice stays
  claimed and is **not** sent again: the message may well have left (a robot POST
  answered but not recorded), and a duplicate in a group chat during an emergency
  is noise. Such a notice shows as "状态不明" on the board, and the roll call
  covers the gap: an enterprise that does not acknowledge becomes a call task.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from emergency.channels import DeliveryFailed, InAppChannel, Message, channel_named, configured_robots
from emergency.models import AffectedEnterprise, Channel, Incident, Notice
from emergency.services import absolute


def incident_recipients(incident: Incident) -> tuple[dict[int, int], list[User]]:
    """``({enterprise user id: affected row id}, [officers and leaders of the affected grids])``."""
    rows = dict(AffectedEnterprise.objects.filter(incident=incident).values_list("enterprise_id", "pk"))
    enterprise_users = {
        user_id: rows[enterprise_id]
        for user_id, enterprise_id in User.objects.filter(
            role=Role.ENTERPRISE_USER, is_active=True, enterprise_id__in=list(rows)
        ).values_list("pk", "enterprise_id")
    }
    grid_ids = AffectedEnterprise.objects.filter(incident=incident).values("grid_id")
    officers = list(
        User.objects.filter(Q(grid_teams__in=grid_ids) | Q(led_grid_teams__in=grid_ids), is_active=True)
        .exclude(role=Role.ENTERPRISE_USER)
        .distinct()
        .order_by("pk")
    )
    return enterprise_users, officers


def notices_prepare(incident: Incident) -> int:
    """Create the incident's missing Notice rows (idempotent); returns how many exist."""
    enterprise_users, officers = incident_recipients(incident)
    rows = [
        Notice(
            incident=incident, channel=Channel.IN_APP, address=f"user:{user_id}", recipient_id=user_id, affected_id=aid
        )
        for user_id, aid in enterprise_users.items()
    ]
    rows += [
        Notice(incident=incident, channel=Channel.IN_APP, address=f"user:{user.pk}", recipient=user)
        for user in officers
        if user.pk not in enterprise_users
    ]
    rows += [
        Notice(incident=incident, channel=robot.name, address=f"robot:{robot.name}") for robot in configured_robots()
    ]
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    return Notice.objects.filter(incident=incident).count()


def _label(incident: Incident) -> str:
    prefix = _("【应急演练】") if incident.is_exercise else _("【应急通知】")
    return f"{prefix}{incident.title}"


def message_for(notice: Notice) -> Message:
    incident = notice.incident
    key = f"emergency:{incident.pk}:notice:{notice.address}"
    if notice.affected_id:
        return Message(
            title=_label(incident),
            body=_("%(description)s\n请贵企业立即点击本企业专属链接确认收到：") % {"description": incident.description},
            url=absolute(reverse("emergency:ack", args=[notice.affected.token])),
            key=key,
        )
    if notice.recipient_id:
        return Message(
            title=_label(incident),
            body=_("%(description)s\n请立即联系本网格受影响企业，并在点名表上登记情况。")
            % {"description": incident.description},
            url=absolute(reverse("emergency:board", args=[incident.pk])),
            key=key,
        )
    count = AffectedEnterprise.objects.filter(incident=incident).count()
    return Message(
        title=_label(incident),
        body=_("%(description)s\n受影响企业 %(count)s 家，各网格员请立即逐家联系并登记。")
        % {"description": incident.description, "count": count},
        url=absolute(reverse("emergency:board", args=[incident.pk])),
        key=key,
    )


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def notices_send(*, incident_id: int) -> SendResult:
    """Send every unclaimed notice of the incident, once (see the module's semantics)."""
    result = SendResult()
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or not incident.is_open:
        return result
    notices_prepare(incident)
    pending = Notice.objects.filter(incident=incident, claimed_at__isnull=True).select_related(
        "incident", "recipient", "affected"
    )
    for notice in pending.order_by("pk"):
        claimed = Notice.objects.filter(pk=notice.pk, claimed_at__isnull=True).update(
            claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not claimed:
            result.skipped += 1
            continue
        channel = InAppChannel() if notice.channel == Channel.IN_APP else channel_named(notice.channel)
        try:
            if channel is None:
                raise DeliveryFailed(f"channel {notice.channel} is switched off")
            channel.send(notice.recipient, message_for(notice))
        except DeliveryFailed as error:
            Notice.objects.filter(pk=notice.pk).update(claimed_at=None, last_error=str(error)[:300])
            result.failed += 1
            result.errors.append(str(error))
            continue
        now = timezone.now()
        Notice.objects.filter(pk=notice.pk).update(sent_at=now, last_error="")
        if notice.affected_id:
            AffectedEnterprise.objects.filter(pk=notice.affected_id, notified_at__isnull=True).update(notified_at=now)
        result.sent += 1
    return result
