"""The app's model module: Django registers the models of the app's three packages from here.

Each model lives in its package (``registry``, ``profile``, ``roster``) under the one
app label ``enterprises``; other apps import them from here.
"""

from enterprises.profile.models import (
    EmploymentRecord,
    FiguresSubmission,
    OperatingIndicator,
    Product,
    SubmissionState,
    SupplyDirection,
    SupplyLink,
)
from enterprises.registry.models import (
    KEY_TIERS,
    Enterprise,
    EnterpriseContact,
    Industry,
    Ownership,
    Tier,
    TierChange,
)
from enterprises.roster.models import RosterImport

__all__ = [
    "KEY_TIERS",
    "EmploymentRecord",
    "Enterprise",
    "EnterpriseContact",
    "FiguresSubmission",
    "Industry",
    "OperatingIndicator",
    "Ownership",
    "Product",
    "RosterImport",
    "SubmissionState",
    "SupplyDirection",
    "SupplyLink",
    "Tier",
    "TierChange",
]
