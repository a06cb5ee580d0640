"""Ranking surplus workers for vacancies, on hand-built cases: the order and the reasons."""

from platforms.labour.models import LabourPosting, LabourProposal
from platforms.labour.ranking import rank_demands, rank_surpluses
from platforms.labour.selectors import with_transferred
from platforms.labour.services import labour_posting_create
from tests.labour.conftest import posting


def annotated(*postings):
    return list(with_transferred(LabourPosting.objects.filter(pk__in=[p.pk for p in postings])).order_by("pk"))


def test_vacancies_for_a_struggling_firms_workers_in_order_with_their_reasons(firms):
    # Given 20 idle welders and assemblers at the struggling automotive firm of district A
    surplus = posting(firms.struggling, "surplus", skills=["welder", "assembler"], count=20)
    # and four vacancies
    best = posting(firms.growing, "demand", skills=["welder"], count=15)  # same district and industry, growing
    partial = posting(firms.backbone, "demand", skills=["welder", "inspector"], count=40)  # elsewhere, backbone
    peer = posting(firms.struggling_b, "demand", skills=["assembler"], count=10)  # another struggling firm
    no_skill = posting(firms.backbone, "demand", skills=["forklift"], count=5)  # nothing in common: filtered
    later = posting(firms.growing, "demand", skills=["welder"], count=5, starts=120)  # dates do not overlap
    own = posting(firms.struggling, "demand", skills=["welder"], count=5)  # the same firm: filtered

    [surplus] = annotated(surplus)
    matches = rank_demands(surplus, annotated(best, partial, peer, no_skill, later, own))

    assert [(match.offer.pk, match.score) for match in matches] == [(best.pk, 100), (peer.pk, 60), (partial.pk, 45)]
    assert (
        matches[0].summary
        == "工种相符：焊工 · 可供 20 人 ≥ 需 15 人 · 同一片区 · 同属汽车及零部件 · 困难企业 → 成长型企业"
    )
    assert matches[1].summary == "工种相符：装配工 · 可供 20 人 ≥ 需 10 人"
    assert matches[2].reasons_as_list() == [
        {"key": "skills", "text": "部分工种相符：焊工（需 焊工、质检）", "points": 18},
        {"key": "count", "text": "可供 20 人 < 需 40 人", "points": 12},
        {"key": "tier", "text": "困难企业 → 骨干企业", "points": 15},
    ]


def test_the_same_rules_read_from_the_vacancy_side(firms):
    demand = posting(firms.growing, "demand", skills=["welder"], count=15)
    near = posting(firms.struggling, "surplus", skills=["welder"], count=10)
    far = posting(firms.struggling_b, "surplus", skills=["welder"], count=30)

    [demand] = annotated(demand)
    matches = rank_surpluses(demand, annotated(near, far))

    # The near firm covers two thirds of the need but shares district, industry and the flow.
    assert [(match.offer.pk, match.score) for match in matches] == [(near.pk, 92), (far.pk, 75)]
    assert matches[0].reasons[1].text == "可供 10 人 < 需 15 人"


def test_posting_surplus_proposes_the_open_vacancies_best_first(firms, cast):
    best = posting(firms.growing, "demand", skills=["welder"], count=15)
    partial = posting(firms.backbone, "demand", skills=["welder", "inspector"], count=40)
    closed = posting(firms.growing, "demand", skills=["welder"], count=15)
    closed.state = "closed"
    closed.save()
    ended = posting(firms.growing, "demand", skills=["welder"], count=15, starts=-60, days=30)

    surplus = labour_posting_create(
        actor=cast.enterprise_user_a,
        enterprise=firms.struggling,
        kind="surplus",
        skills=["welder"],
        count=20,
        starts_on=best.starts_on,
        ends_on=best.ends_on,
    )

    proposals = list(LabourProposal.objects.filter(surplus=surplus).order_by("-score", "pk"))
    assert [(p.demand_id, p.score, p.state) for p in proposals] == [
        (best.pk, 100, "proposed"),
        (partial.pk, 45, "proposed"),
    ]
    assert proposals[0].expires_on.isoformat() == "2025-07-16"
    assert ended.pk not in [p.demand_id for p in proposals]
    # Both firms' users were told.
    assert firms.growing_user.notifications.get().title == "共享用工推荐：甲企业有限公司"
