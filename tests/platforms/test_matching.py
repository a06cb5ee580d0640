"""The shared ranking: hard filters, weighted reasons, deterministic order, weights from settings."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from platforms.matching import Scorer, rank, weights_for

DEFAULTS = {"category": 50, "district": 20, "count": 30}


def offer(pk, *, category, district, count):
    return SimpleNamespace(pk=pk, category=category, district=district, count=count)


NEED = SimpleNamespace(category="汽车零部件", district="A", count=15)
FILTERS = [lambda need, offer: offer.count > 0]
SCORERS = [
    Scorer("category", lambda need, offer: "同属汽车零部件" if offer.category == need.category else None),
    Scorer("district", lambda need, offer: "同一片区" if offer.district == need.district else None),
    Scorer(
        "count",
        lambda need, offer: (
            (f"可供 {offer.count} 人 ≥ 需 {need.count} 人", 1.0)
            if offer.count >= need.count
            else (f"可供 {offer.count} 人 < 需 {need.count} 人", offer.count / need.count)
        ),
    ),
]


def test_hard_filters_first_then_the_score_with_its_reasons_in_order():
    offers = [
        offer(3, category="汽车零部件", district="B", count=20),
        offer(1, category="电子", district="A", count=5),
        offer(2, category="汽车零部件", district="A", count=20),
        offer(4, category="汽车零部件", district="A", count=0),  # filtered out: nobody to offer
        offer(5, category="电子", district="B", count=0),
    ]

    matches = rank(NEED, offers, filters=FILTERS, scorers=SCORERS, weights=DEFAULTS)

    assert [(m.offer.pk, m.score) for m in matches] == [(2, 100), (3, 80), (1, 30)]
    assert matches[0].summary == "同属汽车零部件 · 同一片区 · 可供 20 人 ≥ 需 15 人"
    assert matches[2].summary == "同一片区 · 可供 5 人 < 需 15 人"
    assert matches[2].reasons_as_list() == [
        {"key": "district", "text": "同一片区", "points": 20},
        {"key": "count", "text": "可供 5 人 < 需 15 人", "points": 10},
    ]


def test_equal_scores_are_ordered_by_primary_key_and_nothing_in_common_is_no_match():
    offers = [
        offer(9, category="汽车零部件", district="B", count=1),
        offer(7, category="汽车零部件", district="B", count=1),
    ]
    weights = {"category": 50, "district": 20, "count": 0}

    matches = rank(
        NEED,
        offers + [offer(8, category="电子", district="B", count=1)],
        filters=FILTERS,
        scorers=SCORERS,
        weights=weights,
    )

    assert [m.offer.pk for m in matches] == [7, 9]


def test_weights_come_from_settings_over_the_defaults(settings):
    settings.PLATFORM_MATCH_WEIGHTS = {"labour": {"district": 5}}
    assert weights_for("labour", DEFAULTS) == {"category": 50, "district": 5, "count": 30}
    assert weights_for("procurement", DEFAULTS) == DEFAULTS


@pytest.mark.parametrize("configured", [{"colour": 1}, {"district": 2.5}, {"district": -1}, {"district": True}])
def test_a_bad_weight_stops_the_start_naming_the_platform(settings, configured):
    settings.PLATFORM_MATCH_WEIGHTS = {"labour": configured}
    with pytest.raises(ImproperlyConfigured, match="labour"):
        weights_for("labour", DEFAULTS)


def test_the_daily_expiry_job_covers_every_platforms_proposals():
    from django.conf import settings

    from platforms.matching import PROPOSAL_MODELS

    # One rule (platforms.matching.lapsed) for every platform, run by one scheduled task.
    assert sorted(PROPOSAL_MODELS) == ["labour.LabourProposal", "procurement.PurchaseProposal", "space.SpaceProposal"]
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "platforms.tasks.expire_proposals" in tasks


@pytest.mark.parametrize(
    ("configured", "named"),
    [
        ({"labor": {"district": 5}}, "labor"),  # a typo of a platform is not silently ignored
        ({"space": {"area": -1}}, "space"),
        ({"procurement": {"colour": 1}}, "procurement"),
        ({"supply_chain": {"link": 2.5}}, "supply_chain"),
        ({"labour": [("district", 5)]}, "labour"),
        (["labour"], "PLATFORM_MATCH_WEIGHTS"),
    ],
)
def test_the_start_stops_on_bad_weights_in_the_settings_naming_the_platform(settings, configured, named):
    from django.apps import apps

    settings.PLATFORM_MATCH_WEIGHTS = configured
    with pytest.raises(ImproperlyConfigured, match=named):
        apps.get_app_config("platforms").ready()


def test_good_weights_in_the_settings_start_and_rank_by_them(settings):
    from django.apps import apps

    from platforms.labour.ranking import WEIGHTS

    settings.PLATFORM_MATCH_WEIGHTS = {"labour": {"district": 20}, "supply_chain": {}}
    apps.get_app_config("platforms").ready()
    assert weights_for("labour", WEIGHTS) == {**WEIGHTS, "district": 20}
