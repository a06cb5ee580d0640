"""``render_form``: a page whose submitted form was refused answers 400, every other 200."""

from django import forms
from django.test import RequestFactory

from common.views import render_form


class CountForm(forms.Form):
    count = forms.IntegerField(min_value=1)


def _page(request, form):
    # Any template does: the status is the point here.
    return render_form(request, "snippets/pagination.html", {"form": form, "other": "x"})


def test_a_refused_submission_is_400_and_shows_the_field(rf: RequestFactory):
    form = CountForm({"count": "0"})
    assert not form.is_valid()
    assert _page(rf.post("/", {"count": "0"}), form).status_code == 400
    assert list(form.errors) == ["count"]


def test_a_service_refusal_added_to_a_valid_form_is_400(rf: RequestFactory):
    form = CountForm({"count": "3"})
    assert form.is_valid()
    form.add_error(None, "已被他人修改")
    assert _page(rf.post("/", {"count": "3"}), form).status_code == 400


def test_an_empty_form_or_a_get_is_200(rf: RequestFactory):
    assert _page(rf.get("/"), CountForm()).status_code == 200
    assert _page(rf.get("/", {"count": "0"}), CountForm({"count": "0"})).status_code == 200
    assert _page(rf.post("/", {"count": "3"}), CountForm({"count": "3"})).status_code == 200
