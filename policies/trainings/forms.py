from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    attendee_name = forms.CharField(
        label=_("参训人"),
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    attendee_phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1[3-9][0-9]{9}$",
        error_messages={"invalid": _("请输入 11 位手机号。")},
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}),
    )
