from django.urls import include, path  # noqa: F401

app_name = "enterprises"

urlpatterns: list = [
    path("", include("enterprises.profile_urls")),
]
