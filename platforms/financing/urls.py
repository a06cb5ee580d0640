"""Pages of platforms.financing (under /platforms/financing/)."""

from django.urls import path

from platforms.financing import views

app_name = "financing"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("referrals/board/", views.board, name="board"),
    path("referrals/<int:pk>/<str:action>/", views.referral_step, name="referral_step"),
    path("mine/", views.mine, name="mine"),
    path("enterprises/<int:pk>/", views.enterprise_records, name="enterprise"),
    path("enterprises/<int:enterprise_pk>/needs/new/", views.need_create, name="need_create"),
    path("enterprises/<int:enterprise_pk>/credit-lines/new/", views.credit_line_create, name="credit_line_create"),
    path("enterprises/<int:enterprise_pk>/loans/new/", views.loan_create, name="loan_create"),
    path("loans/<int:loan_pk>/extensions/new/", views.extension_create, name="extension_create"),
]
