import pytest

from issues.models import Issue, Source


@pytest.fixture
def hand_to_bureau():
    """``hand_to_bureau(enterprise, bureau)``: an issue of ``enterprise`` that ``bureau`` holds."""

    def make(enterprise, bureau) -> Issue:
        issue = Issue.objects.create(
            enterprise=enterprise, title="用地手续办理", description="厂房扩建用地手续需要协调。", source=Source.VISIT
        )
        issue.bureaus_involved.add(bureau)
        return issue

    return make
