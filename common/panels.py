"""Panels that apps on higher floors add to the pages of lower ones.

The officer's home lives in ``fieldwork`` and the enterprise's home in ``enterprises``;
policies, platforms and emergency incidents put their own sections there (pushes to
explain, missing facts to collect, call tasks, eligible clauses …) without those
lower apps importing them (DESIGN §2: imports flow one way, bottom to top). Each app
registers its panels in its ``AppConfig.ready()``; the page renders them in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

OFFICER_HOME = "officer_home"
ENTERPRISE_HOME = "enterprise_home"
# An enterprise's profile page as the staff read it; its panels' context is called with
# ``enterprise=`` (already found within the reader's scope) besides the request.
ENTERPRISE_PROFILE = "enterprise_profile"
PAGES = (OFFICER_HOME, ENTERPRISE_HOME, ENTERPRISE_PROFILE)


@dataclass(frozen=True)
class Panel:
    page: str
    key: str
    template: str
    # Returns the panel's context, or None to leave the panel out for this request.
    context: Callable[..., dict | None]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register(*, page: str, key: str, template: str, context: Callable[..., dict | None], order=100):
    """Add (or replace, by ``key``) a panel on ``page``; called from an app's ``ready()``."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; one of {PAGES}")
    _PANELS[key] = Panel(page, key, template, context, order)


def panels_for(request: HttpRequest, page: str, **subject) -> list[dict]:
    """The panels of ``page`` that have something for this request: ``[{"template", "context"}]``.

    ``subject`` (``enterprise=`` on a profile) is passed on to each panel's context."""
    shown = []
    for panel in sorted((p for p in _PANELS.values() if p.page == page), key=lambda p: (p.order, p.key)):
        context = panel.context(request, **subject)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, "context": context})
    return shown


# --- Figures: the one-line summary at the top of a home (待评价 1 · 办理中 2 · 新政策 3) ---------


@dataclass(frozen=True)
class Figure:
    page: str
    key: str
    # Returns {"label", "count", "url"} (the url opens the list the count is taken from), or None.
    figure: Callable[[HttpRequest], dict | None]
    order: int = 100


_FIGURES: dict[str, Figure] = {}


def register_figure(*, page: str, key: str, figure: Callable[[HttpRequest], dict | None], order=100):
    """Add (or replace, by ``key``) a figure of the summary on ``page``; called from an app's ``ready()``."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; one of {PAGES}")
    _FIGURES[key] = Figure(page, key, figure, order)


def figures_for(request: HttpRequest, page: str) -> list[dict]:
    """The summary figures of ``page`` for this request, in order: ``[{"key", "label", "count", "url"}]``."""
    shown = []
    for entry in sorted((f for f in _FIGURES.values() if f.page == page), key=lambda f: (f.order, f.key)):
        figure = entry.figure(request)
        if figure is not None:
            shown.append({"key": entry.key, **figure})
    return shown
