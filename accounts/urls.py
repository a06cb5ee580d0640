from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm
from accounts.passwords import password_change_view

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # POST only (Django's LogoutView): the session is flushed on the server.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password_change_view, name="password_change"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notification_mark_all_read, name="notifications_mark_read"),
]
