"""Standard-profile tabs and the Excel roster (included by enterprises.urls)."""

urlpatterns: list = []
