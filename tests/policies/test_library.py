"""The library: Chinese search, publish / expire by the rules, attachments, the booklet, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from policies import services
from policies.errors import NotPermitted, StateConflict
from policies.models import Policy, PolicyAttachment, PolicyState
from policies.search import apply_search, words
from policies.selectors import policy_search
from tests.conftest import login
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


def test_search_in_chinese_finds_a_word_inside_the_title(library):
    other = make_policy(title="中小企业稳岗返还", level="district", shares={"district": 100}, criteria=[])

    found = list(policy_search(user=library.cast.manager, query="信息化"))

    assert found == [library.policy]
    assert list(policy_search(user=library.cast.manager, query="稳岗")) == [other]
    assert list(policy_search(user=library.cast.manager, query="信息化 稳岗")) == []  # every word must match
    assert "信息化" in library.policy.search_tokens.split()


def test_words_are_cut_for_search():
    assert {"信息", "信息化", "专项资金"} <= set(words("企业信息化专项资金"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN / trigram branch runs on PostgreSQL only")
def test_postgres_search_uses_the_token_vector_and_trigrams(library):
    assert list(policy_search(user=library.cast.manager, query="信息化")) == [library.policy]
    # A near miss on the title is found by trigram similarity.
    assert library.policy in list(policy_search(user=library.cast.manager, query="企业信息化专项资"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN / trigram branch runs on PostgreSQL only")
def test_postgres_search_reads_the_two_gin_indexes(library):
    """The token vector and the title's trigrams are both answered from their GIN indexes (a BitmapOr),
    never by reading every policy. The search alone (no scope filter another index could serve),
    with sequential and plain index scans priced out: only bitmap scans on indexes that answer the
    condition are left, and both arms of the OR must be indexable for them (``similarity() > 0.3``
    was not, and read every policy)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = apply_search(Policy.objects.all(), "信息化").explain()

    assert "policies_policy_tokens_gin" in plan
    assert "policies_policy_title_trgm" in plan


def test_the_page_and_the_api_search_the_same_way(library):
    page = login(library.cast.officer_a).get("/policies/", {"q": "信息化"})
    api = login(library.cast.officer_a).get("/api/policies/", {"q": "信息化"})

    assert list(page.context["page_obj"]) == [library.policy, library.draft][:1]
    assert [row["id"] for row in api.json()["results"]] == [library.policy.pk]


def test_publish_and_expire_follow_the_rules(library):
    cast = library.cast
    draft = library.draft
    with pytest.raises(NotPermitted):
        services.policy_publish(policy=draft, actor=cast.officer_a)
    draft.refresh_from_db()
    assert draft.state == PolicyState.DRAFT

    published = services.policy_publish(policy=draft, actor=cast.manager)
    assert (published.state, published.version) == (PolicyState.PUBLISHED, draft.version + 1)
    with pytest.raises(StateConflict):
        services.policy_publish(policy=published, actor=cast.manager)

    expired = services.policy_expire(policy=published, actor=cast.manager)
    assert expired.state == PolicyState.EXPIRED and expired.expired_at is not None
    with pytest.raises(StateConflict):
        services.policy_update(policy=expired, actor=cast.manager, title="改")


def test_a_stale_version_is_refused_and_changes_nothing(library):
    client = login(library.cast.manager)
    before = Policy.objects.values().get(pk=library.draft.pk)

    answer = client.post(f"/api/policies/{library.draft.pk}/publish/", {"version": 99}, content_type="application/json")

    assert answer.status_code == 409
    assert Policy.objects.values().get(pk=library.draft.pk) == before


def test_officers_read_but_do_not_write(library):
    client = login(library.cast.officer_a)
    before = list(Policy.objects.values())

    created = client.post(
        "/api/policies/",
        {"title": "x", "level": "zone", "issuing_body": "x", "key_points": "x"},
        content_type="application/json",
    )
    edited = client.patch(f"/api/policies/{library.policy.pk}/", {"title": "改"}, content_type="application/json")

    assert (created.status_code, edited.status_code) == (403, 403)
    assert list(Policy.objects.values()) == before
    assert client.get("/policies/new/").status_code == 404


