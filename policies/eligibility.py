"""Eligibility as data: a clause's criteria over an enterprise's facts give one of three answers.

* **ineligible** — a hard criterion fails (the first failing one decided);
* **unknown** — no hard criterion fails but one cannot be read because its fact is missing
  (the first such criterion decided; ``missing`` lists every missing fact of the hard
  criteria — what the grid officer is asked to collect);
* **eligible** — every hard criterion holds.

Soft criteria never decide: the ones that hold add to ``score`` (percent of soft criteria
met) and to the reasons. The ``trace`` has one step per criterion, in order, so a page can
say exactly why.

``evaluate_clause`` is pure (no database); ``evaluate_enterprises`` and
``evaluate_clauses`` read facts in bulk and store ``EligibilityResult`` rows.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Enterprise
from policies import facts as fact_registry
from policies.facts import MISSING, EnterpriseFacts
from policies.models import (
    Answer,
    ClauseCriterion,
    EligibilityResult,
    EnterpriseFact,
    PolicyClause,
    PolicyState,
)

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"


@dataclass
class Verdict:
    answer: str
    missing: list[str] = field(default_factory=list)
    trace: list[dict] = field(default_factory=list)
    decided_by: ClauseCriterion | None = None
    score: int = 0


def compare(operator: str, actual: Any, expected: Any) -> bool:
    if operator in ("gte", "gt", "lte", "lt") or (
        operator == "eq" and fact_registry.as_number(expected) is not None and not isinstance(expected, bool)
    ):
        left, right = fact_registry.as_number(actual), fact_registry.as_number(expected)
        if left is None or right is None:
            return False
        return {
            "gte": left >= right,
            "gt": left > right,
            "lte": left <= right,
            "lt": left < right,
            "eq": left == right,
        }[operator]
    if operator == "eq":
        return actual == expected
    if operator == "ne":
        return actual != expected
    if operator == "in":
        return actual in expected
    if operator == "not_in":
        return actual not in expected
    raise ValueError(f"unknown operator {operator!r}")


def check(criterion: ClauseCriterion, facts: EnterpriseFacts) -> dict:
    """One step of the trace: what the criterion asked, what the enterprise has, and the outcome."""
    definition = fact_registry.FACTS[criterion.fact]
    actual = facts.value(criterion.fact)
    if actual is MISSING:
        outcome = UNKNOWN
    else:
        outcome = PASS if compare(criterion.operator, actual, criterion.value) else FAIL
    return {
        "criterion": criterion.pk,
        "fact": criterion.fact,
        "operator": criterion.operator,
        "expected": criterion.value,
        "actual": None if actual is MISSING else _jsonable(actual),
        "actual_text": definition.display(actual),
        "outcome": outcome,
        "hard": criterion.is_hard,
        "article": criterion.article,
        "text": criterion.describe(),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    number = fact_registry.as_number(value)
    # The same text on every database ("500", not "500.00" here and "500" there).
    return f"{number.normalize():f}" if number is not None else str(value)


def evaluate_clause(criteria: Sequence[ClauseCriterion], facts: EnterpriseFacts) -> Verdict:
    """The answer for one clause (its criteria, in order) and one enterprise's facts."""
    trace = [check(criterion, facts) for criterion in criteria]
    by_step = list(zip(criteria, trace, strict=True))
    hard_failed = [criterion for criterion, step in by_step if step["hard"] and step["outcome"] == FAIL]
    hard_unknown = [criterion for criterion, step in by_step if step["hard"] and step["outcome"] == UNKNOWN]
    soft = [step for step in trace if not step["hard"]]
    score = round(100 * sum(step["outcome"] == PASS for step in soft) / len(soft)) if soft else 0
    if hard_failed:
        return Verdict(Answer.INELIGIBLE, [], trace, hard_failed[0], score)
    if hard_unknown:
        missing = list(dict.fromkeys(key for criterion in hard_unknown for key in _to_collect(criterion.fact, facts)))
        return Verdict(Answer.UNKNOWN, missing, trace, hard_unknown[0], score)
    return Verdict(Answer.ELIGIBLE, [], trace, None, score)


