"""Pages of platforms.labour."""

from django.urls import path

from platforms.labour import views

app_name = "labour"

urlpatterns = [
    path("", views.posting_list, name="posting_list"),
    path("mine/", views.my_postings, name="my_postings"),
    path("postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("proposals/<int:proposal_pk>/transfer/", views.transfer_create, name="transfer_create"),
    path("proposals/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("transfers/", views.transfer_list, name="transfer_list"),
]
