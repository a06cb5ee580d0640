"""Writes that make the ledger's cached measures stale (``issues.metrics.cached_issue_measures``)."""

from issues.metrics import measures_changed


def issue_written(sender, **kwargs) -> None:
    """An issue or a feedback row was saved or deleted."""
    measures_changed()
