"""Pages of emergency."""

app_name = "emergency"

urlpatterns: list = []
