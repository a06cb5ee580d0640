"""Forms of the ledger pages: they validate input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.files import MAX_FILES_PER_ACTION
from common.forms import MultipleFileField, style_fields
from enterprises.registry.selectors import enterprises_visible
from grids.models import Bureau, JointTaskForce
from issues import policy
from issues.models import MAX_EXTENSION_DAYS, Category, Issue, Level, Rating, Severity, State
from issues.selectors import issues_visible, response_templates_for


def _text(label, *, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
    )


def _decision(label, *, yes, no):
    """A yes-or-no decision as two radio buttons, yes chosen first; cleans to a bool."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("1", yes), ("0", no)],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )


class ActionForm(forms.Form):
    """Base of the action forms: knows the issue and the user, carries the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, issue: Issue, user, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.user = user
        self.fields["version"].initial = issue.version
        style_fields(self.fields)

    prefix_name = "action"

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class AcceptForm(ActionForm):
    prefix_name = "accept"
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=Category.objects.order_by("code"))
    severity = forms.ChoiceField(label=_("问题等级"), choices=Severity.choices, initial=Severity.NORMAL)
    note = _text(_("受理意见"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = self.issue.category_id
        self.fields["severity"].initial = self.issue.severity


class RejectForm(ActionForm):
    prefix_name = "reject"
    reason = _text(_("不予立案理由"), help_text=_("企业将看到此理由。"))


class StartForm(ActionForm):
    prefix_name = "start"
    note = _text(_("签收说明"), required=False, rows=2)


class EscalateForm(ActionForm):
    prefix_name = "escalate"
    bureau = forms.ModelChoiceField(label=_("转交科室"), queryset=Bureau.objects.order_by("code"), required=False)
    task_force = forms.ModelChoiceField(
        label=_("联合服务专班"), queryset=JointTaskForce.objects.filter(is_active=True), required=False
    )
    reason = _text(_("升级理由"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.issue.level == Level.GRID:
            del self.fields["task_force"]
            self.fields["bureau"].required = True
            if self.issue.category_id:
                self.fields["bureau"].initial = self.issue.category.default_bureau_id
        else:
            del self.fields["bureau"]


class ReturnForm(ActionForm):
    prefix_name = "return"
    reason = _text(_("退回理由"))
    attachments = MultipleFileField(label=_("附件"), max_files=MAX_FILES_PER_ACTION)


class ExtendForm(ActionForm):
    prefix_name = "extend"
    days = forms.IntegerField(label=_("延期工作日数"), min_value=1, max_value=MAX_EXTENSION_DAYS, initial=3)
    reason = _text(_("延期理由"))


class DecideExtensionForm(ActionForm):
    prefix_name = "approve_extension"
    approve = _decision(_("审批结果"), yes=_("批准延期"), no=_("不予延期"))
    note = _text(_("审批意见"), required=False, rows=2, help_text=_("不予延期时必填。"))


class ResolveForm(ActionForm):
    prefix_name = "resolve"
    resolution = _text(_("办理结果"), rows=4, help_text=_("企业将看到办理结果。"))
    attachments = MultipleFileField(label=_("附件"), max_files=MAX_FILES_PER_ACTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = list(response_templates_for(category=self.issue.category))


class VerifyForm(ActionForm):
    prefix_name = "verify"
    passed = _decision(_("核查结果"), yes=_("核查通过，销号"), no=_("核查未通过，返工"))
    note = _text(_("核查说明"), required=False, rows=2, help_text=_("未通过时必填。"))


class FeedbackForm(ActionForm):
    prefix_name = "feedback"
    rating = forms.ChoiceField(label=_("您对办理结果是否满意"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = _text(_("意见建议"), required=False, rows=3, help_text=_("选择不满意时请说明原因，问题将重新办理。"))


class CloseForm(ActionForm):
    prefix_name = "close"
    note = _text(_("销号说明"), required=False, rows=2)


class MergeForm(ActionForm):
    prefix_name = "merge"
    into = forms.ModelChoiceField(label=_("合并至问题"), queryset=Issue.objects.none())
    reason = _text(_("合并说明"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            issues_visible(user=self.user)
            .filter(enterprise_id=self.issue.enterprise_id)
            .exclude(pk=self.issue.pk)
            .exclude(state__in=[State.MERGED, State.REJECTED, State.CLOSED])
            .order_by("-created_at")
        )
        self.fields["into"].label_from_instance = lambda issue: f"#{issue.pk} {issue.title}"


class CommentForm(ActionForm):
    prefix_name = "comment"
    body = _text(_("内容"), rows=3)
    internal = forms.BooleanField(
        label=_("内部备注（仅工作人员可见）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    attachments = MultipleFileField(label=_("附件"), max_files=MAX_FILES_PER_ACTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = []
        if self.user.role == Role.ENTERPRISE_USER:
            del self.fields["internal"]
        else:
            self.templates = list(response_templates_for(category=self.issue.category))

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["internal"] = bool(data.get("internal"))
        return data


# Action name → its form; the view calls the matching service.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    policy.ACCEPT: AcceptForm,
    policy.REJECT: RejectForm,
    policy.START: StartForm,
    policy.ESCALATE: EscalateForm,
    policy.RETURN: ReturnForm,
    policy.EXTEND: ExtendForm,
    policy.APPROVE_EXTENSION: DecideExtensionForm,
    policy.RESOLVE: ResolveForm,
    policy.VERIFY: VerifyForm,
    policy.FEEDBACK: FeedbackForm,
    policy.CLOSE: CloseForm,
    policy.MERGE: MergeForm,
    "comment": CommentForm,
}


class SubmitForm(forms.Form):
    """A new issue: an enterprise for its own company, zone staff for an enterprise in scope."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None)
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=Category.objects.order_by("code"), required=False, empty_label=_("不确定")
    )
    title = forms.CharField(label=_("问题标题"), max_length=120)
    description = _text(_("问题描述"), rows=5, help_text=_("请说明问题的具体情况、影响和希望得到的帮助。"))
    attachments = MultipleFileField(
        label=_("附件"),
        max_files=MAX_FILES_PER_ACTION,
        help_text=_("可上传 JPG、PNG、PDF、DOCX、XLSX，单个不超过 10 MB。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role == Role.ENTERPRISE_USER:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises_visible(user=user).order_by("name")
        style_fields(self.fields)


class MyIssuesFilterForm(forms.Form):
    """The filters of 我的诉求: where the issue stands and a word to look for."""

    state = forms.ChoiceField(
        label=_("办理状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("submitted", _("待受理")),
            ("open", _("办理中")),
            ("resolved", _("待评价")),
            ("closed", _("已销号")),
            ("rejected", _("不予立案或已合并")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "placeholder": _("标题或描述中的词")}),
    )
