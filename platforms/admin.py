"""What the platforms' admin pages share: a proposal is read, not moved, in the admin."""

from common.admin import ReadOnlyHistoryAdmin


class ProposalAdmin(ReadOnlyHistoryAdmin):
    """The admin of a platform's proposals. Their state and what came with it change only through
    the shared transition (``platforms.matching.proposal_transition``), so those fields are read-only."""

    #: The proposal's matched sides (its foreign keys): listed first, with its score, state and expiry,
    #: and picked by id like the user who decided it.
    sides: list[str] = []
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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.list_display = [*cls.sides, "score", "state", "expires_on"]
        cls.raw_id_fields = [*cls.sides, "decided_by"]
