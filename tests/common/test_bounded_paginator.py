"""The bounded count of long lists (``common.api.BoundedPaginator``, issue 13): exact up to the bound,
"at least" beyond it, and page links that lead on without naming a last page nobody counted."""

import pytest

from common.api import BoundedPaginator

ELLIPSIS = BoundedPaginator.ELLIPSIS


@pytest.fixture(autouse=True)
def small_bound(monkeypatch):
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)


def test_up_to_the_bound_the_count_is_exact():
    page = BoundedPaginator(list(range(10)), 4).get_page(1)

    assert page.paginator.count == 10
    assert page.paginator.count_is_lower_bound is False
    assert page.paginator.num_pages == 3
    assert list(page.paginator.get_elided_page_range(1, on_each_side=2, on_ends=1)) == [1, 2, 3]


def test_beyond_the_bound_the_count_is_the_bound_plus_one_and_says_at_least():
    page = BoundedPaginator(list(range(30)), 4).get_page(1)

    assert page.paginator.count == 11
    assert page.paginator.count_is_lower_bound is True
    assert page.paginator.count_at_least == 10
    assert list(page) == [0, 1, 2, 3] and page.has_next()


def test_a_page_past_the_bound_is_full_and_the_next_one_is_offered():
    page = BoundedPaginator(list(range(30)), 4).get_page("5")

    assert list(page) == [16, 17, 18, 19]
    assert page.paginator.count == 21 and page.paginator.count_is_lower_bound is True
    assert page.has_next() and page.next_page_number() == 6


def test_the_real_last_page_is_counted_exactly_and_offers_no_next():
    page = BoundedPaginator(list(range(30)), 4).get_page(8)

    assert list(page) == [28, 29]
    assert page.paginator.count == 30 and page.paginator.count_is_lower_bound is False
    assert not page.has_next()


def test_a_page_past_the_end_shows_the_last_page_and_a_bad_number_the_first():
    assert BoundedPaginator(list(range(30)), 4).get_page(99).number == 8
    assert BoundedPaginator(list(range(30)), 4).get_page("abc").number == 1


@pytest.mark.parametrize(
    "number, links",
    [
        (1, [1, 2, 3, ELLIPSIS]),
        (3, [1, 2, 3, 4, ELLIPSIS]),  # page 4 holds the 13th row, the furthest counted
        (7, [1, ELLIPSIS, 5, 6, 7, 8, ELLIPSIS]),
    ],
)
def test_page_links_lead_on_but_name_no_last_page_when_the_count_is_a_lower_bound(number, links):
    paginator = BoundedPaginator(list(range(100)), 4)
    page = paginator.get_page(number)

    assert list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)) == links


@pytest.mark.django_db
def test_a_queryset_is_counted_in_the_database_up_to_the_bound(cast, django_assert_num_queries):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory.create_batch(12, grid=cast.grid_a)
    paginator = BoundedPaginator(cast.grid_a.enterprises.order_by("name", "pk"), 4)

    with django_assert_num_queries(2):  # the bounded count, the page
        page = paginator.get_page(1)
        assert len(page.object_list) == 4

    assert paginator.count == 11 and paginator.count_is_lower_bound is True
