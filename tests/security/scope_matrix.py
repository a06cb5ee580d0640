"""The generated scope matrix: every URL pattern × every role of DESIGN §1 (+ anonymous).

``run_matrix`` walks ``get_resolver()`` and, for each pattern, asks as each persona:

* **object URLs** (a ``pk``, ``token``, … in the pattern): the object *inside* the
  persona's scope answers 200 (or a redirect, a 403 for a role the page is not
  for, a 405 for a method the URL does not take), never a 404 or a 5xx; every
  object *outside* it answers, for every method the URL takes, exactly what an id
  that does not exist answers, and writes nothing to the database (every INSERT,
  UPDATE and DELETE the request issues is recorded); a nested URL also gets the
  persona's own parent with someone else's child;
* **URLs without an object** (lists, exports, reports, boards, forms): the page
  answers without a 5xx; an API list returns only rows of the persona's scope;
  an HTML page links to no object outside it; an export names none of them;
* **creates under a parent** (``CREATES``): a valid create POSTed under a parent
  outside the persona's scope answers what it answers under a parent that does not
  exist, and writes nothing;
* **ids in the query string** (``QUERY_REFS``, ``?enterprise=<id>``): an id outside
  the persona's scope answers what an id that does not exist answers, and the page
  does not name the object — it neither reveals nor accepts it;
* **anonymous**: the login redirect (pages) or 401 (API) on every URL not public.

Which objects are inside is decided by the apps' selectors (``KINDS``), never by
the view under test. Every pattern must be in ``URLS`` (how to fill its
arguments) or in ``EXEMPT`` (with the reason): an unmapped pattern fails the
matrix, so a new view cannot slip past it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# --- Which objects each persona may see (the oracle) --------------------------


def _kinds() -> dict[str, tuple[type, Callable]]:
    """kind → (model, visible(user) → queryset), each from the app's own selector."""
    from accounts.models import Notification, User
    from accounts.notifications import notifications_for
    from accounts.scoping import scope_for
    from analytics import selectors as analytics
    from analytics.models import TierSuggestion
    from common.audit import may_see_change_history
    from common.models import ExportJob
    from emergency import selectors as emergency
    from emergency.models import AffectedEnterprise, Incident
    from enterprises.models import (
        EmploymentRecord,
        Enterprise,
        FiguresSubmission,
        OperatingIndicator,
        Product,
        RosterImport,
        SupplyLink,
    )
    from enterprises.profile.submissions import figures_queue
    from enterprises.registry.selectors import enterprises_visible
    from enterprises.roster.selectors import roster_imports_visible
    from fieldwork import selectors as fieldwork
    from fieldwork.models import Visit, VisitAttachment, WeeklyTracking
    from grids import selectors as grids
    from grids.models import Bureau, District, GridTeam
    from issues import selectors as issues
    from issues.models import Attachment, Issue
    from platforms.financing import selectors as financing
    from platforms.financing.models import (
        Bank,
        CreditLine,
        FinancingNeed,
        Loan,
        LoanExtension,
        MatchmakingEvent,
        Referral,
    )
    from platforms.labour import selectors as labour
    from platforms.labour.models import LabourPosting, LabourProposal, Transfer
    from platforms.matching import ProposalState
    from platforms.procurement import policy as supply_chain_policy
    from platforms.procurement import selectors as procurement
    from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase
    from platforms.service_projects import selectors as service_projects
    from platforms.service_projects.models import ServiceProject
    from platforms.space import selectors as space
    from platforms.space.models import CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal
    from platforms.supply_chain import selectors as supply_chain
    from platforms.supply_chain.models import Recommendation
    from policies import selectors as policies
    from policies.funding import selectors as funding
    from policies.funding.models import FundingApplication
    from policies.models import EligibilityResult, EnterpriseFact, Policy, PolicyAttachment, PolicyClause, PolicyPush
    from policies.trainings import selectors as trainings
    from policies.trainings.models import Registration, TrainingSession

    def profile_enterprises(user):
        return enterprises_visible(user=user) if scope_for(user).sees_full_profile else Enterprise.objects.none()

    def history_enterprises(user):
        return profile_enterprises(user) if may_see_change_history(user) else Enterprise.objects.none()

    def of_enterprises(model, path="enterprise"):
        return lambda user: model.objects.filter(**{f"{path}__in": profile_enterprises(user).values("pk")})

    def suggestion_enterprises(user):
        condition = supply_chain_policy.enterprise_condition(scope_for(user), "pk")
        return Enterprise.objects.all() if condition is None else Enterprise.objects.filter(condition)

    def affected(user):
        rows = AffectedEnterprise.objects.none()
        for incident in emergency.incidents_visible(user=user):
            rows |= emergency.affected_visible(user=user, incident=incident)
        return rows

    return {
        "notification": (Notification, lambda user: notifications_for(user=user)),
        "roster_import": (RosterImport, lambda user: roster_imports_visible(user=user)),
        # An export job is its requester's alone, whatever anyone's role (common/export_jobs.py).
        "export_job": (ExportJob, lambda user: ExportJob.objects.filter(requested_by=user)),
        "district": (District, lambda user: grids.district_list(user=user)),
        "dashboard_district": (District, lambda user: analytics.dashboard_districts(user=user)),
        "dashboard_grid": (GridTeam, lambda user: analytics.dashboard_grids(user=user)),
        "dashboard_officer": (
            User,
            lambda user: User.objects.filter(
                Q(grid_teams__in=analytics.dashboard_grids(user=user))
                | Q(led_grid_teams__in=analytics.dashboard_grids(user=user))
            ),
            User.objects.filter(Q(grid_teams__isnull=False) | Q(led_grid_teams__isnull=False)).distinct(),
        ),
        "figures_submission": (FiguresSubmission, lambda user: figures_queue(user=user)),
        "grid": (GridTeam, lambda user: grids.grid_team_choices(user=user)),
        "bureau": (Bureau, lambda user: grids.bureau_list(user=user)),
        "enterprise": (Enterprise, lambda user: enterprises_visible(user=user)),
        "profile_enterprise": (Enterprise, profile_enterprises),
        "history_enterprise": (Enterprise, history_enterprises),
        "suggestion_enterprise": (Enterprise, suggestion_enterprises),
        "fieldwork_enterprise": (Enterprise, lambda user: fieldwork.fieldwork_enterprises(user=user)),
        "loggable_enterprise": (Enterprise, lambda user: fieldwork.loggable_enterprises(user=user)),
        "financing_enterprise": (Enterprise, lambda user: financing.enterprises_in_scope(user=user)),
        "recordable_financing_enterprise": (Enterprise, lambda user: financing.recordable_enterprises(user=user)),
        "service_enterprise": (Enterprise, lambda user: service_projects.recordable_enterprises(user=user)),
        "product": (Product, of_enterprises(Product)),
        "supply_link": (
            SupplyLink,
            lambda user: SupplyLink.objects.filter(supplier__isnull=False).filter(
                Q(supplier__in=profile_enterprises(user).values("pk"))
                | Q(customer__in=profile_enterprises(user).values("pk"))
            ),
            SupplyLink.objects.filter(supplier__isnull=False),
        ),
        "employment": (EmploymentRecord, of_enterprises(EmploymentRecord)),
        "indicator": (OperatingIndicator, of_enterprises(OperatingIndicator)),
        "issue": (Issue, lambda user: issues.issues_visible(user=user)),
        "issue_attachment": (
            Attachment,
            lambda user: Attachment.objects.filter(issue__in=issues.issues_visible(user=user).values("pk")),
        ),
        "visit": (Visit, lambda user: fieldwork.visits_visible(user=user)),
        "visit_attachment": (
            VisitAttachment,
            lambda user: VisitAttachment.objects.filter(visit__in=fieldwork.visits_visible(user=user).values("pk")),
        ),
        "tracking": (WeeklyTracking, lambda user: fieldwork.trackings_visible(user=user)),
        "policy": (Policy, lambda user: policies.policies_visible(user=user)),
        "policy_attachment": (
            PolicyAttachment,
            lambda user: PolicyAttachment.objects.filter(policy__in=policies.policies_visible(user=user).values("pk")),
        ),
        "policy_clause": (
            PolicyClause,
            lambda user: PolicyClause.objects.filter(policy__in=policies.policies_visible(user=user).values("pk")),
        ),
        "push": (PolicyPush, lambda user: policies.pushes_visible(user=user)),
        "enterprise_fact": (
            EnterpriseFact,
            lambda user: EnterpriseFact.objects.filter(enterprise__in=enterprises_visible(user=user).values("pk")),
        ),
        "eligibility": (EligibilityResult, lambda user: policies.results_visible(user=user)),
        "funding": (FundingApplication, lambda user: funding.applications_visible(user=user)),
        "training": (TrainingSession, lambda user: trainings.sessions_visible(user=user)),
        "registration": (Registration, lambda user: trainings.registrations_visible(user=user)),
        "bank": (Bank, lambda user: financing.banks_visible(user=user)),
        "financing_event": (MatchmakingEvent, lambda user: financing.events_visible(user=user)),
        "financing_need": (FinancingNeed, lambda user: financing.needs_visible(user=user)),
        "referral": (Referral, lambda user: financing.referrals_visible(user=user)),
        "credit_line": (CreditLine, lambda user: financing.credit_lines_visible(user=user)),
        "loan": (Loan, lambda user: financing.loans_visible(user=user)),
        "loan_extension": (LoanExtension, lambda user: financing.extensions_visible(user=user)),
        "service_project": (ServiceProject, lambda user: service_projects.projects_visible(user=user)),
        "purchase_need": (PurchaseNeed, lambda user: procurement.needs_visible(user=user)),
        "editable_purchase_need": (PurchaseNeed, lambda user: procurement.needs_editable(user=user)),
        "purchase_proposal": (PurchaseProposal, lambda user: procurement.proposals_visible(user=user)),
        "deal": (Deal, lambda user: procurement.deals_visible(user=user)),
        "retooling": (RetoolingCase, lambda user: procurement.retooling_visible(user=user)),
        "labour_posting": (LabourPosting, lambda user: labour.postings_visible(user=user)),
        "labour_proposal": (LabourProposal, lambda user: labour.proposals_visible(user=user)),
        "agreed_labour_proposal": (
            LabourProposal,
            lambda user: labour.proposals_visible(user=user).filter(state=ProposalState.AGREED),
            LabourProposal.objects.filter(state=ProposalState.AGREED),
        ),
        "transfer": (Transfer, lambda user: labour.transfers_visible(user=user)),
        "recommendation": (Recommendation, lambda user: supply_chain.recommendations_visible(user=user)),
        "space_listing": (SpaceListing, lambda user: space.listings_visible(user=user)),
        "space_demand": (SpaceDemand, lambda user: space.demands_visible(user=user)),
        "space_proposal": (SpaceProposal, lambda user: space.proposals_visible(user=user)),
        "lease": (Lease, lambda user: space.leases_visible(user=user)),
        "custom_build": (CustomBuildCase, lambda user: space.custom_builds_visible(user=user)),
        "incident": (Incident, lambda user: emergency.incidents_visible(user=user)),
        "affected": (AffectedEnterprise, affected),
        "monthly_report": (
            __import__("analytics.models", fromlist=["MonthlyReport"]).MonthlyReport,
            lambda user: analytics.report_rows_visible(user=user),
        ),
        "tier_suggestion": (TierSuggestion, lambda user: analytics.suggestions_visible(user=user)),
    }


