"""Bulk writing of synthetic rows with their ids chosen up front.

``bulk_create`` would overwrite ``created_at`` (an ``auto_now_add`` field) with the present moment,
and the timelines need the ids of the issues they belong to; so the generator numbers its rows
itself, writes them with COPY on PostgreSQL (an order of magnitude faster than INSERT for millions
of rows) or ``executemany`` elsewhere, and moves each table's id sequence past them at the end.
"""

import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class IdBlock:
    """Hands out the ids after the largest one in ``model``'s table (one generator writes at a time)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        taken = self.next
        self.next += 1
        return taken


def write(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Insert ``rows`` (instances with every column set, the id included) as they are; the count written."""
    fields = [field for field in model._meta.concrete_fields if not field.generated]  # the database computes those
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = list(rows)
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts dates, aware datetimes and decimals itself; Django's per-field preparation
            # took most of the run at province size. JSON goes in as its text.
            names = [field.attname for field in fields]
            json_columns = {index for index, field in enumerate(fields) if isinstance(field, models.JSONField)}
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # nosec B608  # names from _meta
                for row in rows:
                    values = [getattr(row, name) for name in names]
                    for index in json_columns:
                        values[index] = json.dumps(values[index])
                    copy.write_row(values)
        else:
            values = [
                [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # nosec B608  # names from _meta
    return len(rows)


def reset_sequences(*model_list: type[models.Model]) -> None:
    """Move each table's id sequence past the ids written (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
