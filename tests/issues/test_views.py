"""The ledger pages: scope (404 outside), only the allowed actions, forms that refuse cleanly."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from common.api import BoundedPaginator
from issues import services
from issues.models import Attachment, Issue, Source, State
from tests.exports import exported
from tests.issues.conftest import accepted, at, at_bureau, fresh, in_progress, resolved, submitted
from tests.issues.helpers import snapshot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def detail_url(issue):
    return reverse("issues:detail", args=[issue.pk])


def act_url(issue, action):
    return reverse("issues:act", args=[issue.pk, action])


@pytest.fixture
def two_issues(ledger):
    """One issue in each district; A's went through bureau X."""
    issue_a = at_bureau(ledger)
    issue_b = accepted(ledger, enterprise=ledger.enterprise_b, title="乙企业用工短缺")
    return issue_a, issue_b


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("manager", True, True),
        ("admin", True, True),
        ("leader_a", True, False),
        ("officer_a", True, False),
        ("officer_b", False, True),
        ("bureau_user_x", True, False),
        ("bureau_user_y", False, False),
    ],
)
def test_the_ledger_and_the_issue_page_follow_the_scope(ledger, two_issues, client_for, who, sees_a, sees_b):
    client = client_for(getattr(ledger, who))
    ledger_page = client.get(reverse("issues:ledger")).content.decode()
    for issue, visible in zip(two_issues, (sees_a, sees_b), strict=True):
        assert (issue.title in ledger_page) is visible
        assert client.get(detail_url(issue)).status_code == (200 if visible else 404)


def test_an_enterprise_user_sees_only_its_own_issues_and_no_internal_notes(ledger, two_issues, client_for):
    issue_a, issue_b = two_issues
    services.issue_comment(issue=issue_a, actor=ledger.officer_a, body="内部：法人联系不上", internal=True)
    services.issue_comment(issue=issue_a, actor=ledger.officer_a, body="已转财政局办理", internal=False)
    client = client_for(ledger.enterprise_user_a)

    assert client.get(reverse("issues:ledger")).url == reverse("issues:my_list")
    mine = client.get(reverse("issues:my_list")).content.decode()
    assert issue_a.title in mine and issue_b.title not in mine
    page = client.get(detail_url(issue_a)).content.decode()
    assert "已转财政局办理" in page
    assert "法人联系不上" not in page
    assert client.get(detail_url(issue_b)).status_code == 404
    # Staff see the note.
    assert "法人联系不上" in client_for(ledger.officer_a).get(detail_url(issue_a)).content.decode()


def test_the_issue_page_offers_only_the_allowed_actions(ledger, client_for):
    issue = submitted(ledger)
    officer_page = client_for(ledger.officer_a).get(detail_url(issue)).content.decode()
    assert 'data-action="accept"' in officer_page and 'data-action="reject"' in officer_page
    assert 'data-action="resolve"' not in officer_page
    enterprise_page = client_for(ledger.enterprise_user_a).get(detail_url(issue)).content.decode()
    assert "data-action=" not in enterprise_page

    issue = services.issue_resolve(
        issue=services.issue_accept(issue=issue, actor=ledger.officer_a, category=ledger.financing),
        actor=ledger.officer_a,
        resolution="办好了",
    )
    enterprise_page = client_for(ledger.enterprise_user_a).get(detail_url(issue)).content.decode()
    assert 'data-action="feedback"' in enterprise_page
    manager_page = client_for(ledger.manager).get(detail_url(issue)).content.decode()
    assert 'data-action="feedback"' not in manager_page and 'data-action="close"' in manager_page


def test_the_timeline_shows_every_step_with_actor_and_time(ledger, client_for):
    issue = resolved(ledger)
    page = client_for(ledger.enterprise_user_a).get(detail_url(issue)).content.decode()
    for label in ("提交问题", "受理立案", "签收办理", "办结"):
        assert label in page
    assert ledger.officer_a.name in page
    assert "2026-11-02 10:00" in page


