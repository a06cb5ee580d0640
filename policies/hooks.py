"""Where the funding figures join the push funnel on a policy's page.

``policies`` cannot import ``policies.funding`` (funding builds on the clauses: the import
would loop). The funding app registers its stages here from its ``AppConfig.ready()``::

    from policies.hooks import register_funnel_stages
    register_funnel_stages(
        stages=(("applied", _("已申报")), ("granted", _("已获批")), ("disbursed", _("已拨付"))),
        rows=lambda *, user, policy: [...],
    )

``rows`` receives the viewing user (scope the counts with it) and the policy, and returns one
dict per grid: ``district_id``, ``district``, ``district_code``, ``grid_id``, ``grid``,
``grid_code`` and an int per stage key. The policy page shows the stages after 推送 → 查看 →
确认, per district and grid beside the pushes, and their sums as the totals.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AREA_KEYS = ("district_id", "district", "district_code", "grid_id", "grid", "grid_code")
PUSH_KEYS = ("pushed", "opened", "acknowledged", "in_person")


@dataclass(frozen=True)
class FunnelStages:
    stages: tuple[tuple[str, str], ...]  # (key, label), in funnel order
    rows: Callable[..., list[dict[str, Any]]]


# Keyed by the first stage's key, so that registering again (a second ready()) replaces.
_SOURCES: dict[str, FunnelStages] = {}


def register_funnel_stages(*, stages: tuple[tuple[str, str], ...], rows: Callable[..., list[dict[str, Any]]]) -> None:
    _SOURCES[stages[0][0]] = FunnelStages(tuple(stages), rows)


@dataclass(frozen=True)
class AreaFunnel:
    stages: list[dict[str, Any]]  # [{"key", "label", "value"}]: the registered stages with their totals
    rows: list[dict[str, Any]]  # per grid: AREA_KEYS, PUSH_KEYS, every stage key and "stages" [(key, n)]

    @property
    def districts(self) -> list[dict[str, Any]]:
        """The grid rows grouped by district, in the rows' order, each district with its sums:
        ``district_id``, ``district``, ``district_code``, PUSH_KEYS, ``stages`` [(key, n)] and
        ``grids`` (its rows). The page shows a district's line, then its grids'."""
        districts: dict[Any, dict[str, Any]] = {}
        for row in self.rows:
            district = districts.get(row["district_id"])
            if district is None:
                district = districts[row["district_id"]] = {
                    "district_id": row["district_id"],
                    "district": row["district"],
                    "district_code": row["district_code"],
                    **dict.fromkeys(PUSH_KEYS, 0),
                    "stages": [(key, 0) for key, _value in row["stages"]],
                    "grids": [],
                }
            for key in PUSH_KEYS:
                district[key] += row[key]
            district["stages"] = [
                (key, total + value)
                for (key, total), (_key, value) in zip(district["stages"], row["stages"], strict=True)
            ]
            district["grids"].append(row)
        return list(districts.values())


def funnel_by_area(*, user, policy, push_rows: list[dict[str, Any]]) -> AreaFunnel:
    """The push rows per grid joined with every registered stage's rows per grid.

    A grid where enterprises applied without being pushed the policy gets a row of its own
    (pushes 0), so the totals of the stages are the sums of the rows.
    """
    sources = list(_SOURCES.values())
    stage_keys = [key for source in sources for key, _label in source.stages]
    by_grid: dict[Any, dict[str, Any]] = {}
    for row in push_rows:
        by_grid[row["grid_id"]] = {**row, **dict.fromkeys(stage_keys, 0)}
    for source in sources:
        for row in source.rows(user=user, policy=policy):
            merged = by_grid.setdefault(
                row["grid_id"],
                {
                    **{key: row[key] for key in AREA_KEYS},
                    **dict.fromkeys(PUSH_KEYS, 0),
                    **dict.fromkeys(stage_keys, 0),
                },
            )
            for key, _label in source.stages:
                merged[key] += row[key]
    rows = sorted(by_grid.values(), key=lambda row: (row["district_code"] or "", row["grid_code"] or ""))
    for row in rows:
        row["stages"] = [(key, row[key]) for key in stage_keys]  # the page's columns, in order
    stages = [
        {"key": key, "label": label, "value": sum(row[key] for row in rows)}
        for source in sources
        for key, label in source.stages
    ]
    return AreaFunnel(stages=stages, rows=rows)
