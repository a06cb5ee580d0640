"""Who may see and do what on the procurement platform: the one table of its rules.

Reading: managers the zone, district leaders and officers the enterprises of
their grids, enterprise users their own postings and the proposals addressed
to them; bureau staff have no platform pages. ``enterprise_condition`` turns a
scope into the filter on any enterprise foreign key, through the one rule of
``enterprises.registry.selectors.enterprise_scope_filter``.

Acting on a proposal: ``RULES`` (who, and the words shown when refused); the
states each action starts from are ``platforms.matching.TRANSITIONS``.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import Scope, scope_for
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprise_scope_filter
from platforms.matching import AGREE, CONTACT, DECLINE, ProposalRules, Rule
from platforms.procurement.models import PurchaseProposal
from platforms.scoping import scope_is_staff, scope_reads

# Who uses the platforms (managers, district leaders, grid officers, enterprise users; not bureaus)
# and who acts on them for the firms of their scope: the one rule of ``platforms.scoping``.
reads_platforms = scope_reads
is_staff = scope_is_staff


def enterprise_condition(scope: Scope, field: str) -> Q | None:
    """The filter limiting ``field`` (an Enterprise foreign key) to ``scope``; None means no limit."""
    if not reads_platforms(scope):
        return Q(pk__in=[])
    condition = enterprise_scope_filter(scope)
    if condition is None:
        return None
    return Q(**{f"{field}__in": Enterprise.objects.filter(condition).values("pk")})


def any_enterprise_condition(scope: Scope, *fields: str) -> Q | None:
    """Rows with an enterprise in scope in any of ``fields`` (Enterprise foreign keys); None means no limit."""
    conditions = [enterprise_condition(scope, field) for field in fields]
    combined = Q(pk__in=[])
    for condition in conditions:
        if condition is None:
            return None
        combined |= condition
    return combined


def covers(scope: Scope, enterprise: Enterprise) -> bool:
    """Whether ``enterprise`` lies in ``scope`` (without a query: the scope holds the grid ids)."""
    if scope.role == Role.ENTERPRISE_USER:
        return enterprise.pk == scope.enterprise_id
    return scope.acts_for_grid(enterprise.grid_id)


def speaks_for(scope: Scope, enterprise: Enterprise) -> bool:
    """Staff whose scope holds ``enterprise``, or its own enterprise user."""
    return reads_platforms(scope) and covers(scope, enterprise)


# --- Proposals ----------------------------------------------------------------------------


def _either_party(user: User, proposal: PurchaseProposal) -> bool:
    scope = scope_for(user)
    return speaks_for(scope, proposal.need.buyer) or speaks_for(scope, proposal.supplier)


def _buyer_side(user: User, proposal: PurchaseProposal) -> bool:
    scope = scope_for(user)
    if scope.role == Role.ENTERPRISE_USER:
        return scope.speaks_for(proposal.need.buyer_id)
    return _either_party(user, proposal)


RULES = ProposalRules(
    {
        CONTACT: Rule(_either_party, _("采购企业、供应企业或其所属网格员、片区负责人")),
        AGREE: Rule(_buyer_side, _("采购企业或买卖双方所属网格员、片区负责人")),
        DECLINE: Rule(_either_party, _("采购企业、供应企业或其所属网格员、片区负责人")),
    }
)
may = RULES.may
refusal = RULES.refusal
