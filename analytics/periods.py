"""Months and weeks are ``common.periods``'; the names the figure modules import from here."""

from common.periods import Month, local_zone

__all__ = ["Month", "local_zone"]
