"""Date formats per language (``FORMAT_MODULE_PATH``), on top of Django's own.

Templates name a format (``|date:"MONTH_DAY_FORMAT"``) instead of spelling one
out, so that an English page never shows 「12月31日」. Django looks here first
and falls back to its own locale formats for every name not set here.
"""
