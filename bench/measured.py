"""The pages measured at province scale: the one list read by the guard in the suite
(``tests/scale/test_no_seq_scans.py``), ``bench/load.py`` and ``bench/explain.py``.

Each entry is (name, role, path); the path names the ids it needs (``{issue}``, ``{floor_pk}`` …).
A run asks for the pages its users and ids can open: the floor is served by ``bench/wsgi.py`` only,
so runs without its id leave it out; a run without an enterprise user leaves out the enterprise's home.
"""

PAGES: list[tuple[str, str, str]] = [
    ("floor", "manager", "/bench/floor/{floor_pk}/"),
    ("zone dashboard", "manager", "/analytics/"),
    ("district dashboard", "district", "/analytics/district/"),
    ("enterprise list", "manager", "/enterprises/"),
    ("enterprise list, filtered", "manager", "/enterprises/?q=%E6%9C%89%E9%99%90&tier=growth"),
    ("enterprise list, page 50", "manager", "/enterprises/?page=50"),
    ("enterprise list (officer)", "officer", "/enterprises/"),
    ("enterprise profile", "manager", "/enterprises/{enterprise}/"),
    ("officer home", "officer", "/fieldwork/"),
    ("ledger", "manager", "/issues/"),
    ("ledger, filtered", "manager", "/issues/?state=in_progress&level=bureau"),
    ("ledger, overdue", "manager", "/issues/?overdue=true"),
    ("ledger, closed", "manager", "/issues/?state=closed"),
    ("ledger, page 50", "manager", "/issues/?page=50"),
    ("ledger, a district", "manager", "/issues/?district={district}"),
    ("ledger (officer)", "officer", "/issues/"),
    ("ledger (district)", "district", "/issues/"),
    ("ledger (bureau)", "bureau", "/issues/"),
    ("bureau workbench", "bureau", "/issues/workbench/"),
    ("issue page", "manager", "/issues/{issue}/"),
    ("API issues", "manager", "/api/issues/"),
    ("API issues (officer)", "officer", "/api/issues/"),
    ("API enterprises", "manager", "/api/enterprises/"),
    ("API visits", "manager", "/api/visits/"),
    ("API visits (officer)", "officer", "/api/visits/"),
    ("policy library", "manager", "/policies/"),
    ("funding applications", "manager", "/policies/funding/"),
    ("labour platform", "manager", "/platforms/labour/"),
    ("procurement platform", "manager", "/platforms/procurement/"),
    ("space platform", "manager", "/platforms/space/"),
    ("incidents", "manager", "/emergency/"),
    ("enterprise home", "enterprise", "/my/"),
]


def pages(ids: dict, *, roles) -> list[tuple[str, str, str]]:
    """(name, role, path) of every page a run with users of ``roles`` and ``ids`` can open, paths filled in."""
    found = []
    for name, role, path in PAGES:
        if role not in roles:
            continue
        try:
            found.append((name, role, path.format(**ids)))
        except KeyError:  # an id this run does not have (the floor outside bench/wsgi.py)
            continue
    return found