def test_posting_an_action_applies_it(ledger, client_for):
    issue = submitted(ledger)
    response = client_for(ledger.officer_a).post(
        act_url(issue, "accept"),
        {"accept-version": issue.version, "accept-category": ledger.financing.pk, "accept-severity": "normal"},
    )
    assert response.status_code == 302 and response.url == detail_url(issue)
    assert fresh(issue).state == State.ACCEPTED


def test_a_missing_reason_keeps_the_form_and_changes_nothing(ledger, client_for):
    issue = submitted(ledger)
    before = snapshot(issue)
    response = client_for(ledger.officer_a).post(
        act_url(issue, "reject"), {"reject-version": issue.version, "reject-reason": ""}
    )
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    assert snapshot(issue) == before


def test_a_refused_action_explains_itself(ledger, client_for):
    issue = at_bureau(ledger)
    before = snapshot(issue)
    response = client_for(ledger.officer_a).post(
        act_url(issue, "resolve"), {"resolve-version": issue.version, "resolve-resolution": "网格办好了"}
    )
    assert response.status_code == 403
    assert "您无权执行此操作" in response.content.decode()
    assert snapshot(issue) == before


def test_a_stale_form_is_told_the_issue_changed(ledger, client_for):
    issue = accepted(ledger)
    old_version = issue.version
    services.issue_start(issue=issue, actor=ledger.officer_a)
    before = snapshot(issue)
    response = client_for(ledger.officer_a2).post(
        act_url(issue, "resolve"), {"resolve-version": old_version, "resolve-resolution": "办好了"}
    )
    assert response.status_code == 409
    assert "已被他人更新" in response.content.decode()
    assert snapshot(issue) == before


@pytest.mark.parametrize("who", ["officer_b", "leader_b", "bureau_user_y", "enterprise_user_b"])
def test_acting_on_an_issue_out_of_scope_is_not_found(ledger, client_for, who):
    issue = at_bureau(ledger)
    before = snapshot(issue)
    response = client_for(getattr(ledger, who)).post(
        act_url(issue, "resolve"), {"resolve-version": issue.version, "resolve-resolution": "x"}
    )
    assert response.status_code == 404
    assert snapshot(issue) == before


def test_an_unknown_action_is_not_found(ledger, client_for):
    issue = accepted(ledger)
    before = snapshot(issue)

    assert client_for(ledger.manager).post(act_url(issue, "delete")).status_code == 404
    assert snapshot(issue) == before


