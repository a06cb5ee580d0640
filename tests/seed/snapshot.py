"""Two views of the database for the seed tests.

``all_rows()`` is every row of every table, exactly: the idempotence test
compares it before and after a second ``seed_demo``, so any write at all —
even a touched ``updated_at`` — shows up.

``demo_digest()`` hashes the demo content by natural keys (codes, usernames,
USCCs), leaving out what differs between two databases by nature (ids,
creation times, the random board tokens), so the same seed gives the same
digest on any fresh database, SQLite or PostgreSQL.
"""

import hashlib
import json

from django.apps import apps
from django.db import connection

from accounts.models import User
from enterprises.models import Enterprise, EnterpriseContact, TierChange
from grids.models import Bureau, District, GridTeam, JointTaskForce, Zone


def all_rows() -> dict[str, list[dict]]:
    snapshot = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in tables:
            continue
        snapshot[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return snapshot


def _rows(queryset, *fields: str) -> list[list[str]]:
    # Sorted in Python: PostgreSQL and SQLite collate text differently.
    return sorted([str(value) for value in row] for row in queryset.values_list(*fields))


def demo_content() -> dict[str, list[list[str]]]:
    return {
        "zone": _rows(Zone.objects, "name", "grid_chief__username"),
        "districts": _rows(District.objects, "code", "name", "leader__username"),
        "grid_teams": _rows(GridTeam.objects, "code", "name", "district__code", "leader__username"),
        "grid_officers": _rows(GridTeam.officers.through.objects, "gridteam__code", "user__username"),
        "bureaus": _rows(Bureau.objects, "code", "name", "phone", "duties"),
        "task_forces": _rows(JointTaskForce.objects, "name", "lead_bureau__code", "bureaus__code", "is_active"),
        "users": _rows(
            User.objects,
            "username",
            "password",
            "name",
            "phone",
            "title",
            "email",
            "role",
            "is_staff",
            "is_superuser",
            "is_active",
            "bureau__code",
            "enterprise__uscc",
        ),
        "enterprises": _rows(
            Enterprise.objects,
            "uscc",
            "name",
            "ownership",
            "industry",
            "above_scale",
            "tier",
            "grid__code",
            "address",
            "legal_representative",
            "phone",
            "employees",
            "founded_on",
            "registered_capital",
            "main_products",
        ),
        "contacts": _rows(
            EnterpriseContact.objects, "enterprise__uscc", "name", "title", "phone", "email", "is_primary"
        ),
        "tier_changes": _rows(
            TierChange.objects,
            "enterprise__uscc",
            "from_tier",
            "to_tier",
            "reason",
            "changed_at",
            "changed_by__username",
        ),
    }


def demo_digest() -> str:
    content = demo_content()
    # The password hash has a random salt per database; all demo users share one.
    for row in content["users"]:
        row[1] = row[1].split("$", 1)[0]
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
