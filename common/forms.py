"""Form pieces every app shares: the Bootstrap look of a form's widgets, a service's refusal shown
on the form, and a field taking several files (the limits live beside the upload check in
``common.files``)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from common.errors import TransitionError
from common.files import validate_uploads


def widget_class(widget: forms.Widget) -> str | None:
    """Bootstrap 5's class for ``widget``; None for the widgets a template lays out itself
    (hidden inputs, and radio and checkbox lists, whose options each need their own markup)."""
    if isinstance(widget, forms.HiddenInput | forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def style_fields(fields: Mapping[str, forms.Field], *, small: bool = False) -> None:
    """Give every widget of ``fields`` its Bootstrap class (``-sm`` sized for a filter bar).

    A widget given its Bootstrap class by hand keeps it; other classes it has are kept beside it.
    Running it twice changes nothing (a form adding fields after ``__init__`` runs it again).
    """
    for field in fields.values():
        css = widget_class(field.widget)
        if css is None:
            continue
        classes = field.widget.attrs.get("class", "").split()
        if css in classes:
            continue
        if small and css != "form-check-input":
            css = f"{css} {css}-sm"
        field.widget.attrs["class"] = " ".join([*classes, css])


def mark_invalid(form: forms.BaseForm) -> None:
    """Bootstrap's ``is-invalid`` on the widget of every field with an error."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            classes = widget.attrs.get("class", "").split()
            if "is-invalid" not in classes:
                widget.attrs["class"] = " ".join([*classes, "is-invalid"])


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: under its field when the form has that field,
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def add_refusal(form: forms.BaseForm, error: TransitionError) -> None:
    """Show a service's refusal (``common.errors``) on the form: under the field it names when the
    form has that field, above the form otherwise."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


class BootstrapFormMixin:
    """Bootstrap 5 classes on every widget, so templates render fields plainly, and
    ``is-invalid`` on the fields with errors, whether the form's own or a service's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def style_fields(self) -> None:
        style_fields(self.fields)

    def add_error(self, field: str | None, error: Any) -> None:
        # Every error passes here: the form's own cleaning and a service's refusal added by the view.
        super().add_error(field, error)
        mark_invalid(self)

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern), optional, at most ``max_files``
    of them, each checked by ``common.files.validate_upload``; the services check them again."""

    def __init__(self, *args, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        validate_uploads(cleaned, max_files=self.max_files)
        return cleaned
