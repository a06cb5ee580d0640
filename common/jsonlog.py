"""A logging formatter writing one JSON object per line (read by log collectors).

Imported by the logging configuration before Django's apps are loaded, so
it imports nothing of Django.
"""

import json
import logging


class JsonLinesFormatter(logging.Formatter):
    """A record as one JSON line: its ``fields`` extra when given (see
    ``accounts.security_log``), else the level, logger and message."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        return json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