@dataclass(frozen=True)
class Obj:
    """A URL argument taken from an object of ``kind`` (its ``attr``; the pk by default)."""

    kind: str
    attr: str = "pk"


# --- Every URL pattern: how to fill its arguments -----------------------------
# name → {argument: Obj or a literal}. A pattern without arguments maps to {}.
# ``API_VIEWSETS`` fills the DRF routes by their viewset, so each of their
# actions is covered as soon as it is routed.

API_VIEWSETS: dict[str, str] = {
    "DistrictViewSet": "district",
    "GridTeamViewSet": "grid",
    "BureauViewSet": "bureau",
    "EnterpriseViewSet": "enterprise",
    "IssueViewSet": "issue",
    "VisitViewSet": "visit",
    "WeeklyTrackingViewSet": "tracking",
    "PolicyViewSet": "policy",
    "PolicyPushViewSet": "push",
    "EligibilityResultViewSet": "eligibility",
    "EnterpriseFactViewSet": "enterprise_fact",
    "FundingApplicationViewSet": "funding",
    "TrainingSessionViewSet": "training",
    "RegistrationViewSet": "registration",
    "BankViewSet": "bank",
    "EventViewSet": "financing_event",
    "NeedViewSet": "financing_need",
    "ReferralViewSet": "referral",
    "CreditLineViewSet": "credit_line",
    "LoanViewSet": "loan",
    "LoanExtensionViewSet": "loan_extension",
    "ServiceProjectViewSet": "service_project",
    "PurchaseNeedViewSet": "purchase_need",
    "PurchaseProposalViewSet": "purchase_proposal",
    "DealViewSet": "deal",
    "RetoolingCaseViewSet": "retooling",
    "LabourPostingViewSet": "labour_posting",
    "LabourProposalViewSet": "labour_proposal",
    "TransferViewSet": "transfer",
    "RecommendationViewSet": "recommendation",
    "SpaceListingViewSet": "space_listing",
    "SpaceDemandViewSet": "space_demand",
    "SpaceProposalViewSet": "space_proposal",
    "LeaseViewSet": "lease",
    "CustomBuildViewSet": "custom_build",
    "IncidentViewSet": "incident",
    "AffectedViewSet": "affected",
    "MonthlyReportViewSet": "monthly_report",
}

