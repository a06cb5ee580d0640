"""Settings read from the environment.

Defaults are the embedded ones (a SQLite file and a filesystem Celery broker
under ``var/``) so that ``make run`` needs no server. Production imports this
module and tightens it in ``jingkai_portal.settings.production``.
"""

import logging
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


class StrictEnv(environ.Env):
    """django-environ, except that a value it cannot read stops the start
    with a message naming the variable, instead of quietly becoming a default
    (``DEBUG=ture`` would otherwise read as False, ``DATABASE_URL=postgress://``
    fail only at the first query)."""

    TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y", "ok"})
    FALSE_WORDS = frozenset({"0", "false", "no", "off", "n"})
    DATABASE_SCHEMES = frozenset({"sqlite", "postgres", "postgresql", "pgsql", "psql"})
    REDIS_SCHEMES = frozenset({"redis", "rediss"})

    def _raw(self, var: str) -> str:
        """The variable's value, or "" when unset (an empty value counts as unset)."""
        return str(self.ENVIRON.get(var, "")).strip()

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self._raw(var)
        if not raw:
            return super().bool(var, default=default) if default is self.NOTSET else default
        if raw.lower() in self.TRUE_WORDS:
            return True
        if raw.lower() in self.FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")

    def int(self, var, default=environ.Env.NOTSET):
        try:
            return super().int(var, default=default)
        except ValueError:
            raise ImproperlyConfigured(f"{var}={self._raw(var)!r} is not a whole number.") from None

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None):
        url = self._raw(var) or (str(default) if default is not self.NOTSET else "")
        scheme = urlsplit(url).scheme
        if scheme not in self.DATABASE_SCHEMES:
            raise ImproperlyConfigured(
                f"{var} has the scheme {scheme!r}; use postgres://user:password@host:port/name or sqlite:///path."
            )
        return self.db_url_config(url, engine=engine)

    db = db_url

    def redis_url(self, var: str) -> str:
        """A redis:// or rediss:// URL, or "" when unset."""
        url = self._raw(var)
        if url and (urlsplit(url).scheme not in self.REDIS_SCHEMES or not urlsplit(url).hostname):
            raise ImproperlyConfigured(f"{var}={url!r} is not a Redis URL; use redis://host:port/db.")
        return url


env = StrictEnv()

DEBUG = env.bool("DEBUG", default=False)
# The embedded default key is for development and tests only: the production
# settings refuse to start without a real one from the environment.
SECRET_KEY = env.str("SECRET_KEY", default="embedded-development-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "common",
    "accounts",
    "grids",
    "enterprises",
    "issues",
    "fieldwork",
    "policies",
    "policies.funding",
    "policies.trainings",
    "platforms",
    "platforms.financing",
    "platforms.service_projects",
    "platforms.procurement",
    "platforms.labour",
    "platforms.supply_chain",
    "platforms.space",
    "emergency",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Each after the user is known: idle/absolute session limits, then the forced password change,
    # and the log of 403/404 answers to signed-in users (it sees every view's answer).
    "accounts.sessions.SessionLimitsMiddleware",
    "accounts.passwords.PasswordChangeRequiredMiddleware",
    "accounts.security_log.RefusedAccessLogMiddleware",
    # A fragment request whose session ended sends the whole page to sign in (common.htmx).
    "common.htmx.HtmxSignInRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.headers.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a sign-in that axes refused into the lockout page (accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jingkai_portal.urls"
WSGI_APPLICATION = "jingkai_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.notifications",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for an inline <script nonce=…>
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # The ledger-order index carries the state and deadlines (INCLUDE) for PostgreSQL's index-only
    # reads; SQLite builds it on its key columns alone, which orders the ledger the same.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Demo accounts (whose password the README publishes) keep it only while DEBUG is on;
# otherwise they must choose their own at the first sign-in (accounts.passwords).
DEMO_ACCOUNTS_KEEP_PASSWORD = DEBUG

# axes first: it refuses a locked-out (username, address) before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Sign-in throttling (django-axes, accounts.lockout): the login page, the admin and the
# token endpoint share one counter per (username, address) and one per address, in the database.
AXES_HANDLER = "accounts.lockout.PortalLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 5  # wrong passwords for one user from one address
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)  # from one address, any users
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# A try while locked is refused without being counted, so the minutes left that the page shows hold.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_VERBOSE = False  # sign-in events go to the jingkai.security log instead
# Reverse proxies in front of the server (0: REMOTE_ADDR is the client). With N, the client's
# address is the N-th from the right of X-Forwarded-For, the one the outermost proxy saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["jingkai_portal.formats"]  # date formats that follow the language
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served directly: files go through permission-checked views
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Redis (optional): broker and cache when set, embedded defaults otherwise.
REDIS_URL = env.redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    # With acks_late, Redis hands a task that was taken but never acknowledged (its worker
    # died) to another worker after this many seconds: longer than the longest job's hard
    # time limit (analytics.tasks.LONG_JOB), so a job still running is not started twice.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_DIR = VAR_DIR / "celery" / "broker"
    # A host name, though the transport ignores it, keeps kombu from warning on every connection.
    CELERY_BROKER_URL = "atomicfs://localhost//"  # kombu's filesystem transport, atomic writes (common.broker)
    # One folder for in and out, so the web process, the worker and beat share the queue.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # The exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    # kombu's filesystem transport needs its folders; every process (web,
    # worker, beat) publishes or consumes there.
    for _folder in (CELERY_BROKER_DIR, VAR_DIR / "celery" / "processed", VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)

