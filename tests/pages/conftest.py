import pytest

from tests.factories import issue_at_bureau


@pytest.fixture
def hand_to_bureau(cast):
    """``hand_to_bureau(enterprise, bureau)``: an issue of ``enterprise`` that ``bureau`` holds,
    taken there by the services (submitted, accepted, escalated by the manager)."""

    def make(enterprise, bureau):
        return issue_at_bureau(enterprise, bureau, actor=cast.manager)

    return make