URLS: dict[str, dict] = {
    # accounts
    "notifications": {},
    "notification_open": {"pk": Obj("notification")},
    "notifications_mark_read": {},
    "password_change": {},
    # API outside the routers
    "api-root": {},
    "api-notifications": {},
    "api-notifications-read": {},
    "api-visit-attachment": {"pk": Obj("visit_attachment", "visit_id"), "attachment_id": Obj("visit_attachment")},
    "incident-enterprise-list": {"incident_pk": Obj("incident")},
    "incident-enterprise-detail": {"incident_pk": Obj("affected", "incident_id"), "pk": Obj("affected")},
    "incident-enterprise-acknowledge": {"incident_pk": Obj("affected", "incident_id"), "pk": Obj("affected")},
    "incident-enterprise-entries": {"incident_pk": Obj("affected", "incident_id"), "pk": Obj("affected")},
    "api-enterprise-products": {"enterprise_id": Obj("profile_enterprise")},
    "api-enterprise-product": {"enterprise_id": Obj("product", "enterprise_id"), "pk": Obj("product")},
    "api-enterprise-supply-links": {"enterprise_id": Obj("profile_enterprise")},
    "api-enterprise-supply-link": {"enterprise_id": Obj("supply_link", "supplier_id"), "pk": Obj("supply_link")},
    "api-enterprise-employment": {"enterprise_id": Obj("profile_enterprise")},
    "api-enterprise-employment-month": {"enterprise_id": Obj("employment", "enterprise_id"), "pk": Obj("employment")},
    "api-enterprise-indicators": {"enterprise_id": Obj("profile_enterprise")},
    "api-enterprise-indicator": {"enterprise_id": Obj("indicator", "enterprise_id"), "pk": Obj("indicator")},
    # grids, enterprises
    "grids:list": {},
    "grids:detail": {"pk": Obj("grid")},
    "grids:options": {},
    "enterprises:list": {},
    "enterprises:detail": {"pk": Obj("enterprise")},
    "enterprises:my_enterprise": {},
    "enterprises:board_rotate": {"pk": Obj("enterprise")},
    "enterprises:profile_basic": {"pk": Obj("enterprise")},
    "enterprises:profile_basic_edit": {"pk": Obj("enterprise")},
    "enterprises:profile_products": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_product_add": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_product_edit": {"pk": Obj("product", "enterprise_id"), "item": Obj("product")},
    "enterprises:profile_product_delete": {"pk": Obj("product", "enterprise_id"), "item": Obj("product")},
    "enterprises:profile_supply": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_supply_add": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_partner_search": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_supply_edit": {"pk": Obj("supply_link", "supplier_id"), "item": Obj("supply_link")},
    "enterprises:profile_supply_delete": {"pk": Obj("supply_link", "supplier_id"), "item": Obj("supply_link")},
    "enterprises:profile_employment": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_employment_save": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_employment_delete": {"pk": Obj("employment", "enterprise_id"), "item": Obj("employment")},
    "enterprises:profile_indicators": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_indicators_save": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_indicators_delete": {"pk": Obj("indicator", "enterprise_id"), "item": Obj("indicator")},
    "enterprises:profile_tier": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_tier_change": {"pk": Obj("profile_enterprise")},
    "enterprises:profile_history": {"pk": Obj("history_enterprise")},
    "enterprises:roster": {},
    "enterprises:figures_mine": {},
    "enterprises:figures_queue": {},
    "enterprises:figures_confirm": {"pk": Obj("figures_submission")},
    "enterprises:figures_reject": {"pk": Obj("figures_submission")},
    "enterprises:roster_template": {},
    "enterprises:roster_export": {},
    "enterprises:roster_import": {"job_id": Obj("roster_import")},
    "enterprises:roster_import_status": {"job_id": Obj("roster_import")},
    # export jobs (common/export_jobs.py): the export URLs above start one (POST)
    "common:export_job": {"job_id": Obj("export_job")},
    "common:export_job_status": {"job_id": Obj("export_job")},
    "common:export_download": {"job_id": Obj("export_job")},
    # issues
    "issues:ledger": {},
    "issues:export": {},
    "issues:print": {},
    "issues:enterprise_issues": {"pk": Obj("profile_enterprise")},
    "issues:workbench": {},
    "issues:my_list": {},
    "issues:new": {},
    "issues:detail": {"pk": Obj("issue")},
    "issues:act": {"pk": Obj("issue"), "action": "accept"},
    "issues:attachment": {"pk": Obj("issue_attachment")},
    # fieldwork
    "fieldwork:officer_home": {},
    "fieldwork:enterprise_search": {},
    "fieldwork:visit_create": {"enterprise_pk": Obj("loggable_enterprise")},
    "fieldwork:tracking_record": {"enterprise_pk": Obj("loggable_enterprise")},
    "fieldwork:enterprise_timeline": {"pk": Obj("fieldwork_enterprise")},
    "fieldwork:visit_by_token": {"token": Obj("loggable_enterprise", "board_token")},
    "fieldwork:visit_list": {},
    "fieldwork:visit_export": {},
    "fieldwork:visit_detail": {"pk": Obj("visit")},
    "fieldwork:attachment_download": {"pk": Obj("visit_attachment")},
    "fieldwork:tracking_list": {},
    "fieldwork:tracking_export": {},
    # policies
    "policies:library": {},
    "policies:new": {},
    "policies:mine": {},
    "policies:booklet": {},
    "policies:detail": {"pk": Obj("policy")},
    "policies:edit": {"pk": Obj("policy")},
    "policies:clause_new": {"pk": Obj("policy")},
    "policies:clause_edit": {"pk": Obj("policy_clause", "policy_id"), "clause_pk": Obj("policy_clause")},
    "policies:publish": {"pk": Obj("policy")},
    "policies:expire": {"pk": Obj("policy")},
    "policies:attach": {"pk": Obj("policy")},
    "policies:push": {"pk": Obj("policy")},
    "policies:attachment": {"pk": Obj("policy_attachment")},
    "policies:push_detail": {"pk": Obj("push")},
    "policies:push_acknowledge": {"pk": Obj("push")},
    "policies:push_explain": {"pk": Obj("push")},
    "policies:fact_record": {"enterprise_pk": Obj("enterprise")},
    "funding:list": {},
    "funding:queue": {},
    "funding:mine": {},
    "funding:new": {},
    "funding:detail": {"pk": Obj("funding")},
    "funding:act": {"pk": Obj("funding"), "action": "review"},
    "trainings:list": {},
    "trainings:detail": {"pk": Obj("training")},
    "trainings:register": {"pk": Obj("training")},
    "trainings:door": {"pk": Obj("training")},
    "trainings:checkin": {"token": Obj("training", "checkin_token")},
    "trainings:cancel": {"pk": Obj("registration")},
    "trainings:door_check_in": {"pk": Obj("registration")},
    # platforms
    "financing:event_list": {},
    "financing:event_detail": {"pk": Obj("financing_event")},
    "financing:need_list": {},
    "financing:need_detail": {"pk": Obj("financing_need")},
    "financing:board": {},
    "financing:referral_step": {"pk": Obj("referral"), "action": "visit"},
    "financing:mine": {},
    "financing:enterprise": {"pk": Obj("financing_enterprise")},
    "financing:need_create": {"enterprise_pk": Obj("recordable_financing_enterprise")},
    "financing:credit_line_create": {"enterprise_pk": Obj("recordable_financing_enterprise")},
    "financing:loan_create": {"enterprise_pk": Obj("recordable_financing_enterprise")},
    "financing:extension_create": {"loan_pk": Obj("loan")},
    "service_projects:list": {},
    "service_projects:pick": {},
    "service_projects:create": {"enterprise_pk": Obj("service_enterprise")},
    "service_projects:edit": {"pk": Obj("service_project")},
    "procurement:need_list": {},
    "procurement:my_needs": {},
    "procurement:need_create": {},
    "procurement:need_detail": {"pk": Obj("purchase_need")},
    "procurement:need_edit": {"pk": Obj("editable_purchase_need")},
    "procurement:deal_from_proposal": {"pk": Obj("purchase_proposal")},
    "procurement:proposal_act": {"pk": Obj("purchase_proposal"), "action": "contact"},
    "procurement:deal_list": {},
    "procurement:totals": {},
    "procurement:retooling_list": {},
    "procurement:retooling_create": {},
    "procurement:retooling_detail": {"pk": Obj("retooling")},
    "labour:posting_list": {},
    "labour:my_postings": {},
    "labour:posting_create": {},
    "labour:posting_detail": {"pk": Obj("labour_posting")},
    "labour:posting_edit": {"pk": Obj("labour_posting")},
    "labour:posting_close": {"pk": Obj("labour_posting")},
    "labour:transfer_create": {"proposal_pk": Obj("agreed_labour_proposal")},
    "labour:proposal_action": {"pk": Obj("labour_proposal"), "action": "contact"},
    "labour:transfer_list": {},
    "supply_chain:recommendation_list": {},
    "supply_chain:recommendation_create": {},
    "supply_chain:recommendation_detail": {"pk": Obj("recommendation")},
    "supply_chain:suggestion_home": {},
    "supply_chain:suggestions": {"pk": Obj("suggestion_enterprise")},
    "supply_chain:suggestion_confirm": {"pk": Obj("suggestion_enterprise")},
    "space:listing_list": {},
    "space:listing_create": {},
    "space:listing_detail": {"pk": Obj("space_listing")},
    "space:listing_edit": {"pk": Obj("space_listing")},
    "space:demand_list": {},
    "space:demand_create": {},
    "space:demand_detail": {"pk": Obj("space_demand")},
    "space:close": {"what": "demands", "pk": Obj("space_demand")},
    "space:lease_create": {"proposal_pk": Obj("space_proposal")},
    "space:proposal_action": {"pk": Obj("space_proposal"), "action": "contact"},
    "space:lease_list": {},
    "space:custom_build_list": {},
    "space:custom_build_new": {},
    "space:custom_build_step": {"pk": Obj("custom_build")},
    # emergency
    "emergency:list": {},
    "emergency:declare": {},
    "emergency:board": {"pk": Obj("incident")},
    "emergency:timeline": {"pk": Obj("incident")},
    "emergency:close": {"pk": Obj("incident")},
    "emergency:acknowledge": {"pk": Obj("incident")},
    "emergency:row": {"pk": Obj("affected", "incident_id"), "row": Obj("affected")},
    "emergency:call": {"pk": Obj("affected", "incident_id"), "row": Obj("affected")},
    "emergency:relief": {"pk": Obj("affected", "incident_id"), "row": Obj("affected")},
    # analytics
    "analytics:zone_dashboard": {},
    "analytics:district_dashboard": {},
    "analytics:district_detail": {"pk": Obj("dashboard_district")},
    "analytics:grid_detail": {"pk": Obj("dashboard_grid")},
    "analytics:officer_detail": {"pk": Obj("dashboard_officer")},
    "analytics:report_download": {},
    "analytics:weekly": {},
    "analytics:suggestions": {},
    "analytics:suggestion_decide": {"pk": Obj("tier_suggestion"), "decision": "dismiss"},
    # the rest
    "home": {},
}

