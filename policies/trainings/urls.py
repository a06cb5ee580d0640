"""Pages of policies.trainings."""

app_name = "trainings"

urlpatterns: list = []