def test_the_enterprise_submits_with_an_attachment_and_only_its_side_downloads_it(ledger, client_for):
    client = client_for(ledger.enterprise_user_a)
    response = client.post(
        reverse("issues:new"),
        {
            "title": "厂房漏水需协调维修",
            "description": "暴雨后二号厂房屋顶漏水。",
            "category": ledger.financing.pk,
            "attachments": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    issue = Issue.objects.get(title="厂房漏水需协调维修")
    assert response.status_code == 302 and response.url == detail_url(issue)
    assert (issue.enterprise, issue.source, issue.created_by) == (
        ledger.enterprise_a,
        Source.ENTERPRISE,
        ledger.enterprise_user_a,
    )
    attachment = Attachment.objects.get(issue=issue)
    url = reverse("issues:attachment", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert client_for(ledger.officer_a).get(url).status_code == 200
    for outsider in ("officer_b", "bureau_user_x", "enterprise_user_b"):
        assert client_for(getattr(ledger, outsider)).get(url).status_code == 404


def test_an_internal_attachment_is_hidden_from_the_enterprise(ledger, client_for):
    issue = accepted(ledger)
    services.issue_comment(
        issue=issue,
        actor=ledger.officer_a,
        body="内部材料",
        internal=True,
        attachments=[SimpleUploadedFile("内部.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
    )
    url = reverse("issues:attachment", args=[Attachment.objects.get().pk])
    assert client_for(ledger.enterprise_user_a).get(url).status_code == 404
    assert client_for(ledger.officer_a).get(url).status_code == 200


def test_a_bad_attachment_is_refused_and_nothing_is_created(ledger, client_for):
    response = client_for(ledger.enterprise_user_a).post(
        reverse("issues:new"),
        {
            "title": "伪装文件",
            "description": "x",
            "attachments": [SimpleUploadedFile("病毒.png", b"MZ\x90\x00 not a png", content_type="image/png")],
        },
    )
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Issue.objects.exists()


def test_staff_register_an_issue_for_an_enterprise_in_scope_only(ledger, client_for):
    client = client_for(ledger.officer_a)
    response = client.post(
        reverse("issues:new"), {"enterprise": ledger.enterprise_b.pk, "title": "越界", "description": "x"}
    )
    assert response.status_code == 400 and not Issue.objects.exists()
    client.post(reverse("issues:new"), {"enterprise": ledger.enterprise_a.pk, "title": "走访发现", "description": "x"})
    assert Issue.objects.get().source == Source.VISIT
    assert client_for(ledger.bureau_user_x).get(reverse("issues:new")).status_code == 404


def test_my_issues_is_for_enterprise_users_only(ledger, client_for):
    assert client_for(ledger.officer_a).get(reverse("issues:my_list")).status_code == 404


def test_the_workbench_lists_what_the_bureau_holds_by_due_date(ledger, client_for):
    early = at_bureau(ledger, title="先到期的问题")
    late = at_bureau(ledger, title="后到期的问题")
    Issue.objects.filter(pk=late.pk).update(due_on="2026-12-30")
    elsewhere = accepted(ledger, title="仍在网格的问题")
    page = client_for(ledger.bureau_user_x).get(reverse("issues:workbench")).content.decode()
    assert page.index(early.title) < page.index(late.title)
    assert elsewhere.title not in page
    assert "先到期的问题" not in client_for(ledger.bureau_user_y).get(reverse("issues:workbench")).content.decode()


def test_the_workbench_recent_lists_what_left_the_bureau_newest_first(ledger, client_for):
    # Given twelve issues bureau X held and no longer does: resolved there, returned to the grid, or
    # resolved by the task force X leads (eight of them, seen through the task force alone)…
    issues = [at_bureau(ledger, title=f"经手问题{number}") for number in range(12)]
    for number, issue in enumerate(issues):
        if number % 3 == 0:
            state = {"level": "grid", "bureau": None} if number % 2 else {"state": State.RESOLVED}
        else:
            state = {"level": "task_force", "task_force": ledger.task_force, "state": State.RESOLVED}
            issue.bureaus_involved.clear()
        Issue.objects.filter(pk=issue.pk).update(updated_at=at(2026, 11, number + 1, 9), **state)
    # …and one it holds now, touched last.
    held = at_bureau(ledger, title="在办问题")
    Issue.objects.filter(pk=held.pk).update(updated_at=at(2026, 11, 20, 9))
    # When its staff open the workbench, then "recent" is the ten latest of the twelve, newest first.
    recent = client_for(ledger.bureau_user_x).get(reverse("issues:workbench")).context["recent"]
    assert [issue.pk for issue in recent] == [issue.pk for issue in reversed(issues)][:10]
    # Bureau Y, a member of the task force, sees the task force's eight and none of X's own.
    recent = client_for(ledger.bureau_user_y).get(reverse("issues:workbench")).context["recent"]
    assert [issue.pk for issue in recent] == [
        issue.pk for number, issue in reversed(list(enumerate(issues))) if number % 3
    ]


@pytest.mark.parametrize("who", ["manager", "officer_a", "enterprise_user_a"])
def test_the_workbench_is_for_bureau_staff(ledger, client_for, who):
    assert client_for(getattr(ledger, who)).get(reverse("issues:workbench")).status_code == 404


def test_the_workbench_resolves_and_returns_to_itself(ledger, client_for):
    issue = at_bureau(ledger)
    client = client_for(ledger.bureau_user_x)
    response = client.post(
        act_url(issue, "resolve"),
        {"resolve-version": issue.version, "resolve-resolution": "贴息已拨付", "next": reverse("issues:workbench")},
    )
    assert response.url == reverse("issues:workbench")
    assert fresh(issue).state == State.RESOLVED


def test_the_export_holds_the_filtered_rows_in_scope(ledger, two_issues, client_for):
    in_progress(ledger, title="办理中的问题")
    response = exported(client_for(ledger.officer_a), reverse("issues:export"), {"state": "in_progress"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0].startswith("问题台账（导出时间 ")  # the title row; see tests/issues/test_exports.py
    assert rows[1][:5] == ("编号", "企业", "片区", "网格", "问题标题")
    assert [row[4] for row in rows[2:]] == ["办理中的问题"]


def test_a_bad_filter_value_shows_the_error_instead_of_failing(ledger, client_for):
    response = client_for(ledger.manager).get(reverse("issues:ledger"), {"state": "nonsense", "created_from": "x"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()
    refused = client_for(ledger.manager).post(reverse("issues:export"), {"state": "nonsense"})
    assert refused.status_code == 400 and "<code>state</code>" in refused.content.decode()


def test_the_ledger_shows_the_measures(ledger, client_for):
    services.issue_close(issue=resolved(ledger), actor=ledger.officer_a)
    page = client_for(ledger.manager).get(reverse("issues:ledger")).content.decode()
    assert "结案率" in page and "按期结案率" in page and "100.0" in page


def _many_issues(ledger, count):
    for number in range(count):
        enterprise = ledger.enterprise_a if number % 2 else ledger.enterprise_b
        issue = accepted(ledger, enterprise=enterprise, title=f"问题{number}")
        if number % 3 == 0:
            services.issue_escalate(issue=issue, actor=ledger.manager, reason="升级", bureau=ledger.bureau_x)


@pytest.mark.parametrize("count", [2, 24])
def test_the_ledger_page_keeps_a_constant_number_of_queries(ledger, client_for, django_assert_max_num_queries, count):
    _many_issues(ledger, count)
    for who in ("manager", "bureau_user_x"):
        client = client_for(getattr(ledger, who))
        with django_assert_max_num_queries(14):
            assert client.get(reverse("issues:ledger")).status_code == 200


@pytest.mark.parametrize("count", [2, 24])
def test_the_workbench_keeps_a_constant_number_of_queries(ledger, client_for, django_assert_max_num_queries, count):
    _many_issues(ledger, count)
    client = client_for(ledger.bureau_user_x)
    # The held ids, a page of them, the page's count and the cards' counts, the recent ten…
    with django_assert_max_num_queries(11):
        assert client.get(reverse("issues:workbench")).status_code == 200


def test_the_ledger_lists_what_needs_action_first(ledger, client_for):
    finished = services.issue_close(issue=resolved(ledger), actor=ledger.officer_a)
    Issue.objects.filter(pk=finished.pk).update(title="已销号的问题")
    waiting = resolved(ledger, title="待评价的问题")
    later = accepted(ledger, title="后到期的问题")
    Issue.objects.filter(pk=later.pk).update(due_on="2026-12-30")
    accepted(ledger, title="先到期的问题")
    page = client_for(ledger.manager).get(reverse("issues:ledger")).content.decode()
    positions = [page.index(title) for title in ("先到期的问题", "后到期的问题", waiting.title, "已销号的问题")]
    assert positions == sorted(positions)


def test_the_issue_page_counts_down_in_working_days(ledger, client_for, frozen_monday):
    issue = accepted(ledger)  # due Thursday 5 November
    client = client_for(ledger.officer_a)
    assert "剩余 3 个工作日" in client.get(detail_url(issue)).content.decode()
    frozen_monday.move_to(at(2026, 11, 9, 10))  # Monday after: Friday and Monday late
    page = client_for(ledger.officer_a).get(detail_url(issue)).content.decode()  # a fresh session
    assert "超期 2 个工作日" in page and "已逾期" in page


# --- A bounded count (issue 13: half a million issues) ------------------------------


def test_the_ledger_counts_exactly_up_to_its_bound(ledger, client_for, monkeypatch):
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)
    for number in range(5):
        submitted(ledger, title=f"问题{number}")

    body = client_for(ledger.manager).get(reverse("issues:ledger")).content.decode()

    assert "共 5 条" in body and "+ 条" not in body


def test_beyond_its_bound_the_ledger_says_at_least_and_its_pages_lead_on(ledger, client_for, monkeypatch):
    # Given a bound of 10 and 75 issues: page 1 counts to its own end (30 rows) plus one.
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)
    for number in range(75):
        submitted(ledger, title=f"问题{number}")
    client = client_for(ledger.manager)

    first = client.get(reverse("issues:ledger"), {"state": "submitted"})
    body = first.content.decode()
    assert "共 30+ 条" in body
    assert "?state=submitted&amp;page=2" in body  # the next page, with the filters
    assert "page=3" not in body  # the last page is not named: nobody counted it
    assert "第 1 页" in body and "第 1 /" not in body
    second = client.get(reverse("issues:ledger"), {"state": "submitted", "page": 2})
    assert "共 60+ 条" in second.content.decode() and len(second.context["page"].object_list) == 30
    # The real last page is counted exactly and is the end.
    last = client.get(reverse("issues:ledger"), {"state": "submitted", "page": 3})
    assert "共 75 条" in last.content.decode() and len(last.context["page"].object_list) == 15
    assert not last.context["page"].has_next()
    english = client.get(reverse("issues:ledger"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "30+ entries" in english and "Page 1<" in english


def test_every_scope_counts_its_ledger_up_to_the_bound(ledger, client_for, monkeypatch):
    # A bureau's too: counted without the ledger's order, its rows' filter is read by whatever
    # index answers it (91 ms on a province's bureau, against 351 ms for its exact count).
    monkeypatch.setattr("common.api.COUNT_BOUND", 4)
    monkeypatch.setattr("issues.views.PAGE_SIZE", 2)
    _many_issues(ledger, 12)  # four of them escalated to bureau X

    bureau_page = client_for(ledger.bureau_user_x).get(reverse("issues:ledger")).context["page"]
    manager_page = client_for(ledger.manager).get(reverse("issues:ledger")).context["page"]

    assert isinstance(bureau_page.paginator, BoundedPaginator) and bureau_page.paginator.count == 4
    assert not bureau_page.paginator.count_is_lower_bound
    assert isinstance(manager_page.paginator, BoundedPaginator) and manager_page.paginator.count == 5
    assert manager_page.paginator.count_is_lower_bound  # "at least five" of the twelve


def test_the_workbench_shows_a_page_at_a_time_and_counts_the_whole_queue(ledger, client_for, monkeypatch):
    from issues import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    held = [at_bureau(ledger, title=f"科室问题{number}") for number in range(3)]
    Issue.objects.filter(pk=held[0].pk).update(due_on="2026-11-01")  # overdue on the frozen Monday
    client = client_for(ledger.bureau_user_x)

    first = client.get(reverse("issues:workbench"))
    second = client.get(reverse("issues:workbench"), {"page": 2})

    assert [issue.pk for issue in first.context["queue"]] == [held[0].pk, held[1].pk]
    assert [issue.pk for issue in second.context["queue"]] == [held[2].pk]
    for response in (first, second):
        counts = response.context["counts"]
        assert (counts["total"], counts["overdue"]) == (3, 1)
        assert counts["waiting"] == sum(issue.state in (State.SUBMITTED, State.ACCEPTED) for issue in held)
    assert 'rel="next"' in first.content.decode() and "第 2 / 2 页" in second.content.decode()