# Patterns the matrix does not request, each with the reason (nothing else may be skipped).
EXEMPT: dict[str, str] = {
    "admin:*": "Django admin: staff only by Django's own permission checks, tested in "
    "tests/security/test_admin_privileges.py and tests/pages/test_admin.py; it is not scoped by role.",
    "set_language": "i18n/setlang/: public by design (anonymous visitors choose the language); no object.",
    "login": "the sign-in page is public by design; its throttling is tested in test_signin_lockout.py.",
    "logout": "signing out: no object and nothing to scope; tested in test_sessions.py.",
    "healthz": "public health probe by design (DESIGN §5); reports no business data.",
    "api-token": "the token endpoint is public by design (it is how one signs in); "
    "tested in test_auth.py and test_signin_lockout.py.",
    "api-schema": "the OpenAPI document describes the API, no data; public so clients can be generated.",
    "api-docs": "Swagger UI: static documentation of the schema, no data.",
    "api-redoc": "ReDoc: static documentation of the schema, no data.",
    "api-not-found": "the API's catch-all 404 for unknown paths: answers 404 to everyone, holds no data.",
    "enterprises:board": "the public notice board (DESIGN §1, anonymous row): public by its unguessable token, "
    "which is the scope; an unknown or rotated token answers 404 (test_board.py, test_board_tokens.py).",
    "service_worker": "sw.js: the public static script of the offline visit queue (fieldwork/offline.py); it "
    "lists hashed static asset names only, no data, and a browser fetches it before anyone signs in.",
    "emergency:ack": "the acknowledgement link sent by SMS is public by its unguessable token, which is the "
    "scope; an unknown token answers 404 (tests/emergency/test_notices.py).",
}

