"""The issue state machine. Pages, API, Celery and commands all call these.

States (DESIGN §3)::

    submitted ─accept─▶ accepted ─start─▶ in_progress ─resolve─▶ resolved ─(verify ok | feedback ok | close)─▶ closed
        └─reject─▶ rejected
    accepted / in_progress ─escalate (grid → bureau → task force) / return (bureau → grid)─▶ accepted
    resolved ─(verify fails: rework 返工 | feedback 不满意: reopen)─▶ in_progress
    submitted / accepted / in_progress ─merge─▶ merged

Who may do what (``issues.policy.RULES`` holds the same table in code):

============================  =====================================  ================================================
action                        from state(s)                          who
============================  =====================================  ================================================
accept (立案) / reject         submitted                              the receiving unit: grid officers/leader of the
                                                                     enterprise's grid and its district leader (the
                                                                     bureau itself for an issue a bureau entered)
start (签收办理)               accepted                               the unit holding it: the grid at grid level, the
                                                                     bureau's staff at bureau level, staff of the task
                                                                     force's bureaus at task-force level
escalate (升级, reason)        accepted, in_progress                  the holding unit: grid → a named bureau (default:
                                                                     the category's bureau), bureau → the joint task
                                                                     force; automatic from the deadline sweep
return (退回, reason)          accepted, in_progress (bureau level)   staff of the holding bureau → back to the grid
extend (申请延期, reason)      accepted, in_progress                  the holding unit; one pending request at a time
approve-extension              accepted, in_progress + a request      the grid leader or the district leader, never the
                                                                     requester; approval moves the deadline, counted
resolve (办结, resolution)     accepted, in_progress                  the holding unit
verify (核查)                  resolved                               the grid side: passed → closed; failed (reason)
                                                                     → in_progress as rework (返工), counted
feedback (评价)                resolved                               the enterprise's own users only: 满意/基本满意 →
                                                                     closed; 不满意 (comment) → in_progress, counted
close (销号)                   resolved                               the grid side (e.g. feedback given by phone)
merge (合并重复)               submitted, accepted, in_progress       the holding unit or the grid side; the enterprise
                                                                     is told
note (内部备注) / reply (回复)  any but merged / while open            staff in scope; the enterprise replies only
============================  =====================================  ================================================

Managers and admins may do everything except giving the enterprise's feedback.
Every refusal raises an ``issues.errors.TransitionError`` and writes nothing.

Concurrency: each transition locks the row (``SELECT … FOR UPDATE``) and
compares the ``version`` the caller loaded with the locked row's; a mismatch
(someone else acted first) raises ``IssueChanged``. The loser of two
simultaneous resolves therefore waits for the lock, sees the new version and
is told the issue changed; exactly one event is written.
"""

from issues import policy
from issues.services.closing import issue_close, issue_comment, issue_feedback, issue_verify
from issues.services.handling import (
    issue_decide_extension,
    issue_escalate,
    issue_request_extension,
    issue_resolve,
    issue_return,
    issue_start,
)
from issues.services.intake import issue_accept, issue_merge, issue_reject, issue_submit

__all__ = [
    "ACTIONS",
    "issue_accept",
    "issue_close",
    "issue_comment",
    "issue_decide_extension",
    "issue_escalate",
    "issue_feedback",
    "issue_merge",
    "issue_reject",
    "issue_request_extension",
    "issue_resolve",
    "issue_return",
    "issue_start",
    "issue_submit",
    "issue_verify",
]

# Action name → service, for the pages and the API (each takes ``issue=``, ``actor=`` and its own fields).
ACTIONS = {
    policy.ACCEPT: issue_accept,
    policy.REJECT: issue_reject,
    policy.START: issue_start,
    policy.ESCALATE: issue_escalate,
    policy.RETURN: issue_return,
    policy.EXTEND: issue_request_extension,
    policy.APPROVE_EXTENSION: issue_decide_extension,
    policy.RESOLVE: issue_resolve,
    policy.VERIFY: issue_verify,
    policy.FEEDBACK: issue_feedback,
    policy.CLOSE: issue_close,
    policy.MERGE: issue_merge,
    "comment": issue_comment,
}
