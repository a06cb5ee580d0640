"""The registry's pages: the enterprise list and detail, my enterprise, the public notice board."""

from django.urls import path

from common.ratelimit import BOARD_RATE, limit_per_address
from enterprises.registry import views
from enterprises.registry.board_tokens import board_rotate_view

urlpatterns = [
    path("enterprises/", views.enterprise_list_view, name="list"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="detail"),
    path("my/", views.my_enterprise_view, name="my_enterprise"),
    # Board tokens are secrets.token_urlsafe: letters, digits, "-" and "_".
    path("board/<slug:token>/", limit_per_address(rate=BOARD_RATE, group="board")(views.board_view), name="board"),
    path("enterprises/<int:pk>/board/rotate/", board_rotate_view, name="board_rotate"),
]
