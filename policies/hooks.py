"""Where the funding figures join the push funnel on a policy's page.

``policies`` cannot import ``policies.funding`` (funding builds on the clauses: the import
would loop). The funding app registers its stages here from its ``AppConfig.ready()``::

    from policies.hooks import register_funnel_stage
    register_funnel_stage(key="applied", label=_("已申报"), order=10, count=lambda *, user, policy: …)

and the policy page shows them after 推送 → 查看 → 确认, in ``order``. ``count`` receives the
viewing user (scope the count with it) and the policy, and returns an int (or a str such as
an amount in 万元).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    count: Callable
    order: int = 100


_STAGES: dict[str, FunnelStage] = {}


def register_funnel_stage(*, key: str, label: str, count: Callable, order: int = 100) -> None:
    _STAGES[key] = FunnelStage(key, label, count, order)


def extra_funnel_stages(*, user, policy) -> list[dict]:
    """``[{"key", "label", "value"}]`` from every registered stage, in order."""
    return [
        {"key": stage.key, "label": stage.label, "value": stage.count(user=user, policy=policy)}
        for stage in sorted(_STAGES.values(), key=lambda stage: (stage.order, stage.key))
    ]