# Patterns anonymous visitors may open: everything in EXEMPT plus these.
PUBLIC: dict[str, str] = {}

# Tables a refused request may write to without changing anything of the zone's data.
BOOKKEEPING_TABLES = frozenset({"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"})

MISSING_INT = 987654321
MISSING_TOKEN = "no-such-token-00000000000000000000"

# --- Walking the URL patterns ------------------------------------------------


@dataclass
class Pattern:
    name: str  # namespaced name ("issues:detail")
    route: str  # the route as written, for messages
    callback: Callable
    arguments: tuple[str, ...]
    is_api: bool
    converters: dict[str, str] = field(default_factory=dict)


def walk(urlconf=None) -> list[Pattern]:
    patterns: list[Pattern] = []

    def visit(resolver, prefix: str, namespace: str | None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                space = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                visit(entry, prefix + str(entry.pattern), space)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or route)
                regex = entry.pattern.regex
                arguments = tuple(regex.groupindex)
                converters = {
                    key: type(conv).__name__ for key, conv in getattr(entry.pattern, "converters", {}).items()
                }
                patterns.append(
                    Pattern(name, route, entry.callback, arguments, route.startswith(("api/", "^api/")), converters)
                )

    visit(get_resolver(urlconf), "", None)
    return patterns


def spec_for(pattern: Pattern, urls: dict[str, dict]) -> dict | None:
    if pattern.name in urls:
        return urls[pattern.name]
    cls = getattr(pattern.callback, "cls", None)
    if cls is not None and cls.__name__ in API_VIEWSETS and getattr(pattern.callback, "actions", None):
        kind = API_VIEWSETS[cls.__name__]
        spec = {}
        for argument in pattern.arguments:
            if argument == "pk":
                spec["pk"] = Obj(kind)
            elif argument == "incident_pk":
                spec["incident_pk"] = Obj(kind, "incident_id")
            elif argument == "attachment_id":
                return None
        return spec
    return None


def exemption(pattern: Pattern, exempt: dict[str, str]) -> str | None:
    if pattern.name in exempt:
        return exempt[pattern.name]
    space = pattern.name.split(":", 1)[0]
    return exempt.get(f"{space}:*") if ":" in pattern.name else None


def methods_of(pattern: Pattern) -> list[str]:
    """The methods to try: a viewset's own, an API view's own, else GET and POST."""
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return sorted(method.upper() for method in actions)
    cls = getattr(pattern.callback, "cls", None)
    if cls is not None:
        return sorted(m.upper() for m in cls.http_method_names if hasattr(cls, m) and m not in ("options", "head"))
    return ["GET", "POST"]


# --- Requests, recorded ------------------------------------------------------

WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteRecorder:
    """Every table a request INSERTs into, UPDATEs or DELETEs FROM."""

    def __init__(self):
        self.tables: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE_SQL.match(sql)
        if match:
            self.tables.append(match.group(2))
        return execute(sql, params, many, context)


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    content_type: str
    writes: list[str]


