"""Pages of policies."""

from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.policy_edit, name="new"),
    path("mine/", views.mine, name="mine"),
    path("booklet/", views.booklet, name="booklet"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/publish/", views.transition, {"action": "publish"}, name="publish"),
    path("<int:pk>/expire/", views.transition, {"action": "expire"}, name="expire"),
    path("<int:pk>/clauses/new/", views.clause_edit, name="clause_new"),
    path("<int:pk>/clauses/<int:clause_pk>/edit/", views.clause_edit, name="clause_edit"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/push/", views.push_new, name="push"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("pushes/<int:pk>/", views.push_detail, name="push_detail"),
    path("pushes/<int:pk>/acknowledge/", views.push_acknowledge, name="push_acknowledge"),
    path("pushes/<int:pk>/explain/", views.push_explain, name="push_explain"),
    path("facts/<int:enterprise_pk>/", views.fact_record, name="fact_record"),
]
