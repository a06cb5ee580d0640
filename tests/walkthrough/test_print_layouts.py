"""Print layouts: the ledger as a formatted A4 台账 (same filters and scope as the page), an issue
and the dashboards print without navigation, buttons or forms."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from issues.models import Source
from issues.services import issue_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_issues(cast):
    mine = issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="用电增容",
        description="二期",
        source=Source.ENTERPRISE,
    )
    theirs = issue_submit(
        enterprise=cast.enterprise_b,
        actor=cast.enterprise_user_b,
        title="乙企业招工",
        description="缺工",
        source=Source.ENTERPRISE,
    )
    return mine, theirs


def test_the_printed_ledger_lists_the_scoped_filtered_rows_with_a_heading(cast, client_for, two_issues):
    response = client_for(cast.officer_a).get(reverse("issues:print"), {"state": "submitted"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "企业问题困难动态台账" in body and 'class="print-sheet"' in body
    assert body.count('class="ledger-sheet-row"') == 1
    assert "用电增容" in body and "乙企业招工" not in body
    assert "筛选条件：状态 待受理" in body
    assert "填报单位（盖章）" in body


def test_the_ledger_page_links_to_its_print_with_the_same_filters(cast, client_for, two_issues):
    body = client_for(cast.manager).get(reverse("issues:ledger"), {"state": "submitted"}).content.decode()

    assert f'href="{reverse("issues:print")}?state=submitted"' in body


def test_a_bad_filter_is_400_naming_the_field_and_prints_no_row(cast, client_for, two_issues):
    response = client_for(cast.manager).get(reverse("issues:print"), {"level": "nowhere"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "level" in body and 'class="ledger-sheet-row"' not in body


def test_enterprises_have_no_printed_ledger(cast, client_for, two_issues):
    assert client_for(cast.enterprise_user_a).get(reverse("issues:print")).status_code == 404


def test_the_issue_and_the_dashboard_offer_printing_with_their_print_layout(cast, client_for, two_issues):
    mine, _theirs = two_issues
    issue_page = client_for(cast.officer_a).get(mine.get_absolute_url()).content.decode()
    dashboard = client_for(cast.manager).get(reverse("analytics:zone_dashboard")).content.decode()

    assert 'class="issue-print"' in issue_page and "data-jk-print" in issue_page
    assert 'class="dashboard-print"' in dashboard and "data-jk-print" in dashboard


def test_the_print_stylesheet_sets_a4_pages_and_hides_the_controls():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")

    assert "@page ledger-sheet { size: A4 landscape;" in css
    assert "@page dashboard { size: A4 landscape;" in css
    assert "@page { size: A4 portrait;" in css  # everything else, the notice board included
    assert (
        ".alert-dismissible, .breadcrumb, .btn, form, .pagination, [data-jk-print] { display: none !important; }" in css
    )