# Days an export's file stays downloadable before the daily cleanup removes it (common.export_jobs).
EXPORT_FILE_DAYS = env.int("EXPORT_FILE_DAYS", default=7)
if EXPORT_FILE_DAYS < 1:
    raise ImproperlyConfigured("EXPORT_FILE_DAYS must be at least 1.")

# Memory a worker's roster import may use above what the worker already holds (common.memory).
IMPORT_MEMORY_LIMIT_MB = env.int("IMPORT_MEMORY_LIMIT_MB", default=1024)

CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged when it has finished, and put back on the queue when its worker
# dies under it (SIGKILL, the OOM killer): every task is safe to run twice, none is lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker takes one task at a time, so a long job never holds short ones back in its prefetch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task stops after 10 minutes (soft: an exception it can clean up after; hard: the child
# is killed a minute later); the long jobs set their own (analytics.tasks.LONG_JOB). Enforced
# by the prefork pool (production); the thread pool of `make run` does not enforce them.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
# django-celery-beat's DatabaseScheduler, but installing each entry below only when
# its row is missing, so that a time changed in the admin survives a restart.
CELERY_BEAT_SCHEDULER = "analytics.beat:EditableDatabaseScheduler"
# Schedules live here; django-celery-beat copies them into the database at start
# so that an admin can pause or move one. Times are Asia/Shanghai.
CELERY_BEAT_SCHEDULE: dict = {
    # Every hour on the hour: due-soon warnings, overdue flags, auto-escalation.
    "issues-deadline-sweep": {"task": "issues.tasks.deadline_sweep", "schedule": crontab(minute=0)},
    # Monday 08:00: close the previous ISO week of tracking.
    "analytics-weekly-close": {
        "task": "analytics.tasks.run_weekly",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # 1st of the month 06:00: the monthly analysis of the previous month.
    "analytics-monthly-analysis": {
        "task": "analytics.tasks.run_monthly",
        "schedule": crontab(minute=0, hour=6, day_of_month="1"),
    },
    # Every 5 minutes: the running month so far, stored for the dashboards to read (analytics.freshness
    # also asks for it a minute after writes that change the figures).
    "analytics-running-month": {
        "task": "analytics.tasks.refresh_running_month",
        "schedule": crontab(minute="*/5"),
    },
    # Every day 02:30: proposals of the matchmaking platforms left unanswered past their date expire.
    "platforms-expire-proposals": {
        "task": "platforms.tasks.expire_proposals",
        "schedule": crontab(minute=30, hour=2),
    },
    # Every day 03:10: re-match every enterprise against every published policy clause
    # (latest indicators age, and it catches whatever a profile signal missed).
    "policies-evaluate-eligibility": {
        "task": "policies.tasks.evaluate_all",
        "schedule": crontab(minute=10, hour=3),
    },
    # Every day 04:20: remove export files older than EXPORT_FILE_DAYS (common.export_jobs).
    "common-export-files-cleanup": {
        "task": "common.tasks.export_files_cleanup_task",
        "schedule": crontab(minute=20, hour=4),
    },
    # Every 5 minutes: affected enterprises not acknowledged in time become call tasks
    # (officer after EMERGENCY_ACK_MINUTES, district leader after twice that).
    "emergency-escalate-unacknowledged": {
        "task": "emergency.tasks.escalate_unacknowledged",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Matchmaking platforms (platforms.matching): integer weights per platform and part of the
# score, over each platform's defaults (procurement: platforms/procurement/ranking.py DEFAULTS,
# labour and space: their ranking.py WEIGHTS, supply_chain: platforms/supply_chain/suggestions.py
# DEFAULTS), e.g. {"labour": {"district": 20}}; an unknown platform or part, or a weight that is
# not a non-negative integer, stops the start (platforms.apps.match_weights_check). How long a
# proposal stays open without an answer.
PLATFORM_MATCH_WEIGHTS: dict = {}
PLATFORM_PROPOSAL_DAYS = env.int("PLATFORM_PROPOSAL_DAYS", default=30)

# --- Emergency incidents: minutes an affected enterprise has to acknowledge before it becomes a
# call task (and twice that before the district leader's); the group robots (empty URL = off);
# the portal's public address for links in robot messages (relative links when empty).
EMERGENCY_ACK_MINUTES = env.int("EMERGENCY_ACK_MINUTES", default=30)
EMERGENCY_WECOM_ROBOT_URL = env.str("EMERGENCY_WECOM_ROBOT_URL", default="")
EMERGENCY_DINGTALK_ROBOT_URL = env.str("EMERGENCY_DINGTALK_ROBOT_URL", default="")
EMERGENCY_DINGTALK_SECRET = env.str("EMERGENCY_DINGTALK_SECRET", default="")
EMERGENCY_PUBLIC_BASE_URL = env.str("EMERGENCY_PUBLIC_BASE_URL", default="").rstrip("/")

# --- Email: console by default, SMTP when EMAIL_URL / EMAIL_HOST is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jingkai-portal@localhost")

# --- DRF
REST_FRAMEWORK = {
    # Token first: its challenge (WWW-Authenticate: Token) makes DRF answer an
    # anonymous caller 401, as the schema documents; a request without a token
    # falls through to the session (with its CSRF check) as before.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "common.api.ScopedFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON and form bodies capped at DATA_UPLOAD_MAX_MEMORY_SIZE like Django's own (413 above it).
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "common.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Documents the error answers (400, 401/403, 404, 409, 413, 415) of every operation.
    "DEFAULT_SCHEMA_CLASS": "common.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jingkai Portal API",
    "DESCRIPTION": "经开区网格化企业服务平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags collapsed, with a filter box: the API has some 60 collections, too many to render open.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "filter": True, "deepLinking": True},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared choice set: an issue's state appears as ``state``,
    # ``from_state`` (null on the first event) and ``to_state``.
    "ENUM_NAME_OVERRIDES": {
        "IssueStateEnum": "issues.models.State",
        "IssueLevelEnum": "issues.models.Level",
        "IssueSourceEnum": "issues.models.Source",
        "IndustryEnum": "enterprises.models.Industry",
        "PolicyLevelEnum": "policies.models.PolicyLevel",
        "PolicyStateEnum": "policies.models.PolicyState",
        "ClauseModeEnum": "policies.models.ClauseMode",
        "FundingStateEnum": "policies.funding.models.FundingState",
        "RegistrationStateEnum": "policies.trainings.models.RegistrationState",
        "ProposalStateEnum": "platforms.matching.ProposalState",
        "ReferralStateEnum": "platforms.financing.models.ReferralState",
        "LoanExtensionKindEnum": "platforms.financing.models.ExtensionKind",
        "ServiceProjectKindEnum": "platforms.service_projects.models.Kind",
        "ServiceProjectStateEnum": "platforms.service_projects.models.ProjectState",
        "RetoolingStateEnum": "platforms.procurement.models.RetoolingState",
        "RecommendationDirectionEnum": "platforms.supply_chain.models.Direction",
        "RecommendationOutcomeEnum": "platforms.supply_chain.models.Outcome",
        "LabourPostingKindEnum": "platforms.labour.models.PostingKind",
        "OpenStateEnum": "platforms.labour.models.PostingState",  # open / closed, as space listings too
        "LabourSkillEnum": "platforms.labour.models.Skill",
        "SpaceKindEnum": "platforms.space.models.SpaceKind",
        "CustomBuildStateEnum": "platforms.space.models.BuildState",
        "IncidentKindEnum": "emergency.models.Kind",
    },
}

# A session ends after 8 hours without a request and 7 days after the sign-in, however
# active (accounts.sessions). The cookie and the stored session follow the idle limit.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=7 * 24 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4). Every asset is ours (vendored), so: scripts from
# this origin only, no inline script and no eval (the pages' behaviour lives in static/*.js, a
# rare inline snippet would carry the request's nonce); styles from our stylesheets only, no
# style attributes (ECharts' tooltips are drawn on the canvas for that); images and Bootstrap's
# icons as data: URIs; no framing. The API docs relax the styles on their two URLs only
# (jingkai_portal.api_urls says why).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page uses, switched off (common.headers). A visit's photo comes through a file
# input, which needs no camera permission; nothing reads the location.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "display-capture",
        "serial",
        "hid",
        "bluetooth",
    )
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if not isinstance(logging.getLevelName(LOG_LEVEL), int):
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a level: use DEBUG, INFO, WARNING, ERROR or CRITICAL.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_lines": {"()": "common.jsonlog.JsonLinesFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {"class": "logging.StreamHandler", "formatter": "json_lines"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Sign-ins, lockouts, refused accesses, account changes: JSON lines (accounts.security_log).
        "jingkai.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # axes logs every attempt at INFO/WARNING in its own words; ours are the JSON lines of jingkai.security.
        "axes": {"level": "ERROR"},
    },
}

# Who the public notice board names as the zone's grid chief when no user is set.
PORTAL_ZONE_NAME = env.str("PORTAL_ZONE_NAME", default="经开区")