def _to_collect(key: str, facts: EnterpriseFacts) -> list[str]:
    """What to collect so that fact ``key`` can be read: itself, or the missing facts it is worked out from."""
    sources = fact_registry.FACTS[key].derived_from
    return [source for source in sources if facts.value(source) is MISSING] or [key]


class _CaseFacts(EnterpriseFacts):
    """Facts given as a plain mapping (a ``CriterionCase``): unlisted keys are missing."""

    def __init__(self, values: dict[str, Any]):
        super().__init__(enterprise=None)  # type: ignore[arg-type]
        self.values = values

    def value(self, key: str) -> Any:
        if key not in self.values and fact_registry.FACTS[key].derived_from:
            return fact_registry.FACTS[key].read(self)  # 企业规模 from the case's employees and revenue
        value = self.values.get(key, MISSING)
        return MISSING if value is None else value


def evaluate_facts(criteria: Sequence[ClauseCriterion], values: dict[str, Any]) -> Verdict:
    """The answer for facts given as ``{key: value}`` (what a clause's test cases state)."""
    return evaluate_clause(criteria, _CaseFacts(values))


# --- Stored results ---------------------------------------------------------------------------


def _published_clauses(clauses: QuerySet[PolicyClause] | None = None) -> list[PolicyClause]:
    clauses = clauses if clauses is not None else PolicyClause.objects.all()
    return list(
        clauses.filter(policy__state=PolicyState.PUBLISHED).prefetch_related("criteria").select_related("policy")
    )


def _load_facts(enterprises: QuerySet[Enterprise]) -> list[EnterpriseFacts]:
    loaded = list(fact_registry.with_latest_indicators(enterprises))
    recorded = EnterpriseFact.objects.filter(enterprise__in=[e.pk for e in loaded]).values_list(
        "enterprise_id", "key", "value"
    )
    return fact_registry.facts_for(loaded, recorded)


def _store(facts_list: Iterable[EnterpriseFacts], clauses: list[PolicyClause], at: datetime.datetime) -> int:
    rows = []
    for facts in facts_list:
        for clause in clauses:
            verdict = evaluate_clause(list(clause.criteria.all()), facts)
            rows.append(
                EligibilityResult(
                    enterprise=facts.enterprise,
                    clause=clause,
                    answer=verdict.answer,
                    missing_facts=verdict.missing,
                    trace=verdict.trace,
                    decided_by=verdict.decided_by,
                    score=verdict.score,
                    evaluated_at=at,
                )
            )
    EligibilityResult.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["enterprise", "clause"],
        update_fields=["answer", "missing_facts", "trace", "decided_by", "score", "evaluated_at"],
    )
    return len(rows)


BATCH = 500


@transaction.atomic
def evaluate_enterprises(*, enterprise_ids: Iterable[int] | None = None, at: datetime.datetime | None = None) -> int:
    """Re-evaluate every published clause for these enterprises (all of them when None); idempotent.

    Answers for clauses no longer published are dropped, so lists never show a stale match.
    Returns the number of results written.
    """
    at = at or timezone.now()
    clauses = _published_clauses()
    enterprises = Enterprise.objects.order_by("pk")
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=list(enterprise_ids))
    stale = EligibilityResult.objects.exclude(clause__in=[clause.pk for clause in clauses])
    if enterprise_ids is not None:
        stale = stale.filter(enterprise__in=enterprises)
    stale.delete()
    written = 0
    ids = list(enterprises.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = Enterprise.objects.filter(pk__in=ids[start : start + BATCH])
        written += _store(_load_facts(chunk), clauses, at)
    return written


@transaction.atomic
def evaluate_clauses(*, clause_ids: Iterable[int], at: datetime.datetime | None = None) -> int:
    """Re-evaluate these clauses for every enterprise (after a publish or a criteria change)."""
    at = at or timezone.now()
    clause_ids = list(clause_ids)
    clauses = _published_clauses(PolicyClause.objects.filter(pk__in=clause_ids))
    EligibilityResult.objects.filter(clause_id__in=clause_ids).exclude(clause__in=[c.pk for c in clauses]).delete()
    if not clauses:
        return 0
    written = 0
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        written += _store(_load_facts(Enterprise.objects.filter(pk__in=ids[start : start + BATCH])), clauses, at)
    return written
