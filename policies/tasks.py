"""Celery tasks of the policy matching. They take ids, re-read, and are safe to run twice."""

from celery import shared_task

from common.jobs import RETRY_TRANSIENT, job_lock
from policies import eligibility
from policies.models import PolicyClause


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def evaluate_enterprise(enterprise_id: int) -> int:
    """After a profile change (committed): this enterprise against every published clause."""
    return eligibility.evaluate_enterprises(enterprise_ids=[enterprise_id])


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def evaluate_policy(policy_id: int) -> int:
    """After a publish or a clause change: the policy's clauses against every enterprise."""
    clause_ids = list(PolicyClause.objects.filter(policy_id=policy_id).values_list("pk", flat=True))
    return eligibility.evaluate_clauses(clause_ids=clause_ids)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def evaluate_all() -> int | None:
    """Nightly (CELERY_BEAT_SCHEDULE): every enterprise against every published clause, so that
    facts that age (the latest month's indicators) and anything a signal missed catch up."""
    with job_lock("policies.evaluate_all") as held:
        return eligibility.evaluate_enterprises() if held else None
