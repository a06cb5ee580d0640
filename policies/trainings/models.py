"""Topic trainings (专题培训) on policies, their registrations and attendance.

A session has a capacity; registering beyond it waitlists, and a cancelled seat
goes to the first on the waitlist in the same transaction. Attendance is taken
at the door: the session's QR code carries an unguessable token; an enterprise
user signed in on a phone opens it and checks in its own registered attendees,
or an officer checks someone in by name. States change only in
``policies.trainings.services``.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, optional_user


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class TrainingSession(TimeStampedModel):
    topic = models.CharField(_("培训主题"), max_length=200)
    description = models.TextField(_("培训内容"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1), MaxValueValidator(5000)])
    policies = models.ManyToManyField(
        "policies.Policy", verbose_name=_("涉及政策"), blank=True, related_name="trainings"
    )
    organiser = optional_user(_("组织人"), on_delete=models.SET_NULL, related_name="organised_trainings")
    # The key of the door QR code: whoever holds it may open the check-in page (after signing in).
    checkin_token = models.CharField(_("签到码"), max_length=64, unique=True, default=new_checkin_token, editable=False)

    class Meta:
        verbose_name = _("专题培训")
        verbose_name_plural = _("专题培训")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["-starts_at"])]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("trainings:detail", args=[self.pk])

    def get_checkin_url(self) -> str:
        return reverse("trainings:checkin", args=[self.checkin_token])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已签到")


# The states that hold a seat.
SEATED = (RegistrationState.REGISTERED, RegistrationState.ATTENDED)


class Registration(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="registrations"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    attendee_name = models.CharField(_("参训人"), max_length=50)
    attendee_phone = models.CharField(_("手机号"), max_length=20)
    state = models.CharField(
        _("状态"), max_length=12, choices=RegistrationState.choices, default=RegistrationState.REGISTERED
    )
    registered_at = models.DateTimeField(_("报名时间"))
    registered_by = optional_user(_("报名人"), on_delete=models.SET_NULL)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = optional_user(_("签到登记人"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["registered_at", "id"]
        indexes = [
            # Seats taken and the waitlist order of a session.
            models.Index(fields=["session", "state", "registered_at"]),
            models.Index(fields=["enterprise", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "attendee_phone"],
                condition=~Q(state="cancelled"),
                name="trainings_one_live_registration_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name} · {self.session}"
