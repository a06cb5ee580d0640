"""Settings come from the environment, fail loudly on a bad value, and the
production settings pass ``check --deploy`` with no warning."""

import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = settings.BASE_DIR / "jingkai_portal" / "settings" / "__init__.py"
OUR_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "LOG_LEVEL",
    "CELERY_TASK_ALWAYS_EAGER",
)


@pytest.fixture
def load_settings(monkeypatch):
    """Run the settings module afresh with the given environment; returns its names."""

    def load(**environment: str) -> dict:
        for name in OUR_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def run_django(code: str, **environment: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python process with only our variables from ``environment``."""
    # Not the test process's DJANGO_ALLOW_ASYNC_UNSAFE (set for Playwright): check --deploy rejects it.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in OUR_VARIABLES and name not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


def test_the_embedded_defaults_need_no_server(load_settings):
    loaded = load_settings()
    assert loaded["DEBUG"] is False
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASES"]["default"]["NAME"] == str(settings.BASE_DIR / "var" / "db.sqlite3")
    assert loaded["CELERY_BROKER_URL"].startswith("atomicfs://")
    options = loaded["CELERY_BROKER_TRANSPORT_OPTIONS"]
    # One queue folder for every process, and nothing written outside var/.
    assert options["data_folder_in"] == options["data_folder_out"]
    for name in ("data_folder_in", "processed_folder", "control_folder"):
        assert os.path.isdir(options[name]) and options[name].startswith(str(settings.BASE_DIR / "var")), name
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_moves_the_broker_and_the_cache_to_redis(load_settings):
    loaded = load_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert loaded["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert loaded["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


def test_database_url_selects_postgresql(load_settings):
    loaded = load_settings(DATABASE_URL="postgres://portal:secret@db.internal:5433/jingkai")
    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "jingkai",
        "portal",
        "db.internal",
        5433,
    )


def test_email_url_configures_smtp(load_settings):
    loaded = load_settings(EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:587")
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"], loaded["EMAIL_USE_TLS"]) == ("smtp.example.org", 587, True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mongodb://127.0.0.1/jingkai"),
        ("DATABASE_URL", "postgress://postgres@127.0.0.1/jingkai"),
        ("DEBUG", "ture"),
        ("CELERY_TASK_ALWAYS_EAGER", "maybe"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("LOG_LEVEL", "LOUD"),
        ("EMAIL_URL", "carrier-pigeon://loft"),
        ("EXPORT_FILE_DAYS", "0"),
        ("EXPORT_FILE_DAYS", "a week"),
    ],
)
def test_a_bad_value_stops_the_start_and_names_the_variable(load_settings, name, value):
    with pytest.raises(ImproperlyConfigured) as error:
        load_settings(**{name: value})
    assert name in str(error.value) or value.split(":")[0] in str(error.value)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("off", False), ("0", False), ("", False)]
)
def test_debug_reads_the_usual_words(load_settings, value, expected):
    assert load_settings(DEBUG=value)["DEBUG"] is expected


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    middleware = settings.MIDDLEWARE
    # LocaleMiddleware needs the session (language choice) and must run before CommonMiddleware.
    session = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert session < locale < middleware.index("django.middleware.common.CommonMiddleware")


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "jingkai_portal.settings.production"}


def test_production_settings_pass_check_deploy_with_no_warning():
    result = run_django(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": "example.org", "SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(60)}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_a_real_key_and_hosts(environment, message):
    result = run_django("import django; django.setup()", **environment, **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_is_hardened_and_never_debug():
    result = run_django(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org,www.example.org",
        DEBUG="1",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True ['example.org', 'www.example.org']"


def test_demo_accounts_keep_their_published_password_only_with_debug_on(load_settings):
    """accounts.passwords: the demo's password is exempt from the forced change only in DEBUG."""
    assert load_settings(DEBUG="1")["DEMO_ACCOUNTS_KEEP_PASSWORD"] is True
    assert load_settings(DEBUG="0")["DEMO_ACCOUNTS_KEEP_PASSWORD"] is False
