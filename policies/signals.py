"""Re-evaluate an enterprise's eligibility after its profile changes (connected in ``PoliciesConfig.ready``).

The receivers only schedule the task after commit, once per enterprise per transaction: the
profile saves stay fast, and a rolled-back change schedules nothing.
"""

from django.db import connection, transaction

from enterprises.models import Enterprise, OperatingIndicator


def schedule_evaluation(enterprise_id: int) -> None:
    # A roster import saves hundreds of rows of one enterprise in one transaction: look for a
    # callback already queued for it (Django clears the list on commit or rollback).
    for _savepoints, callback, _robust in connection.run_on_commit:
        if getattr(callback, "policies_enterprise_id", None) == enterprise_id:
            return

    from policies.models import PolicyClause, PolicyState

    # Nothing to match against (a fresh zone, most test databases): schedule nothing.
    if not PolicyClause.objects.filter(policy__state=PolicyState.PUBLISHED).exists():
        return

    def send() -> None:
        from policies.tasks import evaluate_enterprise

        evaluate_enterprise.delay(enterprise_id)

    send.policies_enterprise_id = enterprise_id  # type: ignore[attr-defined]
    transaction.on_commit(send)


def enterprise_saved(sender, instance: Enterprise, raw: bool = False, **kwargs) -> None:
    if not raw:
        schedule_evaluation(instance.pk)


def indicator_changed(sender, instance: OperatingIndicator, raw: bool = False, **kwargs) -> None:
    if not raw:
        schedule_evaluation(instance.enterprise_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(enterprise_saved, sender=Enterprise, dispatch_uid="policies-enterprise-saved")
    post_save.connect(indicator_changed, sender=OperatingIndicator, dispatch_uid="policies-indicator-saved")
    post_delete.connect(indicator_changed, sender=OperatingIndicator, dispatch_uid="policies-indicator-deleted")