def ask(client: Client, method: str, url: str, body: dict | None = None, *, as_json: bool = False) -> Answer:
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        if body is not None:
            if as_json:
                response = getattr(client, method.lower())(url, data=body, content_type="application/json")
            else:
                response = getattr(client, method.lower())(url, data=body)
        elif method in ("PUT", "PATCH"):
            response = getattr(client, method.lower())(url, data="{}", content_type="application/json")
        else:
            response = getattr(client, method.lower())(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    writes = [table for table in recorder.tables if table not in BOOKKEEPING_TABLES]
    return Answer(response.status_code, response.get("Location", ""), body, response.get("Content-Type", ""), writes)


# --- The matrix --------------------------------------------------------------


@dataclass
class Result:
    cases: int = 0  # URL × role pairs checked
    requests: int = 0
    inside: int = 0  # object URLs opened on an object inside the scope
    outside: int = 0  # object URLs asked (every method) for an object outside it
    pages: int = 0  # lists, pages and exports read for rows outside the scope
    creates: int = 0  # creates POSTed under a parent outside the scope
    references: int = 0  # ids outside the scope put in a query string
    failures: list[str] = field(default_factory=list)

    def fail(self, pattern: Pattern, role: str, message: str) -> None:
        self.failures.append(f"{pattern.name} [{pattern.route}] as {role}: {message}")


class Matrix:
    def __init__(
        self,
        personas: dict,
        urls=None,
        exempt=None,
        urlconf=None,
        login_url="/accounts/login/",
        creates=None,
        query_refs=None,
    ):
        self.personas = personas  # role → user (None for anonymous)
        self.urls = URLS if urls is None else urls
        self.creates = CREATES if creates is None else creates
        self.query_refs = QUERY_REFS if query_refs is None else query_refs
        self.exempt = EXEMPT if exempt is None else exempt
        self.urlconf = urlconf
        self.login_url = login_url
        self.kinds = _kinds()
        self._visible: dict[tuple[str, str], QuerySet] = {}
        self._samples: dict[tuple[str, str, str], object] = {}
        self._clients: dict[str, Client] = {}

    # objects --------------------------------------------------------------

    def visible(self, role: str, kind: str):
        key = (role, kind)
        if key not in self._visible:
            selector = self.kinds[kind][1]
            user = self.personas[role]
            self._visible[key] = set(selector(user).values_list("pk", flat=True))
        return self._visible[key]

    def universe(self, kind: str) -> QuerySet:
        entry = self.kinds[kind]
        return entry[2] if len(entry) > 2 else entry[0].objects.all()

    def sample(self, role: str, kind: str, inside: bool):
        key = (role, kind, "in" if inside else "out")
        if key not in self._samples:
            ids = self.visible(role, kind)
            universe = self.universe(kind)
            qs = universe.filter(pk__in=ids) if inside else universe.exclude(pk__in=ids)
            self._samples[key] = qs.order_by("pk").first()
        return self._samples[key]

    def _url(self, pattern: Pattern, values: dict) -> str:
        from django.urls import reverse

        return reverse(pattern.name, kwargs=values, urlconf=self.urlconf)

    def _fill(self, pattern: Pattern, spec: dict, obj, parent=None) -> dict:
        values = {}
        for argument, source in spec.items():
            if isinstance(source, Obj):
                holder = parent if (parent is not None and source.attr != "pk") else obj
                values[argument] = getattr(holder, source.attr)
            else:
                values[argument] = source
        return values

    def _missing(self, pattern: Pattern, spec: dict) -> dict:
        values = {}
        for argument, source in spec.items():
            if isinstance(source, Obj):
                converter = pattern.converters.get(argument, "")
                if converter in ("IntConverter",) or source.attr.endswith(("pk", "_id")) or argument.endswith("pk"):
                    values[argument] = MISSING_INT
                else:
                    values[argument] = MISSING_TOKEN
            else:
                values[argument] = source
        return values

    # checks ---------------------------------------------------------------

    def run(self, roles, only: set[str] | None = None) -> Result:
        """Check ``roles`` on every pattern (or on the patterns named in ``only``)."""
        result = Result()
        patterns = walk(self.urlconf)
        for pattern in patterns:
            if only is not None and pattern.name not in only:
                continue
            if exemption(pattern, self.exempt):
                continue
            spec = spec_for(pattern, self.urls)
            if spec is None:
                result.fail(
                    pattern, "-", "unmapped URL: add it to the matrix (URLS) or exempt it with a reason (EXEMPT)"
                )
                continue
            for role in roles:
                result.cases += 1
                if self.personas[role] is None:
                    self._anonymous(result, pattern, spec)
                    continue
                elif any(isinstance(source, Obj) for source in spec.values()):
                    self._object_url(result, pattern, spec, role)
                else:
                    self._plain_url(result, pattern, role)
                if pattern.name in self.creates:
                    self._create_under_outside_parent(result, pattern, spec, role)
                if pattern.name in self.query_refs:
                    self._query_references(result, pattern, spec, role)
        return result

    def _client(self, role: str) -> Client:
        if role not in self._clients:
            client = Client()
            if self.personas[role] is not None:
                client.force_login(self.personas[role])
            self._clients[role] = client
        return self._clients[role]

    def _anonymous(self, result: Result, pattern: Pattern, spec: dict) -> None:
        client = Client()
        values = self._missing(pattern, spec)
        # An existing object, where there is one, so that the refusal is not merely a 404.
        objects = {source.kind for source in spec.values() if isinstance(source, Obj)}
        if objects:
            kind = next(iter(objects))
            obj = self.universe(kind).order_by("pk").first()
            if obj is not None:
                values = self._fill(pattern, spec, obj)
        url = self._url(pattern, values)
        for method in methods_of(pattern):
            answer = ask(client, method, url)
            result.requests += 1
            if pattern.is_api:
                if answer.status != 401:
                    result.fail(pattern, "anonymous", f"{method} {url} answered {answer.status}, not 401")
            elif not (answer.status == 302 and answer.location.startswith(self.login_url)):
                result.fail(
                    pattern,
                    "anonymous",
                    f"{method} {url} answered {answer.status} {answer.location!r}, not the login redirect",
                )
            if answer.writes:
                result.fail(pattern, "anonymous", f"{method} {url} wrote to {sorted(set(answer.writes))}")

    def _object_url(self, result: Result, pattern: Pattern, spec: dict, role: str) -> None:
        client = self._client(role)
        kind = next(source.kind for source in spec.values() if isinstance(source, Obj))
        methods = methods_of(pattern)
        missing_url = self._url(pattern, self._missing(pattern, spec))
        missing = {}
        for method in methods:
            missing[method] = ask(client, method, missing_url)
            result.requests += 1
            if missing[method].status >= 500:
                result.fail(pattern, role, f"{method} {missing_url} answered {missing[method].status}")
        inside = self.sample(role, kind, inside=True)
        outside = self.sample(role, kind, inside=False)
        if inside is not None and "GET" in methods:
            url = self._url(pattern, self._fill(pattern, spec, inside))
            answer = ask(client, "GET", url)
            result.requests += 1
            result.inside += 1
            allowed_404 = INSIDE_404.get(pattern.name, ((), ""))[0]
            if (
                answer.status not in (200, 302, 403, 405)
                and not (answer.status == 404 and role in allowed_404)
                or (answer.status == 302 and answer.location.startswith(self.login_url))
            ):
                result.fail(pattern, role, f"GET {url} (inside the scope) answered {answer.status}")
            if answer.status == 200:
                for problem in self.leaks(pattern, role, answer):
                    result.fail(pattern, role, f"GET {url}: {problem}")
        if outside is None:
            return
        candidates = [("outside", self._fill(pattern, spec, outside), missing)]
        nested = any(isinstance(s, Obj) and s.attr != "pk" for s in spec.values())
        if nested and inside is not None:
            # The persona's own parent with someone else's child answers what its own
            # parent with a child that does not exist answers.
            mixed = self._fill(pattern, spec, outside, parent=inside)
            own_missing_url = self._url(pattern, self._fill(pattern, spec, _Missing(), parent=inside))
            own_missing = {}
            for method in methods:
                own_missing[method] = ask(client, method, own_missing_url)
                result.requests += 1
            candidates.append(("own parent, outside child", mixed, own_missing))
        result.outside += 1
        for label, values, expected in candidates:
            url = self._url(pattern, values)
            for method in methods:
                answer = ask(client, method, url)
                result.requests += 1
                if answer.status != expected[method].status:
                    result.fail(
                        pattern,
                        role,
                        f"{method} {url} ({label}) answered {answer.status}, "
                        f"an id that does not exist answers {expected[method].status}",
                    )
                if answer.writes:
                    result.fail(pattern, role, f"{method} {url} ({label}) wrote to {sorted(set(answer.writes))}")

    def _create_under_outside_parent(self, result: Result, pattern: Pattern, spec: dict, role: str) -> None:
        """A valid create under a parent outside the scope: the answer to a parent that does not exist, no write."""
        kind = next(source.kind for source in spec.values() if isinstance(source, Obj))
        outside = self.sample(role, kind, inside=False)
        if outside is None:
            return
        client = self._client(role)
        body = self.creates[pattern.name](outside)
        missing_url = self._url(pattern, self._missing(pattern, spec))
        url = self._url(pattern, self._fill(pattern, spec, outside))
        expected = ask(client, "POST", missing_url, body, as_json=pattern.is_api)
        answer = ask(client, "POST", url, body, as_json=pattern.is_api)
        result.requests += 2
        result.creates += 1
        if answer.status != expected.status:
            result.fail(
                pattern,
                role,
                f"POST {url} (a create under an outside parent) answered {answer.status}, "
                f"a parent that does not exist answers {expected.status}",
            )
        if answer.writes:
            result.fail(
                pattern, role, f"POST {url} (a create under an outside parent) wrote to {sorted(set(answer.writes))}"
            )

    def _query_references(self, result: Result, pattern: Pattern, spec: dict, role: str) -> None:
        """``?<param>=<id>`` of an object outside the scope: the answer to an id that does not exist, unnamed."""
        client = self._client(role)
        objects = [source for source in spec.values() if isinstance(source, Obj)]
        if objects:
            inside = self.sample(role, objects[0].kind, inside=True)
            if inside is None:
                return
            base = self._url(pattern, self._fill(pattern, spec, inside))
        else:
            base = self._url(pattern, {})
        for param, kind in self.query_refs[pattern.name].items():
            outside = self.sample(role, kind, inside=False)
            if outside is None:
                continue
            expected = ask(client, "GET", f"{base}?{param}={MISSING_INT}")
            url = f"{base}?{param}={outside.pk}"
            answer = ask(client, "GET", url)
            result.requests += 2
            result.references += 1
            if answer.status != expected.status:
                result.fail(
                    pattern,
                    role,
                    f"GET {url} (an outside {kind} in the query) answered {answer.status}, "
                    f"an id that does not exist answers {expected.status}",
                )
            name = str(outside)
            if answer.status == 200 and name and name.encode() in answer.body:
                result.fail(pattern, role, f"GET {url} names the outside {kind} {name!r}")
            if get_writes_refused(pattern.name, answer.writes):
                result.fail(pattern, role, f"GET {url} wrote to {get_writes_refused(pattern.name, answer.writes)}")

    def _plain_url(self, result: Result, pattern: Pattern, role: str) -> None:
        client = self._client(role)
        url = self._url(pattern, {})
        if "GET" not in methods_of(pattern):
            return
        answer = ask(client, "GET", url)
        result.requests += 1
        if answer.status >= 500:
            result.fail(pattern, role, f"GET {url} answered {answer.status}")
            return
        if get_writes_refused(pattern.name, answer.writes):
            result.fail(pattern, role, f"GET {url} wrote to {get_writes_refused(pattern.name, answer.writes)}")
        if answer.status != 200:
            return
        result.pages += 1
        for problem in self.leaks(pattern, role, answer):
            result.fail(pattern, role, problem)

    # what a list or an export shows -----------------------------------------

    def leaks(self, pattern: Pattern, role: str, answer: Answer) -> list[str]:
        problems = []
        if answer.content_type.startswith("application/json"):
            cls = getattr(pattern.callback, "cls", None)
            actions = getattr(pattern.callback, "actions", None) or {}
            is_list = actions.get("get") == "list"
            kind = API_VIEWSETS.get(cls.__name__) if cls is not None and is_list else None
            payload = _json(answer.body)
            if kind and isinstance(payload, dict) and isinstance(payload.get("results"), list):
                shown = {row.get("id") for row in payload["results"] if isinstance(row, dict)}
                shown.discard(None)
                if kind == "monthly_report":
                    return problems
                stray = shown - self.visible(role, kind)
                if stray:
                    problems.append(f"the list shows {kind} rows outside the scope: {sorted(stray)[:5]}")
            return problems
        if answer.content_type.startswith("text/html"):
            for href in set(re.findall(rb'href="(/[^"?#]*)', answer.body)):
                problems += self._link_leak(role, href.decode())
            return problems
        if "spreadsheetml" in answer.content_type:
            text = None
            for kind, marker in EXPORT_MARKERS.get(pattern.name, ()):
                if marker.startswith("#"):
                    stray = _column_values(answer.body, marker[1:]) - self.visible(role, kind)
                    if stray:
                        problems.append(f"the export lists {kind} rows outside the scope: {sorted(stray)[:5]}")
                    continue
                text = _xlsx_text(answer.body) if text is None else text
                outside = self.universe(kind).exclude(pk__in=self.visible(role, kind))
                for value in outside.values_list(marker, flat=True):
                    if value and str(value) in text:
                        problems.append(f"the export names {kind} {marker}={value} outside the scope")
                        break
        return problems

    def _link_leak(self, role: str, href: str) -> list[str]:
        try:
            match = resolve(href, urlconf=self.urlconf)
        except Resolver404:
            return []
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        spec = self.urls.get(name)
        if not spec or name in LINKS_NOT_CHECKED:
            return []
        problems = []
        for argument, source in spec.items():
            if isinstance(source, Obj) and source.attr == "pk" and argument in match.kwargs:
                value = match.kwargs[argument]
                if isinstance(value, int) and value not in self.visible(role, source.kind):
                    problems.append(f"links to {href}: {source.kind} {value} is outside the scope")
        return problems


STAFF = ("admin", "manager", "district_leader", "grid_officer", "bureau_staff")
EVERYONE = (*STAFF, "enterprise_user")

# Object pages that answer 404 even for an object inside the scope, for the roles
# named, with the reason: the page is not for that role (or not for the object's
# state), and it says so with the same 404 as for an object out of scope.
INSIDE_404: dict[str, tuple[tuple[str, ...], str]] = {
    "trainings:register": (STAFF, "registering attendees is the enterprise user's page (trainings/views.py)."),
    "trainings:door": (("enterprise_user",), "the door check-in list is for staff only."),
    "emergency:close": (
        EVERYONE,
        "the demo's one incident is already closed; closing answers 404 in any state but open (emergency/policy.py).",
    ),
    "policies:edit": (
        ("district_leader", "grid_officer", "bureau_staff", "enterprise_user"),
        "only policy editors (policies/rules.py is_editor) edit policies.",
    ),
    "policies:clause_new": (
        ("district_leader", "grid_officer", "bureau_staff", "enterprise_user"),
        "only policy editors (policies/rules.py is_editor) write a policy's clauses (policies/views.py clause_edit).",
    ),
    "policies:clause_edit": (
        ("district_leader", "grid_officer", "bureau_staff", "enterprise_user"),
        "only policy editors (policies/rules.py is_editor) write a policy's clauses (policies/views.py clause_edit).",
    ),
    "policies:push": (
        ("bureau_staff", "enterprise_user"),
        "pushing a policy is for managers, district leaders and officers (policies/rules.py PUSH).",
    ),
    "policies:fact_record": (
        ("bureau_staff", "enterprise_user"),
        "facts are recorded by officers, district leaders and policy editors (policies/views.py).",
    ),
    "financing:extension_create": (
        ("enterprise_user",),
        "loan extensions are recorded by grid-side staff (platforms/financing/access.py).",
    ),
    "service_projects:edit": (
        ("enterprise_user",),
        "service projects are recorded by bureaus, managers and officers; the enterprise reads its own "
        "(platforms/service_projects/selectors.py editable_project_get).",
    ),
    "labour:transfer_create": (
        ("enterprise_user",),
        "transfers are recorded by staff only (platforms/labour/views.py).",
    ),
}

# Create URLs nested under a parent → the body of a valid create, given the parent. POSTed under a
# parent outside the persona's scope it must answer what a parent that does not exist answers, and
# write nothing (a create whose parent is read unscoped would add a row to someone else's object).
CREATES: dict[str, Callable[[object], dict]] = {
    "fieldwork:visit_create": lambda enterprise: {
        "visited_at": "2026-12-01T10:00",
        "mode": "on_site",
        "met_with": "李总",
        "findings": "生产经营正常。",
        "has_difficulties": "",
    },
    "financing:need_create": lambda enterprise: {
        "amount": "100",
        "purpose": "流动资金",
        "term_months": "12",
        "raised_on": "2026-12-01",
    },
    "policies:fact_record": lambda enterprise: {"key": "rd_spend", "value": "80", "source": "visit"},
    "trainings:register": lambda session: {"attendee_name": "张三", "attendee_phone": "13800000000"},
    "labour:transfer_create": lambda proposal: {
        "count": "1",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "workers_consent": "on",
        "contract_unchanged": "on",
        "no_fee": "on",
    },
    "space:lease_create": lambda proposal: {
        "area_m2": "10",
        "starts_on": "2026-12-01",
        "ends_on": "2027-11-30",
        "rent_yuan_m2_month": "20",
    },
    "emergency:call": lambda affected: {"outcome": "reached", "note": "已电话联系"},
    "incident-enterprise-entries": lambda affected: {"needs": "排水泵两台", "damage": "仓库进水"},
}

# List and form URLs that take an object's id in the query string → {parameter: kind}. An id outside
# the persona's scope must answer what an id that does not exist answers (a filter that takes any
# id answers 200 for a real one and 400 for a made-up one, which tells that the object exists), and
# the page must not name the object.
QUERY_REFS: dict[str, dict[str, str]] = {
    "issues:ledger": {"enterprise": "enterprise"},
    "fieldwork:visit_list": {"enterprise": "fieldwork_enterprise"},
    "fieldwork:tracking_list": {"enterprise": "fieldwork_enterprise"},
    "funding:list": {"district": "district"},
    "analytics:report_download": {"district": "dashboard_district"},
    "issue-list": {"enterprise": "enterprise"},
    "api-visit-list": {"enterprise": "fieldwork_enterprise"},
    "api-labour-posting-list": {"enterprise": "enterprise"},
    "api-space-listing-list": {"owner": "enterprise"},
    "api-space-demand-list": {"enterprise": "enterprise"},
    "api-purchase-need-list": {"buyer": "enterprise"},
    "api-retooling-case-list": {"enterprise": "enterprise"},
    "api-financing-need-list": {"enterprise": "financing_enterprise"},
    "enterprise-fact-list": {"enterprise": "enterprise"},
}

# Pages whose GET legitimately records something, the only tables it may write, and why. Any other
# write by such a page, and any write by another page, fails the matrix.
_RUNNING_MONTH = (
    "A small zone's dashboard stores the running month's provisional rows once in the request when "
    "they are missing or older than the last write (analytics.snapshots.month_data): a derived "
    "snapshot, never a record a user made; a province leaves it to the beat job."
)
GET_WRITES_ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    name: (frozenset({"analytics_monthlyreport"}), _RUNNING_MONTH)
    for name in (
        "analytics:zone_dashboard",
        "analytics:district_dashboard",
        "analytics:district_detail",
        "analytics:grid_detail",
        "analytics:officer_detail",
        "analytics:report_download",
    )
}


