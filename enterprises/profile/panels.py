"""What enterprises adds to the officer's home (``common.panels``): reports waiting to be confirmed."""

from django.http import HttpRequest

from common import panels
from enterprises.profile.submissions import figures_queue


def figures_to_confirm_panel(request: HttpRequest) -> dict | None:
    shown = 5
    pending = list(figures_queue(user=request.user)[: shown + 1])
    if not pending:
        return None
    count = len(pending) if len(pending) <= shown else figures_queue(user=request.user).count()
    return {"pending": pending[:shown], "count": count}


def register_all() -> None:
    panels.register(
        page=panels.OFFICER_HOME,
        key="enterprises-figures-to-confirm",
        template="enterprises/snippets/figures_panel.html",
        context=figures_to_confirm_panel,
        order=30,
    )
