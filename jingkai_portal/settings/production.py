"""Production settings: everything of the base, hardened.

Use with ``DJANGO_SETTINGS_MODULE=jingkai_portal.settings.production``.
SECRET_KEY must come from the environment; the server sits behind a TLS proxy.
"""

from django.core.exceptions import ImproperlyConfigured

from jingkai_portal.settings import *  # noqa: F403
from jingkai_portal.settings import env

DEBUG = False
DEMO_ACCOUNTS_KEEP_PASSWORD = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("Production needs a SECRET_KEY of at least 50 varied characters.")

# No fallback to the development hosts: the public name(s) must be given.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health probe speaks plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
