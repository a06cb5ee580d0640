"""Admin of the policy library: clauses with their criteria and test cases are kept here.

Saving a clause here re-cuts the policy's search words and, for a published policy, re-runs
the matching after commit (the same follow-ups ``policies.services.clause_save`` does).
"""

from django.contrib import admin
from django.db import transaction

from common.admin import ReadOnlyHistoryAdmin
from policies import models
from policies.services import refresh_search_tokens


class ClauseInline(admin.StackedInline):
    model = models.PolicyClause
    extra = 0
    show_change_link = True


class CriterionInline(admin.TabularInline):
    model = models.ClauseCriterion
    extra = 0


class CaseInline(admin.TabularInline):
    model = models.CriterionCase
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = models.PolicyAttachment
    extra = 0
    readonly_fields = ["name", "size", "uploaded_by", "uploaded_at"]


def _after_clause_change(policy: models.Policy) -> None:
    refresh_search_tokens(policy)
    models.Policy.objects.filter(pk=policy.pk).update(search_tokens=policy.search_tokens)
    if policy.state == models.PolicyState.PUBLISHED:
        from policies.tasks import evaluate_policy

        policy_id = policy.pk
        transaction.on_commit(lambda: evaluate_policy.delay(policy_id))


@admin.register(models.Policy)
class PolicyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "level", "issuing_body", "state", "effective_from"]
    list_filter = ["level", "state"]
    search_fields = ["title", "document_number", "search_tokens"]
    readonly_fields = ["state", "published_at", "expired_at", "version", "created_by"]
    inlines = [ClauseInline, AttachmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _after_clause_change(form.instance)


@admin.register(models.PolicyClause)
class PolicyClauseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["policy", "number", "title", "mode", "max_amount"]
    list_select_related = ["policy"]
    search_fields = ["title", "policy__title"]
    inlines = [CriterionInline, CaseInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _after_clause_change(form.instance.policy)


class WrittenByServicesAdmin(admin.ModelAdmin):
    """Rows only the services write (pushes with their receipts, matching results): every field is
    read-only here and none is added here; deleting one stays possible."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(models.PolicyPush)
class PolicyPushAdmin(WrittenByServicesAdmin):
    list_display = ["policy", "enterprise", "state", "pushed_at", "in_person"]
    list_filter = ["state", "in_person"]
    list_select_related = ["policy", "enterprise"]
    raw_id_fields = ["enterprise", "visit"]


@admin.register(models.EligibilityResult)
class EligibilityResultAdmin(WrittenByServicesAdmin):
    list_display = ["enterprise", "clause", "answer", "score", "evaluated_at"]
    list_filter = ["answer"]
    list_select_related = ["enterprise", "clause__policy"]


@admin.register(models.EnterpriseFact)
class EnterpriseFactAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "key", "value", "source", "recorded_at"]
    list_filter = ["key", "source"]
    raw_id_fields = ["enterprise"]