def get_writes_refused(pattern_name: str, writes) -> list[str]:
    """The tables a GET of ``pattern_name`` wrote to that it may not write to."""
    allowed = GET_WRITES_ALLOWED.get(pattern_name, (frozenset(), ""))[0]
    return sorted(set(writes) - allowed)


# Link targets not checked on pages: none so far.
LINKS_NOT_CHECKED: frozenset[str] = frozenset()

# Export → (kind, field whose value names a row) for the out-of-scope rows it must not contain.
EXPORT_MARKERS: dict[str, tuple[tuple[str, str], ...]] = {
    "enterprises:roster_export": (("enterprise", "uscc"),),
    "issues:export": (("issue", "#编号"),),
    "fieldwork:visit_export": (("fieldwork_enterprise", "uscc"),),
    "fieldwork:tracking_export": (("fieldwork_enterprise", "uscc"),),
    "analytics:report_download": (),
    # Each staff persona's own ledger export, written by the job (tests/security/conftest.py).
    "common:export_download": (("issue", "#编号"),),
}


class _Missing:
    """An object that does not exist: every attribute is an id no row has."""

    def __getattr__(self, name):
        return MISSING_INT


def _column_values(body: bytes, header: str) -> set[int]:
    """The integers under the column headed ``header`` on every sheet."""
    from openpyxl import load_workbook

    values: set[int] = set()
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    for sheet in workbook.worksheets:
        column = None
        for row in sheet.iter_rows(values_only=True):
            if column is None:
                if header in row:
                    column = row.index(header)
                continue
            if column < len(row) and isinstance(row[column], int):
                values.add(row[column])
    return values


def _json(body: bytes):
    import json

    try:
        return json.loads(body)
    except ValueError:
        return None


def _xlsx_text(body: bytes) -> str:
    """Every string and value of a workbook, without opening it through openpyxl (fast)."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and ("sharedStrings" in name or "worksheets/" in name):
                parts.append(archive.read(name).decode("utf-8", "replace"))
    return "\n".join(parts)
