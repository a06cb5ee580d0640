"""Pages of platforms.service_projects."""

app_name = "service_projects"

urlpatterns: list = []
