"""Who may answer a labour proposal, and who records a transfer.

The states each action starts from are ``platforms.matching.TRANSITIONS`` (shared by
every platform); this table says who. Services call ``require()`` after finding the
proposal in the actor's scope; pages call ``allowed_actions()`` to show the buttons.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import scope_for
from platforms.labour.models import LabourProposal
from platforms.matching import AGREE, CONTACT, DECLINE, ProposalRules, Rule
from platforms.scoping import is_staff as _is_zone_staff


def is_party(user: User, proposal: LabourProposal) -> bool:
    scope = scope_for(user)
    return scope.speaks_for(proposal.surplus.enterprise_id) or scope.speaks_for(proposal.demand.enterprise_id)


def is_staff(user: User, proposal: LabourProposal) -> bool:
    """Zone staff; the caller has already found the proposal in their scope."""
    return _is_zone_staff(user)


def party_or_staff(user: User, proposal: LabourProposal) -> bool:
    return is_party(user, proposal) or is_staff(user, proposal)


RULES = ProposalRules(
    {
        # The officer usually makes the introduction; either firm may say it has been in touch.
        CONTACT: Rule(party_or_staff, _("双方企业或所属网格工作人员")),
        AGREE: Rule(party_or_staff, _("双方企业或所属网格工作人员")),
        DECLINE: Rule(party_or_staff, _("双方企业或所属网格工作人员")),
    }
)

RECORD_TRANSFER_TEXT = _("网格员、片区负责人或管委会工作人员")


allowed_actions = RULES.allowed_actions