def test_a_manager_creates_and_edits_through_page_and_api(library):
    client = login(library.cast.manager)
    answer = client.post(
        "/api/policies/",
        {
            "title": "区级工业发展扶持资金",
            "level": "district",
            "issuing_body": "区经信委",
            "key_points": "支持技术改造。",
            "target_industries": ["equipment"],
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    policy = Policy.objects.get(pk=answer.json()["id"])
    assert (policy.state, policy.created_by) == (PolicyState.DRAFT, library.cast.manager)
    assert "扶持" in policy.search_tokens.split()

    page = client.post(
        f"/policies/{policy.pk}/edit/",
        {
            "title": "区级工业发展扶持资金（修订）",
            "level": "district",
            "issuing_body": "区经信委",
            "key_points": "支持技术改造。",
            "version": policy.version,
        },
    )
    assert page.status_code == 302
    policy.refresh_from_db()
    assert policy.title.endswith("（修订）") and policy.target_industries == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "x" * 201, "level": "zone", "issuing_body": "x", "key_points": "x"}, "title"),
        ({"title": "x", "level": "galaxy", "issuing_body": "x", "key_points": "x"}, "level"),
        ({"title": "x", "level": "zone", "issuing_body": "x", "key_points": "x", "state": "published"}, "state"),
        ({"title": "x", "level": "zone", "issuing_body": "x", "key_points": "x", "colour": "red"}, "colour"),
        (
            {"title": "x", "level": "zone", "issuing_body": "x", "key_points": "x", "target_industries": ["mining"]},
            "target_industries",
        ),
        (
            {
                "title": "x",
                "level": "zone",
                "issuing_body": "x",
                "key_points": "x",
                "apply_from": "2026-05-01",
                "apply_to": "2026-04-01",
            },
            "apply_to",
        ),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(library, body, field):
    count = Policy.objects.count()
    answer = login(library.cast.manager).post("/api/policies/", body, content_type="application/json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert Policy.objects.count() == count


@pytest.mark.parametrize(
    "body, field",
    [
        ({"target": "one"}, "enterprise"),
        ({"target": "one", "enterprise": 999999}, "enterprise"),
        ({"target": "filtered"}, "district"),
        ({"target": "everyone"}, "target"),
        ({"target": "one", "enterprise": 1, "note": "x" * 2001}, "note"),
        ({"target": "filtered", "tier": "galactic"}, "tier"),
    ],
)
def test_bad_push_input_is_400_naming_the_field(library, body, field):
    answer = login(library.cast.officer_a).post(
        f"/api/policies/{library.policy.pk}/push/", body, content_type="application/json"
    )

    assert answer.status_code == 400
    assert field in answer.json()
    from policies.models import PolicyPush

    assert PolicyPush.objects.count() == 0


def test_attachments_are_checked_like_issue_files(library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = library.cast
    good = SimpleUploadedFile("指南.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    fake = SimpleUploadedFile("指南.pdf", b"MZ not a pdf", content_type="application/pdf")

    login(cast.manager).post(f"/policies/{library.policy.pk}/attachments/", {"files": [fake]})
    assert PolicyAttachment.objects.count() == 0
    login(cast.manager).post(f"/policies/{library.policy.pk}/attachments/", {"files": [good]})
    [attachment] = PolicyAttachment.objects.all()
    assert attachment.name == "指南.pdf"
    assert login(cast.enterprise_user_a).get(f"/policies/attachments/{attachment.pk}/").status_code == 200
    # An attachment of a draft is as invisible to an enterprise as the draft itself.
    PolicyAttachment.objects.filter(pk=attachment.pk).update(policy=library.draft)
    assert login(cast.enterprise_user_a).get(f"/policies/attachments/{attachment.pk}/").status_code == 404


def test_the_booklet_is_one_a4_print_view_with_cover_contents_and_clauses(library):
    other = make_policy(title="中央财政专项资金", level="central", shares={"central": 100}, criteria=[])

    page = login(library.cast.officer_a).get("/policies/booklet/", {"ids": [library.policy.pk, other.pk]})

    html = page.content.decode()
    assert page.status_code == 200
    assert "惠企政策汇编" in html and "目录" in html
    assert html.count('class="policy"') == 2
    assert "信息化改造项目补助" in html
    assert "booklet.css" in html and "<script>" not in html


def test_the_booklet_holds_only_what_the_reader_may_see(library):
    """An enterprise asking for a draft in its booklet gets the published policy only; asking for the
    draft alone finds nothing to print and is sent back to the library; the staff get both."""
    ids = {"ids": [library.policy.pk, library.draft.pk]}

    enterprise = login(library.cast.enterprise_user_a).get("/policies/booklet/", ids).content.decode()
    staff = login(library.cast.officer_b).get("/policies/booklet/", ids).content.decode()
    draft_only = login(library.cast.enterprise_user_a).get("/policies/booklet/", {"ids": [library.draft.pk]})

    assert enterprise.count('class="policy"') == 1 and library.draft.title not in enterprise
    assert staff.count('class="policy"') == 2 and library.draft.title in staff
    assert (draft_only.status_code, draft_only["Location"]) == (302, "/policies/")


def test_the_booklet_css_prints_on_a4():
    from django.contrib.staticfiles import finders

    assert "@page { size: A4;" in open(finders.find("policies/booklet.css"), encoding="utf-8").read()


def test_scope_on_pages_and_api(library):
    cast = library.cast
    draft = library.draft
    # Enterprises read published policies only; drafts are not found.
    assert login(cast.enterprise_user_a).get(f"/policies/{draft.pk}/").status_code == 404
    assert login(cast.enterprise_user_a).get(f"/api/policies/{draft.pk}/").status_code == 404
    assert login(cast.enterprise_user_a).get(f"/policies/{library.policy.pk}/").status_code == 200
    assert [r["id"] for r in login(cast.enterprise_user_a).get("/api/policies/").json()["results"]] == [
        library.policy.pk
    ]
    # Staff read drafts too.
    assert login(cast.officer_b).get(f"/policies/{draft.pk}/").status_code == 200
    # Anonymous: sent to sign in / refused.
    assert login(cast.enterprise_user_a).get("/policies/mine/").status_code == 200
    assert login(cast.officer_a).get("/policies/mine/").status_code == 404
    from django.test import Client

    assert Client().get("/api/policies/").status_code == 401  # token authentication first: anonymous is 401
    assert Client().get("/policies/").status_code == 302


def test_scope_of_pushes_and_results_per_role(library):
    from policies import eligibility

    cast = library.cast
    services.push_send(policy=library.policy, actor=cast.manager, enterprises=[cast.enterprise_a, cast.enterprise_b])
    eligibility.evaluate_enterprises()
    expected = {
        cast.manager: {cast.enterprise_a.pk, cast.enterprise_b.pk},
        cast.leader_a: {cast.enterprise_a.pk},
        cast.officer_b: {cast.enterprise_b.pk},
        cast.enterprise_user_a: {cast.enterprise_a.pk},
        cast.bureau_user_x: set(),
    }
    for user, enterprises in expected.items():
        client = login(user)
        pushes = {row["enterprise"] for row in client.get("/api/policy-pushes/").json()["results"]}
        results = {row["enterprise"] for row in client.get("/api/eligibility-results/").json()["results"]}
        assert (user.username, pushes, results) == (user.username, enterprises, enterprises)
    push_b = cast.enterprise_b.pk
    from policies.models import PolicyPush

    other = PolicyPush.objects.get(enterprise_id=push_b)
    assert login(cast.officer_a).get(f"/api/policy-pushes/{other.pk}/").status_code == 404
    assert login(cast.officer_a).get(f"/policies/pushes/{other.pk}/").status_code == 404
    assert login(cast.officer_a).get(f"/policies/facts/{cast.enterprise_b.pk}/").status_code == 404
