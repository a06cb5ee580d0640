"""The roster upload form; the import itself is ``enterprises.roster.imports``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.excel import XLSX_CONTENT_TYPE
from common.forms import BootstrapFormMixin
from enterprises.roster.models import RosterImport


class RosterUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("名册文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        error_messages={"required": _("请选择要导入的 Excel 文件。")},
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=RosterImport.Mode.choices,
        initial=RosterImport.Mode.CREATE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
