from django.urls import include, path

from common.ratelimit import BOARD_RATE, limit_per_address
from enterprises import submission_views, views
from enterprises.board_tokens import board_rotate_view

app_name = "enterprises"

urlpatterns: list = [
    path("enterprises/", views.enterprise_list_view, name="list"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="detail"),
    path("my/", views.my_enterprise_view, name="my_enterprise"),
    path("my/figures/", submission_views.figures_mine, name="figures_mine"),
    path("enterprises/figures/", submission_views.figures_queue, name="figures_queue"),
    path("enterprises/figures/<int:pk>/confirm/", submission_views.figures_confirm, name="figures_confirm"),
    path("enterprises/figures/<int:pk>/reject/", submission_views.figures_reject, name="figures_reject"),
    # Board tokens are secrets.token_urlsafe: letters, digits, "-" and "_".
    path("board/<slug:token>/", limit_per_address(rate=BOARD_RATE, group="board")(views.board_view), name="board"),
    path("enterprises/<int:pk>/board/rotate/", board_rotate_view, name="board_rotate"),
    path("", include("enterprises.profile_urls")),
]
