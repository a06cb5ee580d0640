"""``common.forms``: the Bootstrap look of every form and the one field taking several files,
whose limits (5 per ledger step or policy, 10 per visit) live beside the upload check."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from common import files
from common.forms import BootstrapFormMixin, MultipleFileField, add_service_errors, style_fields
from fieldwork.forms import VisitForm
from fieldwork.models import Visit
from fieldwork.services import visit_create
from issues.forms import ResolveForm, SubmitForm
from policies.forms import AttachmentForm

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def pngs(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"照片{number}.png", PNG, content_type="image/png") for number in range(count)]


class Sample(BootstrapFormMixin, forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    agreed = forms.BooleanField(required=False)
    mode = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"class": "font-monospace"}))


def css(form, name) -> str | None:
    return form.fields[name].widget.attrs.get("class")


def test_each_widget_gets_its_bootstrap_class_and_templates_lay_out_choice_lists():
    form = Sample()
    assert css(form, "name") == "form-control"
    assert css(form, "kind") == "form-select"
    assert css(form, "agreed") == "form-check-input"
    assert css(form, "mode") is None
    assert css(form, "token") is None
    assert css(form, "note") == "font-monospace form-control"


def test_styling_twice_changes_nothing_and_a_filter_bar_is_small():
    form = Sample()
    style_fields(form.fields)
    assert css(form, "name") == "form-control"
    small = forms.Form()
    small.fields = {"q": forms.CharField(), "tier": forms.ChoiceField(choices=[])}
    style_fields(small.fields, small=True)
    assert (css(small, "q"), css(small, "tier")) == ("form-control form-control-sm", "form-select form-select-sm")


def test_a_services_refusal_lands_on_its_field_and_marks_it_invalid():
    form = Sample(data={"name": "x", "kind": "a", "mode": "a", "note": "n"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "名称重复。", "elsewhere": "别的问题。"}))
    assert form.errors == {"name": ["名称重复。"], "__all__": ["别的问题。"]}
    assert css(form, "name") == "form-control is-invalid"
    assert css(form, "kind") == "form-select"


def test_the_limits_are_stated_once_beside_the_upload_check():
    assert (files.MAX_FILES_PER_ACTION, files.MAX_FILES_PER_VISIT) == (5, 10)
    assert MultipleFileField(max_files=3).required is False


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        (SubmitForm.base_fields["attachments"], files.MAX_FILES_PER_ACTION),
        (ResolveForm.base_fields["attachments"], files.MAX_FILES_PER_ACTION),
        (AttachmentForm.base_fields["files"], files.MAX_FILES_PER_ACTION),
        (VisitForm.base_fields["attachments"], files.MAX_FILES_PER_VISIT),
    ],
)
def test_each_upload_field_takes_up_to_its_limit_and_refuses_one_more(field, limit):
    assert len(field.clean(pngs(limit))) == limit
    with pytest.raises(ValidationError) as caught:
        field.clean(pngs(limit + 1))
    assert caught.value.messages == [f"一次最多上传 {limit} 个附件。"]


def test_a_bad_file_is_refused_by_the_field_naming_the_file():
    field = VisitForm.base_fields["attachments"]
    with pytest.raises(ValidationError) as caught:
        field.clean([*pngs(1), SimpleUploadedFile("工具.exe", b"MZ\x90\x00")])
    assert caught.value.messages == ["工具.exe：不支持的文件类型“.exe”，仅支持 JPG、PNG、PDF、DOCX、XLSX。"]


def test_the_visit_service_checks_the_same_limit_and_stores_nothing(cast):
    with pytest.raises(ValidationError) as caught:
        visit_create(
            officer=cast.officer_a,
            enterprise=cast.enterprise_a,
            findings="走访",
            attachments=pngs(files.MAX_FILES_PER_VISIT + 1),
        )
    assert caught.value.message_dict == {"attachments": ["一次最多上传 10 个附件。"]}
    assert not Visit.objects.exists()
