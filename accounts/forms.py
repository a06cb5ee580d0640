from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from common.forms import style_fields


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("该账户已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        style_fields(self.fields)
