"""The enterprise's home sums up what waits for it (待评价 · 办理中 · 新政策), counted from the
database, each figure linking to the list it counts; 我的诉求 filters by state and by a word."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models import Issue, Source
from policies.models import PolicyPush
from tests.factories import CategoryFactory
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


def submit(cast, title: str, enterprise=None, user=None) -> Issue:
    return services.issue_submit(
        enterprise=enterprise or cast.enterprise_a,
        actor=user or cast.enterprise_user_a,
        title=title,
        description=f"{title}，请协调。",
        source=Source.ENTERPRISE,
    )


@pytest.fixture
def enterprise_a_waits(cast):
    """A: one resolved (待评价), two being handled (办理中), one just submitted; three unread pushes, one read."""
    category = CategoryFactory(code="general", name="综合", default_bureau=cast.bureau_x)
    resolved = services.issue_accept(issue=submit(cast, "用电增容"), actor=cast.officer_a, category=category)
    resolved = services.issue_start(issue=resolved, actor=resolved.handler)
    services.issue_resolve(issue=resolved, actor=resolved.handler, resolution="已协调供电公司增容。")
    for title in ("招工难", "物流不畅"):
        services.issue_accept(issue=submit(cast, title), actor=cast.officer_a, category=category)
    submit(cast, "办证咨询")
    submit(cast, "乙企业的诉求", enterprise=cast.enterprise_b, user=cast.enterprise_user_b)
    now = timezone.now()
    for number in range(4):
        policy = make_policy(title=f"稳岗扶持政策{number}")
        PolicyPush.objects.create(
            policy=policy, enterprise=cast.enterprise_a, pushed_at=now, opened_at=now if number == 0 else None
        )
    PolicyPush.objects.create(policy=policy, enterprise=cast.enterprise_b, pushed_at=now)


def figures(body: str) -> dict[str, str]:
    pattern = r'data-figure="([\w-]+)"><a href="([^"]+)">[^<]*<strong class="summary-count">(\d+)</strong>'
    found = re.findall(pattern, body)
    return {key: (href.replace("&amp;", "&"), int(count)) for key, href, count in found}


def test_the_home_sums_up_what_waits_with_links_to_the_filtered_lists(cast, client_for, enterprise_a_waits):
    body = client_for(cast.enterprise_user_a).get(reverse("enterprises:my_enterprise")).content.decode()

    assert figures(body) == {
        "issues-resolved": (f"{reverse('issues:my_list')}?state=resolved", 1),
        "issues-open": (f"{reverse('issues:my_list')}?state=open", 2),
        "policies-unread": (f"{reverse('policies:mine')}?unread=1", 3),
    }
    assert body.index("待评价") < body.index("办理中") < body.index("新政策")


def test_each_figure_opens_exactly_the_rows_it_counts(cast, client_for, enterprise_a_waits):
    client = client_for(cast.enterprise_user_a)
    body = client.get(reverse("enterprises:my_enterprise")).content.decode()

    for key, (url, count) in figures(body).items():
        listed = client.get(url)
        assert listed.status_code == 200
        rows = listed.content.decode().count('class="card shadow-sm text-reset text-decoration-none issue-card"')
        if key == "policies-unread":
            rows = listed.content.decode().count("未读</span>")
        assert (key, rows) == (key, count)


def test_my_issues_filters_by_state_and_word(cast, client_for, enterprise_a_waits):
    client = client_for(cast.enterprise_user_a)

    resolved = client.get(reverse("issues:my_list"), {"state": "resolved"}).content.decode()
    word = client.get(reverse("issues:my_list"), {"q": "物流"}).content.decode()
    submitted = client.get(reverse("issues:my_list"), {"state": "submitted"}).content.decode()
    everything = client.get(reverse("issues:my_list")).content.decode()

    assert "用电增容" in resolved and "招工难" not in resolved
    assert "物流不畅" in word and "招工难" not in word
    assert "办证咨询" in submitted and "用电增容" not in submitted
    assert everything.count("issue-card") == 4 and "乙企业的诉求" not in everything


@pytest.mark.parametrize(
    ("params", "field"),
    [({"state": "lost"}, "state"), ({"q": "长" * 61}, "q")],
)
def test_a_bad_filter_is_400_naming_the_field_and_lists_nothing(cast, client_for, enterprise_a_waits, params, field):
    response = client_for(cast.enterprise_user_a).get(reverse("issues:my_list"), params)

    body = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {field}
    assert "issue-card" not in body


def test_a_bad_unread_filter_on_my_policies_is_400(cast, client_for, enterprise_a_waits):
    response = client_for(cast.enterprise_user_a).get(reverse("policies:mine"), {"unread": "yes"})

    assert response.status_code == 400
    assert "unread" in response.content.decode()
    assert "未读</span>" not in response.content.decode()


def test_staff_have_no_my_issues_page_and_no_summary_figures(cast, client_for):
    assert client_for(cast.officer_a).get(reverse("issues:my_list"), {"state": "open"}).status_code == 404
    assert client_for(cast.officer_a).get(reverse("policies:mine"), {"unread": "1"}).status_code == 404


def test_with_nothing_waiting_the_figures_are_zero(cast, client_for):
    body = client_for(cast.enterprise_user_b).get(reverse("enterprises:my_enterprise")).content.decode()

    assert {key: count for key, (_url, count) in figures(body).items()} == {
        "issues-resolved": 0,
        "issues-open": 0,
        "policies-unread": 0,
    }
