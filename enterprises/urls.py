from django.urls import include, path

from enterprises import views

app_name = "enterprises"

urlpatterns: list = [
    path("enterprises/", views.enterprise_list_view, name="list"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="detail"),
    path("my/", views.my_enterprise_view, name="my_enterprise"),
    # Board tokens are secrets.token_urlsafe: letters, digits, "-" and "_".
    path("board/<slug:token>/", views.board_view, name="board"),
    path("", include("enterprises.profile_urls")),
]
