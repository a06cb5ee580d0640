from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from accounts import security_log, sessions, user_admins

        # After each app's migrate (its permissions exist by then); cheap and idempotent.
        post_migrate.connect(user_admins.ensure_user_admins_group, dispatch_uid="accounts-user-admins-group")
        # Django's own last_login update saves the user, which would write a history row per sign-in.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(sessions.on_sign_in, dispatch_uid="accounts-on-sign-in")
        security_log.connect_signals()
