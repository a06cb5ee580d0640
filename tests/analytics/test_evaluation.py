"""量化评价: the formula, the weights from settings, and the page that documents them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from analytics.evaluation import DEFAULT_WEIGHTS, score, weights, weights_table
from analytics.metrics import Dimension
from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month

FULL = {"visit_coverage": 0.5, "tracking_timeliness": 0.6, "grid_on_time_rate": 1.0, "satisfaction_rate": 1.0}


def test_default_weights():
    assert weights() == DEFAULT_WEIGHTS == {"coverage": 30, "tracking": 30, "on_time": 25, "satisfaction": 15}
    assert score(FULL) == 73.0


def test_a_component_without_base_drops_out():
    # No grid-level issue fell due and no feedback: coverage and tracking share the score 30:30.
    assert score({**FULL, "grid_on_time_rate": None, "satisfaction_rate": None}) == 55.0
    assert score(dict.fromkeys(FULL)) is None


def test_weights_come_from_settings(settings):
    settings.ANALYTICS_EVALUATION_WEIGHTS = {"coverage": 100, "tracking": 0, "on_time": 0, "satisfaction": 0}
    assert score(FULL) == 50.0
    settings.ANALYTICS_EVALUATION_WEIGHTS = {"satisfaction": 85}  # the others keep their defaults
    assert score(FULL) == round(100 * (30 * 0.5 + 30 * 0.6 + 25 + 85) / 170, 1)
    assert [row["weight"] for row in weights_table()] == [30, 30, 25, 85]


@pytest.mark.parametrize("configured", [{"speed": 10}, {"coverage": -1}, dict.fromkeys(DEFAULT_WEIGHTS, 0)])
def test_bad_weights_fail_loudly(settings, configured):
    settings.ANALYTICS_EVALUATION_WEIGHTS = configured
    with pytest.raises(ImproperlyConfigured):
        weights()


@pytest.mark.usefixtures("mid_november")
def test_the_job_uses_the_weights_in_force(october, settings):
    settings.ANALYTICS_EVALUATION_WEIGHTS = {"coverage": 1, "tracking": 0, "on_time": 0, "satisfaction": 0}
    monthly_analysis_run(month=Month(2026, 10))
    officer_b = MonthlyReport.objects.get(scope_type=Dimension.OFFICER, scope_id=str(october.officer_b.pk))
    assert officer_b.metrics["evaluation_score"] == 100.0  # visited his one enterprise


@pytest.mark.usefixtures("mid_november")
def test_the_dashboard_documents_formula_and_weights(october, client_for):
    monthly_analysis_run(month=Month(2026, 10))
    html = client_for(october.manager).get("/analytics/?month=2026-10").content.decode()
    assert "评价说明" in html and "ANALYTICS_EVALUATION_WEIGHTS" in html
    for label in ("走访覆盖", "跟踪及时", "按期结案", "企业满意"):
        assert label in html
    assert "30%" in html and "25%" in html and "15%" in html  # the shares of the default weights
