"""What the platforms' admin pages share: a proposal is read, not moved, in the admin."""

from common.admin import ReadOnlyHistoryAdmin


class ProposalAdmin(ReadOnlyHistoryAdmin):
    """The admin of a platform's proposals. Their state and what came with it change only through
    the shared transition (``platforms.matching.proposal_transition``), so those fields are read-only."""

    list_filter = ["state"]
    readonly_fields = [
        "state",
        "score",
        "reasons",
        "version",
        "contacted_at",
        "decided_at",
        "decided_by",
        "decline_reason",
    ]
