"""The ledger filters as a person meets them: on the page, in /api/issues/ and in the Excel export.

The search box treats anything that is not an ASCII issue number as text (「²」 is a digit to
Python's ``str.isdigit`` but not a number ``int`` reads); every drop-down starts with 全部; the
yes/no conditions are 全部 / 是 / 否 and stay out of the URL when 全部; the states are
checkboxes in a drop-down and still read ``?state=a&state=b``.
"""

import io

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from issues.models import Issue
from tests.exports import exported
from tests.issues.conftest import accepted, in_progress, submitted


def ledger_page(client, params=None) -> str:
    response = client.get(reverse("issues:ledger"), params or {})
    assert response.status_code == 200
    return response.content.decode()


def options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of the ``name`` select in the filter form."""
    (select,) = lxml.html.fromstring(page).xpath(f'//form[contains(@class, "issue-filter")]//select[@name="{name}"]')
    return [
        (option.get("value"), option.text_content().strip(), option.get("selected") is not None) for option in select
    ]


def ledger_titles(page: str) -> list[str]:
    links = lxml.html.fromstring(page).xpath('//table[contains(@class, "issue-table")]/tbody//td/a')
    return [link.text_content().strip() for link in links]


def state_boxes(tree):
    return tree.xpath('//div[contains(@class, "state-filter")]//input[@type="checkbox"][@name="state"]')


def state_button(tree) -> str:
    return tree.get_element_by_id("state-filter-button").text_content().strip()


def export_titles(client, params) -> list[str]:
    response = exported(client, reverse("issues:export"), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    title_column = next(i for row in rows for i, value in enumerate(row) if value == "问题标题")
    header = next(n for n, row in enumerate(rows) if "问题标题" in row)
    return [row[title_column] for row in rows[header + 1 :] if row[title_column]]


def api_titles(user, params) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/issues/", params)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize("typed", ["²", "#²", "٣", "１２", "²³"])
def test_a_digit_that_is_not_an_ascii_number_is_searched_as_text(ledger, client_for, typed):
    # Given an issue whose title holds the characters typed, and one that does not
    wanted = accepted(ledger, title=f"排放浓度 {typed.lstrip('#')} 超标")
    accepted(ledger, title="订单不足")
    client = client_for(ledger.manager)
    params = {"q": typed.lstrip("#") if typed.startswith("#") else typed}

    # Then the page, the API and the export answer, with the text match only
    assert ledger_titles(ledger_page(client, params)) == [wanted.title]
    assert api_titles(ledger.manager, params) == [wanted.title]
    assert export_titles(client, params) == [wanted.title]


def test_a_superscript_after_the_hash_finds_nothing_and_fails_nothing(ledger, client_for):
    accepted(ledger, title="订单不足")
    client = client_for(ledger.manager)
    page = ledger_page(client, {"q": "#²"})
    assert ledger_titles(page) == [] and "没有符合条件的问题。" in page
    assert api_titles(ledger.manager, {"q": "#²"}) == []
    assert export_titles(client, {"q": "#²"}) == []


def test_an_ascii_issue_number_still_finds_the_issue(ledger, client_for):
    wanted = accepted(ledger, title="订单不足")
    accepted(ledger, title="用工短缺")
    client = client_for(ledger.manager)
    for typed in (str(wanted.pk), f"#{wanted.pk}", f" #{wanted.pk} "):
        assert ledger_titles(ledger_page(client, {"q": typed})) == [wanted.title], typed
        assert api_titles(ledger.manager, {"q": typed}) == [wanted.title], typed
        assert export_titles(client, {"q": typed}) == [wanted.title], typed


def test_a_number_too_long_for_an_id_finds_nothing_and_fails_nothing(ledger, client_for):
    accepted(ledger, title="订单不足")
    client = client_for(ledger.manager)
    huge = "9" * 30
    assert ledger_titles(ledger_page(client, {"q": huge})) == []
    assert api_titles(ledger.manager, {"q": huge}) == []
    assert export_titles(client, {"q": huge}) == []


def test_every_drop_down_starts_with_all(ledger, client_for):
    page = ledger_page(client_for(ledger.manager))
    assert "---------" not in page
    for name in (
        "level",
        "bureau",
        "task_force",
        "category",
        "source",
        "overdue",
        "due_soon",
        "district",
        "grid",
        "tier",
    ):
        assert options(page, name)[0] == ("", "全部", True), name


def test_the_orderings_read_in_chinese(ledger, client_for):
    page = ledger_page(client_for(ledger.manager))
    assert options(page, "sort") == [
        ("", "默认（待办在前）", True),
        ("due_on", "办结时限（由近到远）", False),
        ("-due_on", "办结时限（由远到近）", False),
        ("created_at", "登记时间（由早到晚）", False),
        ("-created_at", "登记时间（由晚到早）", False),
    ]
    assert "descending" not in page


def test_the_newest_first_ordering_sorts_and_stays_selected(ledger, client_for):
    first = accepted(ledger, title="先登记的问题")
    second = accepted(ledger, title="后登记的问题")
    Issue.objects.filter(pk=first.pk).update(created_at="2026-10-01T09:00+08:00")
    page = ledger_page(client_for(ledger.manager), {"sort": "-created_at"})
    assert ledger_titles(page) == [second.title, first.title]
    assert ("-created_at", "登记时间（由晚到早）", True) in options(page, "sort")


def test_overdue_and_due_soon_are_all_yes_or_no(ledger, client_for):
    page = ledger_page(client_for(ledger.manager))
    for name in ("overdue", "due_soon"):
        assert options(page, name) == [("", "全部", True), ("true", "是", False), ("false", "否", False)]
    assert "未知" not in page


def test_overdue_yes_no_and_all_filter_the_rows(ledger, client_for, frozen_monday):
    late = accepted(ledger, title="逾期的问题")
    Issue.objects.filter(pk=late.pk).update(due_on="2026-10-30")
    on_time = in_progress(ledger, title="时限内的问题")
    client = client_for(ledger.manager)

    assert ledger_titles(ledger_page(client, {"overdue": "true"})) == [late.title]
    assert ledger_titles(ledger_page(client, {"overdue": "false"})) == [on_time.title]
    everything = ledger_page(client, {"overdue": ""})
    assert ledger_titles(everything) == [late.title, on_time.title]
    assert options(everything, "overdue")[0] == ("", "全部", True)
    assert api_titles(ledger.manager, {"overdue": "true"}) == [late.title]
    assert export_titles(client, {"overdue": "false"}) == [on_time.title]


def test_an_old_bookmark_with_overdue_unknown_means_all(ledger, client_for):
    """The old 未知 option put ``overdue=unknown`` in the URL; such links still open, unfiltered."""
    issue = accepted(ledger, title="订单不足")
    client = client_for(ledger.manager)
    page = ledger_page(client, {"overdue": "unknown", "due_soon": "unknown"})
    assert "筛选条件有误" not in page
    assert ledger_titles(page) == [issue.title]
    assert api_titles(ledger.manager, {"overdue": "unknown"}) == [issue.title]


def test_a_yes_no_value_that_is_neither_is_refused_with_a_message(ledger, client_for):
    accepted(ledger, title="订单不足")
    page = ledger_page(client_for(ledger.manager), {"overdue": "maybe"})
    assert "筛选条件有误" in page and ledger_titles(page) == []
    client = APIClient()
    client.force_authenticate(ledger.manager)
    response = client.get("/api/issues/", {"overdue": "maybe"})
    assert response.status_code == 400 and "overdue" in response.json()


def test_the_states_are_checkboxes_in_a_drop_down(ledger, client_for):
    page = ledger_page(client_for(ledger.manager))
    tree = lxml.html.fromstring(page)
    assert not tree.xpath('//select[@name="state"]')
    boxes = state_boxes(tree)
    assert all(box.xpath('ancestor::div[contains(@class, "dropdown-menu")]') for box in boxes)
    assert [box.get("value") for box in boxes] == [
        "submitted",
        "accepted",
        "in_progress",
        "resolved",
        "closed",
        "rejected",
        "merged",
    ]
    assert not any(box.get("checked") is not None for box in boxes)
    assert state_button(tree) == "全部"


@pytest.mark.parametrize(
    ("states", "button", "titles"),
    [
        (["accepted"], "已立案", ["已立案的问题"]),
        (["accepted", "in_progress"], "已选 2 项", ["已立案的问题", "办理中的问题"]),
    ],
)
def test_repeated_state_parameters_still_filter_and_show_as_ticked(ledger, client_for, states, button, titles):
    submitted(ledger, title="待受理的问题")
    accepted(ledger, title="已立案的问题")
    in_progress(ledger, title="办理中的问题")
    Issue.objects.filter(title="办理中的问题").update(due_on="2026-12-30")
    client = client_for(ledger.manager)

    page = ledger_page(client, {"state": states})
    tree = lxml.html.fromstring(page)
    ticked = [box.get("value") for box in state_boxes(tree) if box.get("checked") is not None]
    assert ticked == states
    assert state_button(tree) == button
    assert ledger_titles(page) == titles
    assert api_titles(ledger.manager, {"state": states}) == titles
    assert export_titles(client, {"state": states}) == titles
