from django.urls import path

from issues import enterprise_views, views

app_name = "issues"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("print/", views.ledger_print, name="print"),
    path("workbench/", views.workbench, name="workbench"),
    path("mine/", enterprise_views.my_issues, name="my_list"),
    path("new/", enterprise_views.issue_new, name="new"),
    path("enterprise/<int:pk>/", enterprise_views.enterprise_issues_tab, name="enterprise_issues"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.issue_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
